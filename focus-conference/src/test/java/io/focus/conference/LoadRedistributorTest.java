package io.focus.conference;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.SuspectSignal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jicofo's automatic load redistribution on a fake clock: who sheds endpoints, how many, how often. */
class LoadRedistributorTest {
    /** Jicofo's defaults, on: every minute, 10 endpoints off a bridge at >= 0.9 while one is < 0.8, then 3 minutes. */
    static final LoadRedistributionSettings JICOFO = new LoadRedistributionSettings(true, Duration.ofMinutes(1), 0.9,
            Duration.ofMinutes(3), 10, 0.8);

    Harness h;
    LoadRedistributor redistributor;

    @BeforeEach
    void seventeenEndpointsOnAnOverloadedJvb1() {
        h = Harness.octo();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.3, null);
        h.bridges.add("jvb3", 0.4, null);
        h.conference("big", AdminMoveTest.ps("b", 10));
        h.conference("mid", AdminMoveTest.ps("m", 5));
        h.conference("small", AdminMoveTest.ps("s", 2));
        // the registry would now show the focus's 17 endpoints and the stress the bridge reports
        h.bridges.update("jvb1", b -> b.reportedStress(0.95).endpoints(17));
    }

    @AfterEach
    void tearDown() {
        if (redistributor != null) {
            redistributor.close();
            h.loop.runPending();
        }
    }

    LoadRedistributor start(LoadRedistributionSettings s) {
        redistributor = new LoadRedistributor(s, h.manager, h.bridges, h.loop.clock, h.registry);
        redistributor.start();
        h.loop.runPending();
        return redistributor;
    }

    int onJvb1() { return h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size(); }

    double moved() { return h.counter("jitsi_jicofo_load_redistributor_endpoints_moved_total"); }

    @Test
    void everyIntervalTheEndpointsMoveOffThenTheBridgeWaitsForTheTimeout() {
        start(JICOFO);
        h.loop.advance(Duration.ofSeconds(59));
        assertEquals(17, onJvb1(), "nothing before the first interval");
        h.loop.advance(Duration.ofSeconds(1));
        assertEquals(7, onJvb1(), "10 moved, the largest conference first");
        assertEquals(0, h.placement("big").values().stream().filter("jvb1"::equals).count());
        assertEquals(10.0, moved());
        h.loop.advance(Duration.ofMinutes(2));
        assertEquals(7, onJvb1(), "still overloaded, but in its 3-minute timeout");
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(0, onJvb1(), "3 minutes after the last move: the next 10 (7 left)");
        assertEquals(17.0, moved());
        assertFalse(h.placement("mid").containsValue("jvb1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void nothingMovesWhileNoBridgeIsBelowTheOverloadThreshold() {
        h.bridges.update("jvb2", b -> b.reportedStress(0.85));
        h.bridges.update("jvb3", b -> b.reportedStress(0.8));
        start(JICOFO);
        h.loop.advance(Duration.ofMinutes(5));
        assertEquals(17, onJvb1());
        assertEquals(0.0, moved());
        h.bridges.update("jvb3", b -> b.reportedStress(0.79));
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(7, onJvb1(), "jvb3 can take them now");
    }

    @Test
    void aBridgeThatCannotTakeNewParticipantsIsNoReceiver() {
        h.bridges.update("jvb2", b -> b.draining(true));
        h.bridges.update("jvb3", b -> b.failingIce(true));
        start(JICOFO);
        h.loop.advance(Duration.ofMinutes(2));
        assertEquals(17, onJvb1());
        h.bridges.update("jvb3", b -> b.failingIce(false).suspect(SuspectSignal.COLIBRI_DEADLINE, "x", Instant.EPOCH));
        h.loop.advance(Duration.ofMinutes(2));
        assertEquals(17, onJvb1());
        h.bridges.update("jvb3", b -> b.suspect(null, null, null));
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(7, onJvb1());
    }

    @Test
    void belowTheRedistributionThresholdNothingMovesEvenWhenOverloaded() {
        h.bridges.update("jvb1", b -> b.reportedStress(0.85));
        start(JICOFO);
        h.loop.advance(Duration.ofMinutes(5));
        assertEquals(17, onJvb1());
    }

    @Test
    void offByDefaultAndSwitchedOnAndOffByReload() {
        LoadRedistributionSettings off = LoadRedistributionSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.stress-threshold = 0.8"));
        assertEquals(new LoadRedistributionSettings(false, Duration.ofMinutes(1), 0.9, Duration.ofMinutes(3), 10, 0.8),
                off, "Jicofo's defaults");
        int conferenceTimers = h.loop.pendingTimers();
        start(off);
        assertEquals(conferenceTimers, h.loop.pendingTimers(), "no timer while off");
        h.loop.advance(Duration.ofMinutes(5));
        assertEquals(17, onJvb1());

        redistributor.apply(JICOFO);
        h.loop.runPending();
        assertEquals(conferenceTimers + 1, h.loop.pendingTimers());
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(7, onJvb1());
        redistributor.apply(off);
        h.loop.advance(Duration.ofMinutes(10));
        assertEquals(7, onJvb1(), "off again");
    }

    @Test
    void badValuesNameTheirKey() {
        var e = assertThrows(ConfigException.class, () -> LoadRedistributionSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.stress-threshold = 0.8\njicofo.bridge.load-redistribution.endpoints = 0")));
        assertTrue(e.getMessage().contains("jicofo.bridge.load-redistribution.endpoints"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> LoadRedistributionSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.stress-threshold = 0.8\njicofo.bridge.load-redistribution.interval = 0 s")));
        assertTrue(e.getMessage().contains("jicofo.bridge.load-redistribution.interval"), e.getMessage());
    }
}
