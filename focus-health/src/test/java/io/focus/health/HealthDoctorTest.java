package io.focus.health;

import io.focus.core.loop.EventLoops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.RoundTrips;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeStats;
import io.focus.health.registry.RegistrySettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.focus.core.bridge.SuspectSignal;
import io.focus.health.registry.SuspectSettings;

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

        /** The regular checks' timeout: a check with less is a probe. */
        volatile Duration regular = Duration.ofSeconds(5);
        /** What probes (checks with less than the regular timeout) get, when set; else {@link #answers}. */
        final Map<String, HealthOutcome> probeAnswers = new ConcurrentHashMap<>();
        /** A future the next probe of a bridge returns (the test completes it). */
        final Map<String, CompletableFuture<HealthOutcome>> deferredProbes = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
        /** The timeout of every probe, in order. */
        final List<Duration> probeTimeouts = new CopyOnWriteArrayList<>();
        /** A future the next check of a bridge returns (the test completes it). */
        final Map<String, CompletableFuture<HealthOutcome>> deferred = new ConcurrentHashMap<>();

        @Override public CompletableFuture<HealthOutcome> check(String id, Duration timeout) {
            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            boolean probe = timeout.compareTo(regular) < 0;
            if (probe) {
                probes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                probeTimeouts.add(timeout);
            }
            if (hanging.contains(id)) {
                return new CompletableFuture<>(); // never answers
            }
            CompletableFuture<HealthOutcome> d = probe ? deferredProbes.remove(id) : deferred.remove(id);
            if (d != null) {
                return d;
            }
            HealthOutcome o = probe ? probeAnswers.get(id) : null;
            return CompletableFuture.completedFuture(o != null ? o : answers.getOrDefault(id, HealthOutcome.passed()));
        }

        int probes(String id) { AtomicInteger n = probes.get(id); return n == null ? 0 : n.get(); }

        @Override public boolean ready() { return ready; }

        int calls(String id) { AtomicInteger n = calls.get(id); return n == null ? 0 : n.get(); }
    }

    /**
     * The focus's own link: up, and its server answers pings at once, unless a test says otherwise. A ping "answers
     * after" the delay the test queued for it ({@link #pingDelays}, one per ping, in order; then {@link #pingDelay}):
     * the fake does not wait, it reports that round trip, or no answer when the delay is over the ping's timeout.
     */
    static final class FakeLink implements io.focus.core.xmpp.connection.OwnLink {
        volatile boolean ready = true;
        volatile boolean serverAnswers = true;
        volatile Duration pingDelay = Duration.ZERO;
        /** The link is lost (and back) while the next ping is out: that ping goes unanswered. */
        volatile boolean loseOnPing;
        final java.util.Queue<Duration> pingDelays = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();
        final AtomicInteger verifications = new AtomicInteger();

        @Override public boolean ready() { return ready; }
        @Override public long epoch() { return epoch.get(); }
        @Override public CompletableFuture<Optional<Duration>> verify(Duration timeout) {
            verifications.incrementAndGet();
            if (loseOnPing) {
                loseOnPing = false;
                epoch.incrementAndGet();
                return CompletableFuture.completedFuture(Optional.empty());
            }
            Duration queued = pingDelays.poll();
            Duration delay = queued != null ? queued : pingDelay;
            return CompletableFuture.completedFuture(ready && serverAnswers && delay.compareTo(timeout) <= 0
                    ? Optional.of(delay) : Optional.empty());
        }
    }

    final FakeClock clock = new FakeClock();
    final FakeLink link = new FakeLink();
    final BridgeRegistry registry = new BridgeRegistry(
            new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofHours(1)),
            SuspectSettings.defaults(), clock, EventLoops.unregistered());
    final FakeSender sender = new FakeSender();
    final CollectorRegistry metrics = new CollectorRegistry();
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    /** The focus's send order, as the doctor and (in the app) the Colibri2 deadline watch share it. */
    final RoundTrips roundTrips = new RoundTrips();
    HealthDoctor doctor;

    HealthDoctor doctor(HealthSettings s) throws Exception {
        registry.addListener(events::add);
        doctor = new HealthDoctor(s, registry, sender, link, EventLoops.unregistered(), clock, metrics, roundTrips);
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

    /**
     * After a Prosody restart the focus is often back before its bridges: "Recipient not in room" for a bridge that
     * has shown no stats since the focus's link came back is the brewery's reconnect grace to judge, not a failure;
     * once it has shown stats again, the same answer fails it.
     */
    @Test
    void aBridgeNotBackInTheBreweryAfterTheFocusReconnectedIsNotFailedForIt() throws Exception {
        doctor(manual());
        add(B1);
        check(B1);
        link.epoch.incrementAndGet();                 // the focus's link was lost and is back
        clock.advance(Duration.ofSeconds(1));
        sender.answers.put(B1, HealthOutcome.unreachable("item-not-found: Recipient not in room"));
        check(B1);
        assertTrue(operational(B1), "not back in the brewery yet: not failed");
        clock.advance(Duration.ofSeconds(1));
        add(B1);                                      // its stats again: it is back
        check(B1);
        assertFalse(operational(B1), "back, and the server says it cannot reach it: failed");
    }

    /** Waits until the registry and the doctor handled everything (probes take a round trip through both). */
    void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            registry.flush().get(5, TimeUnit.SECONDS);
            doctor.flush().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissedCheckIsProbedAtOnceAndAnAnsweredProbeKeepsTheBridge() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.answers.put(B1, HealthOutcome.timeout());
        sender.probeAnswers.put(B1, HealthOutcome.passed());
        check(B1);
        settle();
        assertTrue(sender.probes(B1) >= 1, "probed right after the miss, not after the retry delay");
        assertTrue(operational(B1), "a miss whose probe is answered is not a failure");
        assertFalse(registry.snapshot().get(B1).suspect(), "the answered probe cleared the suspicion");
        assertTrue(types().contains(BridgeEvent.Type.SUSPECTED));
        assertTrue(types().contains(BridgeEvent.Type.SUSPICION_CLEARED));
    }

    @Test
    void aMissedCheckAndAnUnansweredProbeFailTheBridge() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B2);
        check(B3);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        settle();
        assertFalse(operational(B1), "miss + unanswered probe, own link fine, others answering");
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("probe unanswered"),
                registry.snapshot().get(B1).lastFailureReason());
        assertTrue(link.verifications.get() >= 1, "the own link was checked before failing");
        assertTrue(operational(B2) && operational(B3));
    }

    /**
     * Checks with a 1 s timeout and 400 ms probes, driven by the test: a check still out after 800 ms (its timeout
     * less half the probe timeout) is probed alongside.
     */
    HealthDoctor overlapping() throws Exception {
        sender.regular = Duration.ofSeconds(1);
        return doctor(new HealthSettings(true, Duration.ofHours(1), Duration.ofHours(1), false, Duration.ofSeconds(45),
                Duration.ofSeconds(1), 2, Duration.ofHours(1), 0.5, Duration.ofMillis(400)));
    }

    /** A check of B1 whose reply the test gives; B2 and B3 answered theirs. */
    CompletableFuture<HealthOutcome> overdueCheckOfB1(CompletableFuture<HealthOutcome> reply) throws Exception {
        overlapping();
        add(B1, B2, B3);
        check(B2);
        check(B3);
        sender.deferred.put(B1, reply);
        CompletableFuture<HealthOutcome> done = doctor.checkNow(B1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.probes(B1) == 1);
        return done;
    }

    @Test
    void aCheckStillOutIsProbedAlongsideAndTheBridgeFailsWhenTheCheckTimesOutToo() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        sender.probeAnswers.put(B1, HealthOutcome.timeout());
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        settle();
        assertTrue(operational(B1), "the probe is unanswered but the check is not timed out yet: not failed");
        assertFalse(done.isDone());
        reply.complete(HealthOutcome.timeout());
        done.get(5, TimeUnit.SECONDS);
        settle();
        assertFalse(operational(B1), "check timed out and the probe sent with it unanswered: failed");
        // (the suspicion the miss raises may send one more probe, racing the held verdict: either reason may win)
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("probe unanswered within")
                || registry.snapshot().get(B1).lastFailureReason().contains("probe sent 800 ms after it unanswered"),
                registry.snapshot().get(B1).lastFailureReason());
        assertTrue(operational(B2) && operational(B3));
    }

    @Test
    void whenTheCheckTimesOutBeforeItsProbeTheProbesTimeoutFailsTheBridge() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        CompletableFuture<HealthOutcome> probe = new CompletableFuture<>();
        sender.deferredProbes.put(B1, probe);
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        reply.complete(HealthOutcome.timeout());
        done.get(5, TimeUnit.SECONDS);
        settle();
        assertTrue(operational(B1), "the probe is still out: not judged yet");
        assertTrue(registry.snapshot().get(B1).suspect(), "the missed check made it suspect");
        assertEquals(1, sender.probes(B1), "the probe already out is not sent again");
        probe.complete(HealthOutcome.timeout());
        settle();
        assertFalse(operational(B1));
    }

    @Test
    void aProbeUnansweredBesideACheckThatIsAnsweredFailsNothing() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        sender.probeAnswers.put(B1, HealthOutcome.timeout());
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        settle();
        reply.complete(HealthOutcome.passed());
        done.get(5, TimeUnit.SECONDS);
        settle();
        assertTrue(operational(B1), "one unanswered request is not a failure");
        assertFalse(registry.snapshot().get(B1).suspect());
    }

    @Test
    void aProbeUnansweredAfterItsCheckWasAnsweredIsAMissOfItsOwnAndProbedAgain() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        CompletableFuture<HealthOutcome> probe = new CompletableFuture<>();
        sender.deferredProbes.put(B1, probe);
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        reply.complete(HealthOutcome.passed());
        done.get(5, TimeUnit.SECONDS);
        settle();
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1), "one unanswered request is not a failure");
        assertTrue(sender.probes(B1) >= 2, "probed again");
        assertFalse(registry.snapshot().get(B1).suspect(), "the second probe was answered");
        assertTrue(types().contains(BridgeEvent.Type.SUSPECTED));
    }

    @Test
    void aCheckAndItsOverlappingProbeUnansweredDoNotFailWhenTheOwnServerDoesNotAnswer() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        sender.probeAnswers.put(B1, HealthOutcome.timeout());
        link.serverAnswers = false;
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        settle();
        reply.complete(HealthOutcome.timeout());
        done.get(5, TimeUnit.SECONDS);
        settle();
        assertTrue(operational(B1), "the focus's own trouble");
        assertTrue(metric("focus_health_own_link_suspect_total") >= 1);
    }

    @Test
    void twoHungBridgesOfFourAreBothFailedWhenTheOwnLinkIsFine() throws Exception {
        String b4 = "jvbbrewery@internal.auth.meet.test/jvb4";
        doctor(manual());
        add(B1, B2, B3, b4);
        check(B3);
        check(b4);
        sender.answers.put(B1, HealthOutcome.timeout());
        sender.answers.put(B2, HealthOutcome.timeout());
        check(B1);
        check(B2);
        settle();
        assertFalse(operational(B1));
        assertFalse(operational(B2));
        assertTrue(operational(B3) && operational(b4));
        assertEquals(0.0, metric("focus_health_mass_miss_total"));
    }

    @Test
    void anUnansweredProbeDoesNotFailWhenTheOwnServerDoesNotAnswerEither() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B2);
        check(B3);
        link.serverAnswers = false;
        sender.answers.put(B1, HealthOutcome.timeout());
        for (int i = 0; i < 3; i++) {
            check(B1);
            settle();
        }
        assertTrue(operational(B1), "the focus's own trouble");
        assertTrue(metric("focus_health_own_link_suspect_total") >= 1);
        assertTrue(registry.snapshot().get(B1).suspect(), "still suspect: nothing answered");
    }

    /**
     * Probes of 500 ms (as the aggressive settings), checks of 5 s driven by the test; B2 and B3 answered theirs.
     * B1 misses a check; the probe that sends is left out (its reply is the future returned), so the suspicion the
     * miss raises sends no second one; B1's later probes time out unless a test says otherwise. (The fake link
     * answers a ping when it is sent: set its delays first.)
     */
    CompletableFuture<HealthOutcome> b1MissedWithAHalfSecondProbeOut() throws Exception {
        doctor(new HealthSettings(true, Duration.ofHours(1), Duration.ofHours(1), false, Duration.ofSeconds(45),
                Duration.ofSeconds(5), 2, Duration.ofHours(1), 0.5, Duration.ofMillis(500)));
        add(B1, B2, B3);
        check(B2);
        check(B3);
        CompletableFuture<HealthOutcome> probe = new CompletableFuture<>();
        sender.deferredProbes.put(B1, probe);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        settle();
        assertEquals(1, sender.probes(B1));
        assertEquals(1, doctor.misses(B1).get());
        assertTrue(registry.snapshot().get(B1).suspect());
        return probe;
    }

    double scaledProbes(String verdict) {
        Double v = metrics.getSampleValue("focus_health_scaled_probes_total", new String[] {"verdict"},
                new String[] {verdict});
        return v == null ? 0 : v;
    }

    /**
     * The soak: Prosody, busy with another bridge's mass move, answered the focus's own ping in over 250 ms (half the
     * 500 ms probe) again and again, and a dead bridge was held for 7.5 s. A late answer measures Prosody's delay:
     * the bridge is probed again at once with a deadline scaled to it (500 + 2 × 400 ms), and that probe unanswered
     * with its own ping answered within half its deadline (400 ms of 650) fails the bridge.
     */
    @Test
    void aHungBridgeIsFailedAfterAScaledProbeWhenTheOwnServersPingAnswersLate() throws Exception {
        link.pingDelay = Duration.ofMillis(400); // every ping: Prosody is that busy throughout
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        probe.complete(HealthOutcome.timeout());
        await().atMost(Duration.ofSeconds(5)).until(() -> !operational(B1));
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1300)), sender.probeTimeouts,
                "probed, then probed again with probe + 2 × the own server's delay");
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("1300 ms deadline"),
                registry.snapshot().get(B1).lastFailureReason());
        assertTrue(operational(B2) && operational(B3));
        await().atMost(Duration.ofSeconds(5)).until(() -> scaledProbes("failed") == 1.0);
    }

    /** A ping unanswered within its bound (the probe timeout) holds the verdict as before: no scaled probe. */
    @Test
    void whenTheOwnServersPingDoesNotAnswerWithinTheProbeTimeoutTheBridgeIsHeldWithoutAScaledProbe()
            throws Exception {
        link.pingDelay = Duration.ofMillis(900);
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        probe.complete(HealthOutcome.timeout());
        settle();
        assertEquals(List.of(Duration.ofMillis(500)), sender.probeTimeouts, "the own server's delay is unknown");
        assertTrue(operational(B1), "the focus's own trouble");
        assertEquals(0, doctor.misses(B1).get(), "the misses are forgotten");
        assertEquals(1.0, metric("focus_health_own_link_suspect_total"));
        assertTrue(registry.snapshot().get(B1).suspect());
        assertEquals(0.0, scaledProbes("held") + scaledProbes("failed") + scaledProbes("answered"));
    }

    /** A bridge that answers the scaled probe is fine (the slow one was Prosody): a pass, not suspect any more. */
    @Test
    void aBridgeThatAnswersTheScaledProbeIsNotSuspectAnyMore() throws Exception {
        link.pingDelay = Duration.ofMillis(400);
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        sender.probeAnswers.put(B1, HealthOutcome.passed());
        probe.complete(HealthOutcome.timeout());
        await().atMost(Duration.ofSeconds(5)).until(() -> !registry.snapshot().get(B1).suspect());
        settle();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1300)), sender.probeTimeouts);
        assertTrue(operational(B1));
        assertEquals(0, doctor.misses(B1).get());
        assertTrue(types().contains(BridgeEvent.Type.SUSPICION_CLEARED));
        assertFalse(types().contains(BridgeEvent.Type.FAILED));
        assertEquals(1.0, scaledProbes("answered"));
    }

    /** The scaled probe's own ping late too (over half its deadline): held, and not scaled again. */
    @Test
    void whenTheScaledProbesPingIsLateTooTheBridgeIsHeldAndNotProbedAgain() throws Exception {
        link.pingDelays.add(Duration.ofMillis(400)); // the ping sent with the first probe
        link.pingDelay = Duration.ofMillis(700);     // the scaled probe's: half its 1300 ms deadline is 650 ms
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        probe.complete(HealthOutcome.timeout());
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.probes(B1) == 2);
        settle();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1300)), sender.probeTimeouts,
                "one scaled probe per verdict");
        assertTrue(operational(B1), "the focus's own server did not answer in time again: its trouble");
        assertEquals(0, doctor.misses(B1).get(), "the misses are forgotten");
        assertTrue(registry.snapshot().get(B1).suspect(), "nothing answered");
        assertEquals(1.0, scaledProbes("held"));
        assertEquals(1.0, metric("focus_health_own_link_suspect_total"));
    }

    /**
     * A probe sent alongside an overdue check, unanswered with a late ping: its verdict waits for the check's timeout
     * and then sends the scaled probe (400 + 2 × 250 ms), which fails the bridge.
     */
    @Test
    void theVerdictOfAProbeAlongsideACheckSendsTheScaledProbeAtTheChecksTimeout() throws Exception {
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        sender.probeAnswers.put(B1, HealthOutcome.timeout());
        link.pingDelay = Duration.ofMillis(250); // over half the 400 ms probe, within half the 900 ms scaled one
        CompletableFuture<HealthOutcome> done = overdueCheckOfB1(reply);
        settle();
        assertEquals(1, sender.probes(B1), "held until the check times out");
        reply.complete(HealthOutcome.timeout());
        done.get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !operational(B1));
        assertEquals(List.of(Duration.ofMillis(400), Duration.ofMillis(900)), sender.probeTimeouts.subList(0, 2),
                "the scaled probe went out when the check timed out (the suspicion's own probe may follow)");
        assertTrue(operational(B2) && operational(B3));
    }

    // ------------------------------------------------------------------ overtaken: another bridge answered later

    /** The own server stops answering pings and B1 misses a check; its probe's reply is the future returned. */
    private CompletableFuture<HealthOutcome> b1MissesWithTheOwnServerSilent() throws Exception {
        link.serverAnswers = false;
        CompletableFuture<HealthOutcome> probe = new CompletableFuture<>();
        sender.deferredProbes.put(B1, probe);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        return probe;
    }

    /**
     * B1 misses a check (the 1 s probe that sends is left out: its reply is the future returned), its own server does
     * not answer pings; B2 and B3 answered checks before all this.
     */
    CompletableFuture<HealthOutcome> b1MissedWithItsProbeOutAndTheOwnServerSilent() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B2);
        check(B3);
        CompletableFuture<HealthOutcome> probe = b1MissesWithTheOwnServerSilent();
        settle();
        assertEquals(1, sender.probes(B1));
        assertTrue(registry.snapshot().get(B1).suspect());
        return probe;
    }

    double overtaken() { return metric("focus_health_overtaken_total"); }

    /** B1's probe goes unanswered; the scaled probe that leads to stays out: its reply is the future returned. */
    private CompletableFuture<HealthOutcome> probeUnansweredWithTheScaledProbeOut(
            CompletableFuture<HealthOutcome> probe) throws Exception {
        CompletableFuture<HealthOutcome> scaled = new CompletableFuture<>();
        sender.deferredProbes.put(B1, scaled);
        probe.complete(HealthOutcome.timeout());
        settle();
        return scaled;
    }

    /**
     * The soak: Prosody at 100 % of a core did not answer the focus's ping within the window, while another bridge's
     * reply to a request sent after the probe came back through it. The bridge may be slow, not hung: it gets the
     * longest scaled probe (1000 + 2 x 1000 ms), and is failed when that goes unanswered too while another bridge
     * answers a request sent after it.
     */
    @Test
    void aHungBridgeIsFailedWhenAnotherBridgeAnsweredARequestSentAfterItsScaledProbeThoughTheOwnServerIsSilent()
            throws Exception {
        CompletableFuture<HealthOutcome> probe = b1MissedWithItsProbeOutAndTheOwnServerSilent();
        check(B2); // sent after B1's probe, answered
        CompletableFuture<HealthOutcome> scaled = probeUnansweredWithTheScaledProbeOut(probe);
        assertTrue(operational(B1), "not failed at once: a slow bridge gets the scaled probe first");
        assertTrue(sender.probeTimeouts.contains(Duration.ofMillis(3000)), "the longest scaled probe: "
                + sender.probeTimeouts);
        check(B2); // sent after the scaled probe, answered
        scaled.complete(HealthOutcome.timeout());
        settle();
        assertFalse(operational(B1), "silent through its scaled probe while another bridge answered: its own silence");
        String reason = registry.snapshot().get(B1).lastFailureReason();
        assertTrue(reason.contains("a probe unanswered within 1000 ms; the focus's own server did not answer its "
                + "ping within 1000 ms, though another bridge answered a later request, and a probe with a 3000 ms "
                + "deadline went unanswered too; the focus's own server did not answer its ping within 1500 ms, but "
                + "jvb2 answered a request sent after this scaled probe"), reason);
        assertEquals(1.0, overtaken());
        assertEquals(1.0, scaledProbes("failed"));
        assertTrue(operational(B2) && operational(B3));
    }

    /**
     * The soak's false alarms: a bridge busy with a mass move's allocations misses a check and its probe while
     * Prosody answers the focus's ping late and another bridge answers a later request; it answers the scaled probe,
     * so it is kept (it was failed at once before).
     */
    @Test
    void aSlowBridgeThatAnswersItsScaledProbeIsKeptThoughAnotherBridgeAnsweredALaterRequest() throws Exception {
        CompletableFuture<HealthOutcome> probe = b1MissedWithItsProbeOutAndTheOwnServerSilent();
        check(B2); // sent after B1's probe, answered
        sender.probeAnswers.put(B1, HealthOutcome.passed());
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1), "slow, not hung");
        assertFalse(registry.snapshot().get(B1).suspect(), "the scaled probe's answer cleared the suspicion");
        assertEquals(0.0, overtaken());
        assertEquals(1.0, scaledProbes("answered"));
    }

    /** An answer to a request sent before the probe proves nothing about the probe, even if it came after it: held. */
    @Test
    void anAnswerToARequestSentBeforeTheProbeDoesNotCount() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B3);
        CompletableFuture<HealthOutcome> b2 = new CompletableFuture<>();
        sender.deferred.put(B2, b2);
        CompletableFuture<HealthOutcome> b2Done = doctor.checkNow(B2); // out before B1's probe
        doctor.flush().get(5, TimeUnit.SECONDS);
        CompletableFuture<HealthOutcome> probe = b1MissesWithTheOwnServerSilent();
        settle();
        b2.complete(HealthOutcome.passed()); // answered after B1's probe went out, but sent before it
        b2Done.get(5, TimeUnit.SECONDS);
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1), "held, as without overtaking evidence");
        assertEquals(1.0, metric("focus_health_own_link_suspect_total"));
        assertEquals(0.0, overtaken());
        assertEquals(0, doctor.misses(B1).get(), "a held verdict forgets the misses, as before");
    }

    /** The own link lost (and back) after the probe went out: the later answer came over another link; held. */
    @Test
    void anAnswerAfterALossOfTheOwnLinkDoesNotCount() throws Exception {
        CompletableFuture<HealthOutcome> probe = b1MissedWithItsProbeOutAndTheOwnServerSilent();
        link.epoch.incrementAndGet();
        check(B2);
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1), "a loss of the own link still holds everything");
        assertEquals(0.0, overtaken());
        assertEquals(1.0, metric("focus_health_own_link_suspect_total"));
    }

    /**
     * A bridge that missed its checks is judged after a ping of the focus's own server; the link is lost while that
     * ping is out. An answer from another bridge before the loss must not fail the bridge then.
     */
    @Test
    void aLossOfTheOwnLinkWhileTheVerdictsPingIsOutHoldsItDespiteAnEarlierLaterAnswer() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.deferredProbes.put(B1, new CompletableFuture<>()); // the first miss's probe stays out
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        CompletableFuture<HealthOutcome> second = new CompletableFuture<>();
        sender.deferred.put(B1, second);
        CompletableFuture<HealthOutcome> done = doctor.checkNow(B1);
        doctor.flush().get(5, TimeUnit.SECONDS);
        check(B2); // sent after B1's second check, answered
        link.loseOnPing = true;
        second.complete(HealthOutcome.timeout()); // the second miss in a row: the own server is pinged, then judged
        done.get(5, TimeUnit.SECONDS);
        settle();
        assertEquals(0, doctor.misses(B1).get(), "judged (and held): the misses are forgotten");
        assertTrue(operational(B1), "the link was lost since the check went out");
        assertEquals(0.0, overtaken());
    }

    /** A Colibri2 reply (the deadline watch puts it in the same send order) counts as a health check's does. */
    @Test
    void aColibriReplyToARequestSentAfterTheProbeCountsTheSame() throws Exception {
        CompletableFuture<HealthOutcome> probe = b1MissedWithItsProbeOutAndTheOwnServerSilent();
        roundTrips.answered(B3, roundTrips.sending()); // as ColibriDeadlineWatch does for a reply
        CompletableFuture<HealthOutcome> scaled = probeUnansweredWithTheScaledProbeOut(probe);
        assertTrue(sender.probeTimeouts.contains(Duration.ofMillis(3000)), "scaled: " + sender.probeTimeouts);
        roundTrips.answered(B3, roundTrips.sending()); // a reply to a request sent after the scaled probe
        scaled.complete(HealthOutcome.timeout());
        settle();
        assertFalse(operational(B1));
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("but jvb3 answered a request sent after "
                + "this scaled probe"), registry.snapshot().get(B1).lastFailureReason());
        assertEquals(1.0, overtaken());
    }

    /** Nothing but the bridge's own answers count: a bounce or a timeout of another bridge's later check does not. */
    @Test
    void aBounceOrATimeoutOfAnotherBridgesLaterCheckDoesNotCount() throws Exception {
        CompletableFuture<HealthOutcome> probe = b1MissedWithItsProbeOutAndTheOwnServerSilent();
        sender.deferredProbes.put(B2, new CompletableFuture<>());
        sender.answers.put(B2, HealthOutcome.timeout());
        check(B2);
        sender.answers.put(B3, HealthOutcome.unreachable("item-not-found: Recipient not in room"));
        check(B3);
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1));
        assertEquals(0.0, overtaken());
    }

    /**
     * A late ping sends the scaled probe (500 + 2 x 400 ms) even when another bridge already answered a later
     * request: a bridge that answers it is kept (the soak's false alarms were failed at once here).
     */
    @Test
    void aLatePingScalesTheProbeEvenWhenAnotherBridgeAnsweredALaterRequest() throws Exception {
        link.pingDelay = Duration.ofMillis(400);
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        check(B2);
        sender.probeAnswers.put(B1, HealthOutcome.passed());
        probe.complete(HealthOutcome.timeout());
        settle();
        assertTrue(operational(B1), "it answered the scaled probe");
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1300)), sender.probeTimeouts.subList(0, 2));
        assertEquals(0.0, overtaken());
        assertEquals(1.0, scaledProbes("answered"));
    }

    /**
     * ... and one silent through the scaled probe too, while the own server's ping goes unanswered within half its
     * 1300 ms deadline and another bridge answered a request sent after it, is failed as overtaken.
     */
    @Test
    void aBridgeSilentThroughItsScaledProbeIsFailedWhenAnotherBridgeAnsweredAfterIt() throws Exception {
        link.pingDelays.add(Duration.ofMillis(400)); // the first probe's ping: late
        link.pingDelays.add(Duration.ofMillis(700)); // the scaled probe's: not within its 650 ms window
        CompletableFuture<HealthOutcome> probe = b1MissedWithAHalfSecondProbeOut();
        check(B2);
        CompletableFuture<HealthOutcome> scaled = probeUnansweredWithTheScaledProbeOut(probe);
        assertTrue(operational(B1));
        check(B2); // sent after the scaled probe, answered
        scaled.complete(HealthOutcome.timeout());
        settle();
        assertFalse(operational(B1));
        String reason = registry.snapshot().get(B1).lastFailureReason();
        assertTrue(reason.contains("a probe with a 1300 ms deadline went unanswered too; the focus's own server did not "
                + "answer its ping within 650 ms, but jvb2 answered a request sent after this scaled probe"), reason);
        assertEquals(1.0, overtaken());
        assertEquals(1.0, scaledProbes("failed"));
    }

    /** B1, B2 and B3 on a manual doctor; B2 and B3 hang, their checks out for more than half the timeout. */
    private void twoOfThreeBridgesSilent() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.hanging.add(B2);
        sender.hanging.add(B3);
        doctor.checkNow(B2);
        doctor.checkNow(B3);
        doctor.flush().get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(3)); // B2's and B3's checks are out for more than half the timeout
    }

    /** The mass-miss hold does not apply either: another bridge demonstrably answered. */
    @Test
    void aMassMissIsNotHeldWhenAnotherBridgeAnsweredALaterRequest() throws Exception {
        twoOfThreeBridgesSilent();
        CompletableFuture<HealthOutcome> probe = new CompletableFuture<>();
        sender.deferredProbes.put(B1, probe);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        settle();
        roundTrips.answered(B2, roundTrips.sending()); // B2 answers a Colibri2 request sent after B1's probe
        probe.complete(HealthOutcome.timeout());
        settle();
        assertFalse(operational(B1));
        assertTrue(registry.snapshot().get(B1).lastFailureReason().contains("3 of 3 bridges are missing their health "
                + "checks at once, but jvb2 answered a request sent after this probe"),
                registry.snapshot().get(B1).lastFailureReason());
        assertEquals(0.0, metric("focus_health_mass_miss_total"));
        assertEquals(1.0, overtaken());
    }

    @Test
    void aTimeoutAcrossALossOfTheOwnLinkIsNotAMiss() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        CompletableFuture<HealthOutcome> reply = new CompletableFuture<>();
        sender.deferred.put(B1, reply);
        CompletableFuture<HealthOutcome> done = doctor.checkNow(B1);
        doctor.flush().get(5, TimeUnit.SECONDS);
        link.epoch.incrementAndGet(); // the focus lost its link (and came back) while the check was out
        reply.complete(HealthOutcome.timeout());
        assertEquals(HealthOutcome.Kind.TIMEOUT, done.get(5, TimeUnit.SECONDS).kind());
        settle();
        assertEquals(0, doctor.misses(B1).get(), "not a miss");
        assertEquals(0, sender.probes(B1), "nothing to probe");
        assertFalse(registry.snapshot().get(B1).suspect());
        assertEquals(1.0, metric("focus_health_own_link_suspect_total"));
    }

    @Test
    void presenceModeDoesNotProbeAndItsPassesDoNotClearSuspicion() throws Exception {
        doctor(new HealthSettings(true, Duration.ofHours(1), Duration.ofHours(1), true, Duration.ofSeconds(45),
                Duration.ofSeconds(5), 2, Duration.ofHours(1), 0.5));
        add(B1, B2);
        registry.suspect(B1, io.focus.core.bridge.SuspectSignal.STATS_OVERDUE, "no stats for 8 s");
        settle();
        assertEquals(0, sender.probes(B1), "presence-mode checks only read stats: nothing to probe with");
        check(B1); // a presence-mode pass: the stats are younger than presence-timeout
        assertTrue(registry.snapshot().get(B1).suspect(), "not an answer from the bridge");
        assertTrue(operational(B1));
    }

    @Test
    void theSuspectedEventFromAnotherSignalTriggersAProbe() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B2);
        check(B3);
        sender.probeAnswers.put(B1, HealthOutcome.timeout());
        registry.suspect(B1, io.focus.core.bridge.SuspectSignal.COLIBRI_DEADLINE, "allocate unanswered after 3000 ms");
        settle();
        assertEquals(1, sender.probes(B1));
        assertFalse(operational(B1), "suspect + unanswered probe = FAILED, without waiting for the brewery");
        assertEquals(1.0, metrics.getSampleValue("focus_bridge_suspected_total", new String[] {"signal"},
                new String[] {"colibri_deadline"}));
    }

    @Test
    void aPassBetweenMissesResetsTheCount() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        // the probe the first miss sends stays out (one probe at a time): only the count of misses is at stake here
        sender.deferredProbes.put(B1, new CompletableFuture<>());
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        sender.answers.put(B1, HealthOutcome.passed());
        check(B1);
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        settle();
        assertTrue(operational(B1));
        assertEquals(1, doctor.misses(B1).get());
    }

    @Test
    void missesRunUpWhileTheOwnServerWasSilentDoNotFailTheBridgeOnceTheServerAnswersAgain() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        check(B2);
        check(B3);
        link.serverAnswers = false; // Prosody stalls: nobody, the focus's own server included, answers in time
        sender.answers.put(B1, HealthOutcome.timeout());
        for (int i = 0; i < 4; i++) {
            check(B1);
            settle();
        }
        assertTrue(operational(B1), "the focus's own trouble");
        // the stall is over: the server answers, B1 answers its probe; one more late check must not fail it on the
        // misses counted during the stall (the soak saw "no reply to 8 health checks in a row" fail healthy bridges)
        link.serverAnswers = true;
        sender.probeAnswers.put(B1, HealthOutcome.passed());
        check(B1);
        settle();
        assertTrue(operational(B1), "a fresh check and its probe must both go unanswered: " + types());
        assertFalse(types().contains(BridgeEvent.Type.FAILED));
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

    /**
     * An error reply the bridge wrote is its answer and clears a suspicion; an exception on the focus's side
     * ({@link HealthOutcome#localError}) is not: the bridge stays suspect, and is not failed for it either.
     */
    @Test
    void aFocusSideErrorDoesNotClearASuspicion() throws Exception {
        doctor(manual());
        add(B1, B2);
        sender.answers.put(B1, HealthOutcome.localError("java.lang.IllegalStateException: boom"));
        sender.answers.put(B2, HealthOutcome.error("item-not-found"));
        // a suspect bridge is probed at once: the probes get the same answers as the checks
        registry.suspect(B1, SuspectSignal.COLIBRI_DEADLINE, "a Colibri2 request unanswered");
        registry.suspect(B2, SuspectSignal.COLIBRI_DEADLINE, "a Colibri2 request unanswered");
        settle();
        check(B1);
        check(B2);
        settle();
        assertTrue(registry.snapshot().get(B1).suspect(), "the focus's own exception is not the bridge's answer");
        assertTrue(operational(B1));
        assertFalse(registry.snapshot().get(B2).suspect(), "an error reply the bridge wrote is an answer");
        assertEquals(1.0, metric("focus_health_checks_total", "jvb1", "error"));
    }

    /** A probe that fails on the focus's side after a missed check neither clears the suspicion nor fails the bridge. */
    @Test
    void aProbeThatFailsOnTheFocusSideIsNotAnAnswer() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        sender.answers.put(B1, HealthOutcome.timeout());
        sender.probeAnswers.put(B1, HealthOutcome.localError("java.lang.IllegalStateException: boom"));
        check(B1);
        settle();
        assertTrue(sender.probes(B1) >= 1);
        assertTrue(registry.snapshot().get(B1).suspect(), "suspect since the miss; the probe did not answer");
        assertTrue(operational(B1), "nothing was heard from the bridge: not failed either");
        assertFalse(types().contains(BridgeEvent.Type.SUSPICION_CLEARED));
    }

    @Test
    void whenMostBridgesMissTogetherNothingIsFailed() throws Exception {
        doctor(manual());
        add(B1, B2, B3);
        link.serverAnswers = false; // the focus's link is the slow one: its own server does not answer either
        for (String b : List.of(B1, B2, B3)) sender.answers.put(b, HealthOutcome.timeout());
        for (int round = 0; round < 3; round++) {
            for (String b : List.of(B1, B2, B3)) check(b);
        }
        settle();
        assertTrue(operational(B1) && operational(B2) && operational(B3));
        assertTrue(metric("focus_health_own_link_suspect_total") >= 1);
        assertFalse(types().contains(BridgeEvent.Type.FAILED));
    }

    @Test
    void whenMostBridgesAreSilentAndNoneAnswersItIsAMassMissEvenWithTheOwnServerAnswering() throws Exception {
        twoOfThreeBridgesSilent();
        sender.answers.put(B1, HealthOutcome.timeout());
        check(B1);
        settle();
        assertTrue(operational(B1));
        assertTrue(metric("focus_health_mass_miss_total") >= 1);
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
        // (no stats came in the minute the fake clock moved: the bridges were suspect meanwhile, and probed)
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED,
                BridgeEvent.Type.RECOVERED), types().stream().filter(t -> t != BridgeEvent.Type.SUSPECTED
                && t != BridgeEvent.Type.SUSPICION_CLEARED).toList());
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

    /** Whether {@code focus_health_checks_total} has any series for the bridge nick. */
    boolean hasCheckSeries(String nick) {
        return java.util.Collections.list(metrics.metricFamilySamples()).stream()
                .filter(f -> f.name.equals("focus_health_checks"))
                .flatMap(f -> f.samples.stream())
                .anyMatch(x -> x.labelValues.contains(nick));
    }

    @Test
    void aRemovedBridgesCheckSeriesAreDropped() throws Exception {
        doctor(manual());
        add(B1, B2);
        check(B1);
        sender.answers.put(B1, HealthOutcome.error("bad-request"));
        check(B1);
        check(B2);
        assertEquals(1.0, metric("focus_health_checks_total", "jvb1", "passed"));
        assertEquals(1.0, metric("focus_health_checks_total", "jvb1", "error"));
        assertTrue(hasCheckSeries("jvb1"));

        registry.onLeft(B1, "left the brewery");
        settle();

        assertFalse(hasCheckSeries("jvb1"), "every outcome series of the removed bridge is gone");
        assertEquals(1.0, metric("focus_health_checks_total", "jvb2", "passed"), "other bridges keep theirs");
    }

    @Test
    void aCheckAnsweredAfterTheBridgeLeftDoesNotBringItsSeriesBack() throws Exception {
        doctor(manual());
        add(B1);
        check(B1);
        CompletableFuture<HealthOutcome> late = new CompletableFuture<>();
        sender.deferred.put(B1, late);
        CompletableFuture<HealthOutcome> inFlight = doctor.checkNow(B1);
        doctor.flush().get(5, TimeUnit.SECONDS);
        assertTrue(hasCheckSeries("jvb1"));

        registry.onLeft(B1, "left the brewery");
        settle();
        late.complete(HealthOutcome.passed());
        inFlight.get(5, TimeUnit.SECONDS);
        settle();

        assertFalse(hasCheckSeries("jvb1"));
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
