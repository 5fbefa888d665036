package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.core.bridge.SuspectSignal;

import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.xmpp.connection.OwnLink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.focus.core.loop.EventLoops;
import java.time.Clock;

/** Suspicion in the registry, on a fake clock: raised by each signal, cleared by each kind of answer. */
class BridgeSuspicionTest {
    static final String JVB1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String JVB2 = "jvbbrewery@internal.auth.meet.test/jvb2";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final BridgeRegistry registry = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20),
            Duration.ofMinutes(1), Duration.ofHours(1)), SuspectSettings.defaults(), clock, EventLoops.unregistered());
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();

    static final class Link implements OwnLink {
        volatile boolean ready = true;
        final AtomicLong epoch = new AtomicLong();
        @Override public boolean ready() { return ready; }
        @Override public long epoch() { return epoch.get(); }
        @Override public CompletableFuture<java.util.Optional<Duration>> verify(Duration timeout) {
            return CompletableFuture.completedFuture(
                    ready ? java.util.Optional.of(Duration.ZERO) : java.util.Optional.empty());
        }
    }

    BridgeSuspicionTest() {
        registry.addListener(events::add);
    }

    @AfterEach
    void tearDown() { registry.close(); }

    void sync() throws Exception { registry.flush().get(5, TimeUnit.SECONDS); }

    void stats(String id) throws Exception {
        registry.onStats(id, new BridgeStats(Map.of("stress_level", "0.1")));
        sync();
    }

    BridgeState state(String id) { return registry.snapshot().get(id); }

    List<BridgeEvent.Type> types(String id) {
        return events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList();
    }

    @Test
    void anUnansweredRequestMakesTheBridgeSuspectAndAnyAnswerClearsIt() throws Exception {
        stats(JVB1);
        stats(JVB2);
        registry.suspect(JVB1, SuspectSignal.COLIBRI_DEADLINE, "allocate unanswered after 3000 ms");
        sync();
        BridgeState s = state(JVB1);
        assertTrue(s.suspect());
        assertEquals(SuspectSignal.COLIBRI_DEADLINE, s.suspectSignal());
        assertEquals(clock.instant(), s.suspectSince());
        assertTrue(s.operational(), "suspect is not failed");
        assertFalse(state(JVB2).suspect());
        registry.suspect(JVB1, SuspectSignal.HEALTH_TIMEOUT, "again");
        sync();
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.SUSPECTED), types(JVB1), "one event while suspect");
        assertFalse(events.get(events.size() - 1).requiresMove(), "suspicion moves nobody");

        registry.answered(JVB1, "Colibri2 reply");
        sync();
        assertFalse(state(JVB1).suspect());
        assertNull(state(JVB1).suspectReason());
        assertEquals(BridgeEvent.Type.SUSPICION_CLEARED, types(JVB1).get(types(JVB1).size() - 1));
    }

    @Test
    void aHealthPassAndFreshStatsClearIt() throws Exception {
        stats(JVB1);
        registry.suspect(JVB1, SuspectSignal.HEALTH_TIMEOUT, "health check unanswered");
        sync();
        assertTrue(state(JVB1).suspect());
        registry.markHealthy(JVB1);
        sync();
        assertTrue(state(JVB1).suspect(), "markHealthy alone (a presence-mode pass) is no answer from the bridge");
        registry.answered(JVB1, "a health check passed");
        sync();
        assertFalse(state(JVB1).suspect(), "a health pass");
        registry.suspect(JVB1, SuspectSignal.HEALTH_TIMEOUT, "health check unanswered");
        sync();
        assertTrue(state(JVB1).suspect());
        stats(JVB1);
        assertFalse(state(JVB1).suspect(), "fresh stats");
    }

    @Test
    void overdueStatsMakeItSuspectAfterOneAndAHalfIntervals() throws Exception {
        for (int i = 0; i < 3; i++) {
            stats(JVB1);
            clock.advance(Duration.ofSeconds(5));
        }
        stats(JVB1); // shown interval: 5 s
        clock.advance(Duration.ofMillis(7400));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(state(JVB1).suspect(), "7.4 s < 1.5 x 5 s");
        clock.advance(Duration.ofMillis(200));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(state(JVB1).suspect(), "7.6 s > 1.5 x 5 s");
        assertEquals(SuspectSignal.STATS_OVERDUE, state(JVB1).suspectSignal());
        stats(JVB1);
        assertFalse(state(JVB1).suspect());
    }

    @Test
    void aTimerFindsOverdueStatsWithoutWaitingForTheRefresh() throws Exception {
        BridgeRegistry real = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20),
                Duration.ofMinutes(1), Duration.ofHours(1)), new SuspectSettings(Duration.ofSeconds(3),
                Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 1.5, Duration.ofMillis(200)), Clock.systemUTC(),
                        EventLoops.unregistered());
        try {
            real.setOwnLink(new Link());
            real.start(); // the refresh is an hour away: only the timer set at the stats can find them overdue
            real.onStats(JVB1, new BridgeStats(Map.of("stress_level", "0.1")));
            real.flush().get(5, TimeUnit.SECONDS);
            assertFalse(real.snapshot().get(JVB1).suspect());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                    .until(() -> real.snapshot().get(JVB1).suspect());
            assertEquals(SuspectSignal.STATS_OVERDUE, real.snapshot().get(JVB1).suspectSignal());
        } finally {
            real.close();
        }
    }

    @Test
    void theIntervalABridgeHasShownCounts() throws Exception {
        for (int i = 0; i < 3; i++) {
            stats(JVB1);
            clock.advance(Duration.ofSeconds(20));
        }
        stats(JVB1); // a bridge that publishes every 20 s
        clock.advance(Duration.ofSeconds(25));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(state(JVB1).suspect(), "25 s < 1.5 x 20 s");
        clock.advance(Duration.ofSeconds(6));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(state(JVB1).suspect());
    }

    @Test
    void statsAreNotOverdueWhileTheOwnLinkIsDownAndAgeFromItsReturn() throws Exception {
        Link link = new Link();
        registry.setOwnLink(link);
        stats(JVB1);
        registry.refresh().get(5, TimeUnit.SECONDS); // sees the link's first epoch
        link.ready = false;
        clock.advance(Duration.ofSeconds(30));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(state(JVB1).suspect(), "the focus's own link is down: its silence is ours");
        link.ready = true;
        link.epoch.incrementAndGet();
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(state(JVB1).suspect(), "counted from the link's return");
        clock.advance(Duration.ofSeconds(8));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(state(JVB1).suspect(), "still no stats 8 s after the link came back");
    }

    @Test
    void oneParticipantsTroubleDoesNotMakeItSuspectTwoWithinTheWindowDo() throws Exception {
        stats(JVB1);
        registry.participantTrouble(JVB1, "room@conference/a");
        registry.participantTrouble(JVB1, "room@conference/a");
        registry.participantTrouble(JVB1, "room@conference/a");
        sync();
        assertFalse(state(JVB1).suspect(), "one client, however often");
        clock.advance(Duration.ofSeconds(11));
        registry.participantTrouble(JVB1, "room@conference/b");
        sync();
        assertFalse(state(JVB1).suspect(), "the other was outside the 10 s window");
        clock.advance(Duration.ofSeconds(2));
        registry.participantTrouble(JVB1, "room@conference/c");
        sync();
        assertTrue(state(JVB1).suspect());
        assertEquals(SuspectSignal.ICE_FAILURES, state(JVB1).suspectSignal());
    }

    @Test
    void evidenceAboutAnUnknownBridgeIsIgnored() throws Exception {
        registry.suspect(JVB1, SuspectSignal.COLIBRI_DEADLINE, "x");
        registry.participantTrouble(JVB1, "a");
        registry.answered(JVB1, "y");
        sync();
        assertTrue(events.isEmpty());
        assertNull(state(JVB1));
    }

    @Test
    void settingsNameABadKey() {
        var c = com.typesafe.config.ConfigFactory.load();
        assertEquals(SuspectSettings.defaults(), SuspectSettings.fromConfig(c));
        var bad = com.typesafe.config.ConfigFactory.parseString("focus.bridge.suspect.ice-failures = 0").withFallback(c);
        var ex = assertThrows(com.typesafe.config.ConfigException.class, () -> SuspectSettings.fromConfig(bad));
        assertTrue(ex.getMessage().contains("focus.bridge.suspect.ice-failures"), ex.getMessage());
        var factor = com.typesafe.config.ConfigFactory.parseString("focus.bridge.suspect.stats-overdue-factor = 0.5")
                .withFallback(c);
        assertThrows(com.typesafe.config.ConfigException.class, () -> SuspectSettings.fromConfig(factor));
    }
}
