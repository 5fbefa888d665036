package io.focus.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeRegistry;
import io.focus.core.bridge.BridgeStats;
import io.focus.core.bridge.RegistrySettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthDoctorTest {
    static final String B1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String B2 = "jvbbrewery@internal.auth.meet.test/jvb2";
    static final String B3 = "jvbbrewery@internal.auth.meet.test/jvb3";

    static final class FakeClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
        void advance(Duration d) { now = now.plus(d); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId z) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** Answers per bridge as told; records every check. */
    static final class FakeSender implements HealthCheckSender {
        final Map<String, HealthOutcome> answers = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final java.util.Set<String> hanging = ConcurrentHashMap.newKeySet();
        volatile boolean ready = true;

        @Override public CompletableFuture<HealthOutcome> check(String id, Duration timeout) {
            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (hanging.contains(id)) {
                return new CompletableFuture<>(); // never answers
            }
            return CompletableFuture.completedFuture(answers.getOrDefault(id, HealthOutcome.passed()));
        }

        @Override public boolean ready() { return ready; }

        int calls(String id) { AtomicInteger n = calls.get(id); return n == null ? 0 : n.get(); }
    }

    final FakeClock clock = new FakeClock();
    final BridgeRegistry registry = new BridgeRegistry(
            new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofHours(1)), clock);
    final FakeSender sender = new FakeSender();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final CollectorRegistry metrics = new CollectorRegistry();
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    HealthDoctor doctor;

    HealthDoctor doctor(HealthSettings s) throws Exception {
        registry.addListener(events::add);
        doctor = new HealthDoctor(s, registry, sender, scheduler, clock, metrics);
        doctor.start();
        return doctor;
    }

    /** Settings whose scheduled checks never fire during a test: the test drives checks with checkNow. */
    static HealthSettings manual() {
        return new HealthSettings(true, Duration.ofHours(1), Duration.ofHours(1), false, Duration.ofSeconds(45),
                Duration.ofSeconds(5), 2, Duration.ofHours(1), 0.5);
    }

    void add(String... ids) throws Exception {
        for (String id : ids) registry.onStats(id, new BridgeStats(Map.of("stress_level", "0.1")));
        registry.flush().get(5, TimeUnit.SECONDS);
        doctor.flush().get(5, TimeUnit.SECONDS);
    }

    HealthOutcome check(String id) throws Exception {
        HealthOutcome o = doctor.checkNow(id).get(5, TimeUnit.SECONDS);
        registry.flush().get(5, TimeUnit.SECONDS);
        doctor.flush().get(5, TimeUnit.SECONDS);
        return o;
    }

    boolean operational(String id) { return registry.snapshot().get(id).operational(); }

    double metric(String name, String... labels) {
        Double v = labels.length == 0 ? metrics.getSampleValue(name)
                : metrics.getSampleValue(name, new String[] {"bridge", "outcome"}, labels);
        return v == null ? 0 : v;
    }

    List<BridgeEvent.Type> types() { return events.stream().map(BridgeEvent::type).toList(); }

    @AfterEach
    void tearDown() {
        if (doctor != null) doctor.close();
        registry.close();
        scheduler.shutdownNow();
    }

    @Test
    void errorReplyFailsTheBridgeAtOnce() throws Exception {
        doctor(manual());
        add(B1);
        assertEquals(HealthOutcome.Kind.PASSED, check(B1).kind());
        assertTrue(operational(B1));
        sender.answers.put(B1, HealthOutcome.failed("internal-server-error"));
        check(B1);
        assertFalse(operational(B1));
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED), types());
        assertEquals("health check: internal-server-error", registry.snapshot().get(B1).lastFailureReason());
        assertEquals(1.0, metric("focus_health_checks_total", "jvb1", "failed"));
        assertEquals(1.0, metric("focus_health_checks_total", "jvb1", "passed"));
    }

    @Test
    void twoConsecutiveMissesFailTheBridgeOneDoesNot() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        assertTrue(operational(B1), "one miss is not a failure");
        assertEquals(1, doctor.misses(B1).get());
        check(B1);
        assertFalse(operational(B1), "two misses are");
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("no reply to 2 health checks"));
        assertTrue(operational(B2));
    }

    @Test
    void aPassBetweenMissesResetsTheCount() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        sender.answers.put(B1, HealthOutcome.passed());
        check(B1);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        assertTrue(operational(B1));
        assertEquals(1, doctor.misses(B1).get());
    }

    @Test
    void otherErrorsAreCountedWithoutStateChange() throws Exception {
        doctor(manual());
        add(B1);
        sender.answers.put(B1, HealthOutcome.error("item-not-found"));
        check(B1);
        check(B1);
        check(B1);
        assertTrue(operational(B1));
        assertEquals(3.0, metric("focus_health_checks_total", "jvb1", "error"));
        assertEquals(List.of(BridgeEvent.Type.ADDED), types());
    }

    @Test
    void whenMostBridgesMissTogetherNothingIsFailed() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        for (String b : List.of(B1, B2, B3)) sender.answers.put(b, HealthOutcome.timeout());
        for (int round = 0; round < 3; round++) {
            for (String b : List.of(B1, B2, B3)) check(b);
        }
        assertTrue(operational(B1) && operational(B2) && operational(B3));
        assertTrue(metric("focus_health_mass_miss_total") >= 1);
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.ADDED, BridgeEvent.Type.ADDED), types());
    }

    @Test
    void oneOfThreeMissingIsTheBridgesFault() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.answers.put(B2, HealthOutcome.timeout());
        for (int round = 0; round < 2; round++) {
            for (String b : List.of(B1, B2, B3)) check(b);
        }
        assertFalse(operational(B2));
        assertEquals(0.0, metric("focus_health_mass_miss_total"));
    }

    @Test
    void nothingIsSentOrFailedWhileTheFocusConnectionIsDown() throws Exception {
        doctor(manual());
        add(B1);
        sender.answers.put(B1, HealthOutcome.timeout());
        sender.ready = false;
        for (int i = 0; i < 4; i++) assertEquals(HealthOutcome.Kind.NOT_SENT, check(B1).kind());
        assertEquals(0, sender.calls(B1));
        assertTrue(operational(B1));
        assertEquals(4.0, metric("focus_health_own_connection_down_total"));
    }

    @Test
    void recoveryNeedsAPassAndTheResetPeriod() throws Exception {
        doctor(manual());
        add(B1, B2);
        sender.answers.put(B1, HealthOutcome.failed("service-unavailable"));
        check(B1);
        assertFalse(operational(B1));
        sender.answers.put(B1, HealthOutcome.passed());
        clock.advance(Duration.ofSeconds(30));
        check(B1);
        assertFalse(operational(B1), "pass inside the reset period");
        clock.advance(Duration.ofSeconds(30));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(operational(B1), "pass + reset period");
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED,
                BridgeEvent.Type.RECOVERED), types());
    }

    @Test
    void panicWhenEveryBridgeIsFailed() throws Exception {
        doctor(manual());
        add(B1, B2);
        sender.answers.put(B1, HealthOutcome.failed("internal-server-error"));
        sender.answers.put(B2, HealthOutcome.failed("internal-server-error"));
        check(B1);
        assertFalse(doctor.inPanic());
        check(B2);
        await().atMost(Duration.ofSeconds(5)).until(doctor::inPanic);
        assertEquals(1.0, metric("focus_health_panic_total"));
        assertEquals(1.0, metric("focus_health_panic_active"));
        sender.answers.put(B1, HealthOutcome.passed());
        clock.advance(Duration.ofMinutes(2));
        check(B1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !doctor.inPanic());
        assertEquals(0.0, metric("focus_health_panic_active"));
    }

    @Test
    void removedBridgeIsNoLongerChecked() throws Exception {
        doctor(manual());
        add(B1);
        registry.onLeft(B1, "left the brewery");
        registry.flush().get(5, TimeUnit.SECONDS);
        doctor.flush().get(5, TimeUnit.SECONDS);
        assertEquals("unknown bridge", doctor.checkNow(B1).get(5, TimeUnit.SECONDS).detail());
    }

    @Test
    void scheduledChecksRunPerBridgeAndAHangingBridgeDoesNotDelayTheOthers() throws Exception {
        HealthSettings fast = new HealthSettings(true, Duration.ofMillis(20), Duration.ofMillis(10), false,
                Duration.ofSeconds(45), Duration.ofSeconds(5), 2, Duration.ofMillis(20), 0.5);
        doctor(fast);
        sender.hanging.add(B1);
        add(B1, B2);
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.calls(B2) >= 10);
        assertEquals(1, sender.calls(B1), "no new check while the previous one is still in flight");
        assertTrue(operational(B2));
    }

    @Test
    void presenceModeJudgesStatsFreshnessAndTheHealthyStat() throws Exception {
        registry.onStats(B1, new BridgeStats(Map.of("healthy", "true")));
        registry.onStats(B2, new BridgeStats(Map.of("healthy", "false")));
        registry.flush().get(5, TimeUnit.SECONDS);
        PresenceHealthCheckSender presence = new PresenceHealthCheckSender(registry::snapshot, clock,
                Duration.ofSeconds(45), () -> true);
        assertEquals(HealthOutcome.Kind.PASSED, presence.check(B1, Duration.ofSeconds(5)).get().kind());
        assertEquals(HealthOutcome.Kind.FAILED, presence.check(B2, Duration.ofSeconds(5)).get().kind());
        clock.advance(Duration.ofSeconds(46));
        assertEquals(HealthOutcome.Kind.TIMEOUT, presence.check(B1, Duration.ofSeconds(5)).get().kind());
        assertEquals(HealthOutcome.Kind.ERROR, presence.check("nobody", Duration.ofSeconds(5)).get().kind());
    }

    @Test
    void settingsHaveJicofoDefaultsAndNameABadKey() {
        com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.load();
        assertEquals(HealthSettings.defaults(), HealthSettings.fromConfig(c));
        var bad = com.typesafe.config.ConfigFactory.parseString("focus.health.misses = 0").withFallback(c);
        var ex = assertThrows(com.typesafe.config.ConfigException.class, () -> HealthSettings.fromConfig(bad));
        assertTrue(ex.getMessage().contains("focus.health.misses"), ex.getMessage());
    }
}
