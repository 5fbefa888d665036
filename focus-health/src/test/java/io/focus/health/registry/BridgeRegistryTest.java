package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import io.focus.core.loop.EventLoops;

class BridgeRegistryTest {
    static final String JVB1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String JVB2 = "jvbbrewery@internal.auth.meet.test/jvb2";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final RegistrySettings settings = new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1),
            Duration.ofHours(1)); // refresh driven by hand
    BridgeRegistry registry;
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = new BridgeRegistry(settings, SuspectSettings.defaults(), clock, EventLoops.unregistered());
        registry.addListener(ev -> {
            // the snapshot reflecting the event is published before the event is delivered, on the control thread
            if (!registry.onControlThread()) problems.add("not on the control thread: " + ev);
            BridgeSnapshot s = registry.snapshot();
            if (ev.type() == BridgeEvent.Type.REMOVED ? s.contains(ev.bridge().id()) : !s.contains(ev.bridge().id())) {
                problems.add("snapshot not published before " + ev);
            }
            events.add(ev);
        });
    }

    @AfterEach
    void tearDown() {
        registry.close();
        assertEquals(List.of(), problems);
    }

    void sync() throws Exception { registry.flush().get(5, TimeUnit.SECONDS); }

    static BridgeStats stats(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new BridgeStats(m);
    }

    List<BridgeEvent.Type> types() { return events.stream().map(BridgeEvent::type).toList(); }

    /**
     * The events without suspicion (tests that move the fake clock by minutes without stats make their bridges
     * overdue, which {@link BridgeSuspicionTest} covers).
     */
    List<BridgeEvent.Type> healthTypes() {
        return types().stream().filter(t -> t != BridgeEvent.Type.SUSPECTED && t != BridgeEvent.Type.SUSPICION_CLEARED)
                .toList();
    }

    @Test
    void firstStatsAddABridgeWithItsReportedState() throws Exception {
        registry.onStats(JVB1, stats("stress_level", "0.3", "region", "us-east", "version", "2.3.0", "release", "abc",
                "relay_id", "jvb1", "average_participant_stress", "0.02"));
        sync();
        BridgeState b = registry.snapshot().get(JVB1);
        assertEquals("jvb1", b.nick());
        assertEquals("us-east", b.region());
        assertEquals("2.3.0-abc", b.version());
        assertEquals("jvb1", b.relayId());
        assertEquals(0.3, b.reportedStress(), 1e-9);
        assertEquals(0.02, b.averageParticipantStress(), 1e-9);
        assertTrue(b.operational());
        assertFalse(b.draining(), "a bridge that never reports drain is not draining");
        assertEquals(clock.instant(), b.lastStatsAt());
        assertEquals(List.of(BridgeEvent.Type.ADDED), types());
        assertSame(registry.snapshot().find("jvb1"), b);
    }

    @Test
    void absentStatsKeepTheirValueAndGarbageIsIgnoredAndLoggedOnce() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(BridgeRegistry.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            registry.onStats(JVB1, stats("stress_level", "0.3", "region", "us-east", "drain", "true"));
            registry.onStats(JVB1, stats("stress_level", "0.4"));
            sync();
            BridgeState b = registry.snapshot().get(JVB1);
            assertEquals(0.4, b.reportedStress(), 1e-9);
            assertEquals("us-east", b.region(), "absent region keeps its value");
            assertTrue(b.draining(), "absent drain keeps its value");

            registry.onStats(JVB1, stats("stress_level", "lots", "drain", "perhaps"));
            registry.onStats(JVB1, stats("stress_level", "much"));
            sync();
            b = registry.snapshot().get(JVB1);
            assertEquals(0.4, b.reportedStress(), 1e-9, "garbage stress ignored");
            assertTrue(b.draining(), "garbage drain ignored");
            long stressWarnings = appender.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("unparseable stress_level")).count();
            assertEquals(1, stressWarnings, "logged once per bridge and stat");
            assertTrue(appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("unparseable drain")));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void gracefulShutdownAndShuttingDownClearWhenReportedFalseAgain() throws Exception {
        registry.onStats(JVB1, stats("graceful_shutdown", "false", "shutting_down", "false"));
        registry.onStats(JVB1, stats("graceful_shutdown", "true"));
        registry.onStats(JVB1, stats("shutting_down", "true"));
        sync();
        assertTrue(registry.snapshot().get(JVB1).gracefulShutdown());
        assertTrue(registry.snapshot().get(JVB1).shuttingDown());
        registry.onStats(JVB1, stats("graceful_shutdown", "false", "shutting_down", "false"));
        sync();
        assertFalse(registry.snapshot().get(JVB1).gracefulShutdown());
        assertFalse(registry.snapshot().get(JVB1).shuttingDown());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED,
                BridgeEvent.Type.SHUTTING_DOWN, BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED), types());
        assertTrue(events.get(2).requiresMove());
        assertTrue(events.get(2).bridge().shuttingDown(), "the event carries the state after the change");
    }

    @Test
    void drainReportedAndDrainedByFocusEmitDrainingChanged() throws Exception {
        registry.onStats(JVB1, stats("drain", "false"));
        sync();
        assertTrue(registry.setDrainedByFocus("jvb1", true));
        assertFalse(registry.setDrainedByFocus("nope", true));
        sync();
        assertTrue(registry.snapshot().get(JVB1).draining());
        assertTrue(registry.snapshot().get(JVB1).drainedByFocus());
        registry.onStats(JVB1, stats("drain", "true")); // still draining: no event
        registry.setDrainedByFocus(JVB1, false);         // still draining (reported): no event
        registry.onStats(JVB1, stats("drain", "false")); // now not draining
        sync();
        assertFalse(registry.snapshot().get(JVB1).draining());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.DRAINING_CHANGED,
                BridgeEvent.Type.DRAINING_CHANGED), types());
    }

    @Test
    void rampUpWindowCountsEndpointsAddedInTheLastTwentySeconds() throws Exception {
        registry.onStats(JVB1, stats("stress_level", "0.1", "average_participant_stress", "0.05"));
        registry.endpointAdded(JVB1);
        registry.endpointAdded(JVB1);
        sync();
        clock.advance(Duration.ofSeconds(10));
        registry.endpointAdded(JVB1);
        sync();
        BridgeState b = registry.snapshot().get(JVB1);
        assertEquals(3, b.recentlyAddedEndpoints());
        assertEquals(3, b.endpoints());
        assertEquals(0.1 + 3 * 0.05, b.correctedStress(), 1e-9);

        clock.advance(Duration.ofMillis(10_500)); // the first two are now 20.5 s old
        long before = registry.snapshot().sequence();
        registry.refresh().get(5, TimeUnit.SECONDS);
        b = registry.snapshot().get(JVB1);
        assertTrue(registry.snapshot().sequence() > before, "the slide re-publishes");
        assertEquals(1, b.recentlyAddedEndpoints());
        assertEquals(0.1 + 0.05, b.correctedStress(), 1e-9);
        assertEquals(3, b.endpoints(), "the endpoint count is not windowed");

        clock.advance(Duration.ofSeconds(10));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertEquals(0, registry.snapshot().get(JVB1).recentlyAddedEndpoints());
        assertEquals(0.1, registry.snapshot().get(JVB1).correctedStress(), 1e-9);

        long seq = registry.snapshot().sequence();
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertEquals(seq, registry.snapshot().sequence(), "no change, no new snapshot");

        registry.endpointRemoved(JVB1);
        registry.endpointRemoved(JVB1);
        registry.endpointRemoved(JVB1);
        registry.endpointRemoved(JVB1);
        sync();
        assertEquals(0, registry.snapshot().get(JVB1).endpoints(), "clamped at zero");
    }

    @Test
    void configuredAverageParticipantStressIsUsedUntilTheBridgeReportsOne() throws Exception {
        registry.onStats(JVB1, stats("stress_level", "0.2"));
        registry.endpointAdded(JVB1);
        sync();
        assertEquals(0.2 + 0.01, registry.snapshot().get(JVB1).correctedStress(), 1e-9);
    }

    @Test
    void failedBridgeRecoversOnlyAfterAPassAndTheResetThreshold() throws Exception {
        registry.onStats(JVB1, stats("stress_level", "0.1"));
        sync();
        registry.markFailed(JVB1, "health check: internal-server-error");
        sync();
        BridgeState b = registry.snapshot().get(JVB1);
        assertEquals(BridgeState.Health.FAILED, b.health());
        assertEquals("health check: internal-server-error", b.lastFailureReason());
        assertEquals(clock.instant(), b.lastFailure());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED), types());
        assertTrue(events.get(1).requiresMove());

        clock.advance(Duration.ofSeconds(10));
        registry.markHealthy(JVB1);
        sync();
        assertFalse(registry.snapshot().get(JVB1).operational(), "a pass inside the reset period is not enough");

        clock.advance(Duration.ofSeconds(49)); // 59 s after the failure
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(registry.snapshot().get(JVB1).operational());

        clock.advance(Duration.ofSeconds(1)); // 60 s: the early pass counts now
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(registry.snapshot().get(JVB1).operational());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED, BridgeEvent.Type.RECOVERED), healthTypes());
    }

    @Test
    void withoutAPassTheBridgeStaysFailedAndEveryFailureRestartsTheClock() throws Exception {
        registry.onStats(JVB1, stats());
        registry.markFailed(JVB1, "first");
        sync();
        clock.advance(Duration.ofMinutes(5));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(registry.snapshot().get(JVB1).operational(), "time alone does not recover a bridge");

        registry.markFailed(JVB1, "second");  // no second FAILED event
        sync();
        clock.advance(Duration.ofSeconds(30));
        registry.markHealthy(JVB1);
        sync();
        assertFalse(registry.snapshot().get(JVB1).operational(), "the second failure restarted the reset period");
        assertEquals("second", registry.snapshot().get(JVB1).lastFailureReason());

        clock.advance(Duration.ofSeconds(30));
        registry.markHealthy(JVB1);
        sync();
        assertTrue(registry.snapshot().get(JVB1).operational());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED, BridgeEvent.Type.RECOVERED), healthTypes());
    }

    @Test
    void failureAfterAPassCancelsThePass() throws Exception {
        registry.onStats(JVB1, stats());
        registry.markFailed(JVB1, "one");
        sync();
        clock.advance(Duration.ofSeconds(5));
        registry.markHealthy(JVB1);
        sync();
        clock.advance(Duration.ofSeconds(5));
        registry.markFailed(JVB1, "two");
        sync();
        clock.advance(Duration.ofSeconds(61));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(registry.snapshot().get(JVB1).operational(), "the pass before the last failure does not count");
    }

    @Test
    void leaveRemovesWithTheLastStateAndUnknownIdsAreIgnored() throws Exception {
        registry.onStats(JVB1, stats("region", "eu"));
        registry.onStats(JVB2, stats("region", "us"));
        registry.onLeft(JVB1, "left the brewery");
        registry.onLeft("nobody", "left");
        registry.markFailed("nobody", "x");
        registry.endpointAdded("nobody");
        sync();
        assertFalse(registry.snapshot().contains(JVB1));
        assertTrue(registry.snapshot().contains(JVB2));
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.ADDED, BridgeEvent.Type.REMOVED), types());
        assertEquals("eu", events.get(2).bridge().region());
        assertEquals("left the brewery", events.get(2).reason());
        assertEquals(List.of(JVB2), registry.snapshot().bridges().stream().map(BridgeState::id).toList());
    }

    @Test
    void rejoiningBridgeIsNewWithFreshFlags() throws Exception {
        registry.onStats(JVB1, stats("drain", "true"));
        registry.markFailed(JVB1, "x");
        registry.onLeft(JVB1, "left");
        registry.onStats(JVB1, stats());
        sync();
        BridgeState b = registry.snapshot().get(JVB1);
        assertTrue(b.operational());
        assertFalse(b.draining());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.FAILED, BridgeEvent.Type.REMOVED,
                BridgeEvent.Type.ADDED), types());
    }

    @Test
    void uptimeGoingDownMeansARestartAndReportsAreDebounced() throws Exception {
        registry.onStats(JVB1, stats("uptime", "500"));
        registry.onStats(JVB1, stats("uptime", "505"));
        registry.onStats(JVB1, stats("uptime", "3"));
        sync();
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.RESTARTED), types());
        assertTrue(events.get(1).requiresMove());
        registry.bridgeRestarted(JVB1, "conference_not_found for conf1");
        sync();
        clock.advance(Duration.ofSeconds(1));
        registry.bridgeRestarted(JVB1, "conference_not_found for conf2");
        sync();
        assertEquals(2, events.size(), "a burst of reports is one restart");
        clock.advance(Duration.ofSeconds(BridgeRegistry.RESTART_DEBOUNCE_SECONDS));
        registry.markFailed(JVB1, "x");
        registry.bridgeRestarted(JVB1, "conference_not_found for conf3");
        sync();
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.RESTARTED, BridgeEvent.Type.FAILED,
                BridgeEvent.Type.RESTARTED), types());
        assertTrue(registry.snapshot().get(JVB1).operational(), "a restarted bridge starts afresh");
    }

    @Test
    void listenerThatThrowsDoesNotStopOthersOrTheRegistry() throws Exception {
        registry.addListener(ev -> { throw new IllegalStateException("boom"); });
        List<BridgeEvent> seen = new CopyOnWriteArrayList<>();
        registry.addListener(seen::add);
        registry.onStats(JVB1, stats());
        registry.onStats(JVB2, stats());
        sync();
        assertEquals(2, seen.size());
        assertEquals(2, registry.snapshot().size());
    }

    @Test
    void settingsFromConfigHaveJicofoDefaultsAndRejectBadValues() {
        com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.load();
        RegistrySettings s = RegistrySettings.fromConfig(c);
        assertEquals(RegistrySettings.defaults(), s);
        com.typesafe.config.Config bad = com.typesafe.config.ConfigFactory
                .parseString("jicofo.bridge.participant-rampup-interval = 0s").withFallback(c);
        var ex = assertThrows(com.typesafe.config.ConfigException.class, () -> RegistrySettings.fromConfig(bad));
        assertTrue(ex.getMessage().contains("jicofo.bridge.participant-rampup-interval"), ex.getMessage());
    }
}
