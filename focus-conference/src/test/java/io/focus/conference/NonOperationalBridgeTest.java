package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.selection.FilteringBridgeSelector;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A non-operational bridge gets no new participant, with the real selector (focus-selection's) on the fakes: who
 * has no operational bridge waits (NO_BRIDGE, {@code bridgeNotAvailable}) and is placed when a bridge recovers or is
 * added; failover never moves anyone onto a failed bridge.
 */
class NonOperationalBridgeTest {
    private static Harness harness(boolean octo) {
        ConferenceSettings settings = ConferenceSettings.defaults(Harness.MUC).withOcto(octo);
        // the selector's counters go into a registry of their own: the harness's is the conference metrics'
        return new Harness(settings, FilteringBridgeSelector.create(
                ConfigFactory.parseString("jicofo.octo.enabled = " + octo).withFallback(ConfigFactory.load()),
                new CollectorRegistry(), Clock.systemUTC()));
    }

    private static void health(Harness h, String nick, BridgeState.Health health) {
        h.bridges.update(nick, b -> b.health(health));
    }

    @Test
    void aParticipantWaitsRatherThanBeingPlacedOnAFailedBridgeAndIsPlacedWhenItRecovers() {
        Harness h = harness(false);
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.fail("jvb1");
        h.conference("c1", "p1", null, "p2", null);

        ConferenceView v = h.view("c1");
        assertEquals(2, v.count(ParticipantView.State.NO_BRIDGE));
        assertTrue(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
        assertEquals(List.of(), h.backend.calls, "nothing sent to the failed bridge");

        health(h, "jvb1", BridgeState.Health.OPERATIONAL);
        h.bridges.fire(BridgeEvent.Type.RECOVERED, FakeBridges.id("jvb1"), "health check passed");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        assertFalse(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
        h.assertBridgesMatchFocus();
    }

    @Test
    void anOverloadedOperationalBridgeIsPreferredToAnIdleFailedOne() {
        Harness h = harness(false);
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.fail("jvb1");
        h.bridges.add("jvb2", 0.95, null);
        h.conference("c1", "p1", null, "p2", null);
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void moversOffAFailedBridgeWaitWhenEveryOtherFailedTooAndGoToTheFirstThatRecovers() {
        Harness h = harness(true);
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.5, null);
        h.conference("c1", "p1", null, "p2", null);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        health(h, "jvb2", BridgeState.Health.FAILED);

        h.bridges.fail("jvb1");
        h.loop.runPending();
        assertEquals(2, h.view("c1").count(ParticipantView.State.NO_BRIDGE), "neither back on jvb1 nor on failed jvb2");
        assertTrue(h.backend.calls.stream().noneMatch(c -> c.startsWith("jvb2")), h.backend.calls.toString());

        health(h, "jvb2", BridgeState.Health.OPERATIONAL);
        h.bridges.fire(BridgeEvent.Type.RECOVERED, FakeBridges.id("jvb2"), "health check passed");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }

    /**
     * Octo off: a newcomer to a conference whose bridge is already failed (the registry's snapshot says so before the
     * conference has handled the event) waits rather than join the failed bridge or split the conference; once
     * failover has moved the conference, it joins it there.
     */
    @Test
    void aNewcomerToAConferenceOnAFailedBridgeWaitsAndFollowsTheConferenceWhenFailoverMovesIt() {
        Harness h = harness(false);
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.5, null);
        FakeRooms.Room r = h.conference("c1", "p1", null, "p2", null);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));

        health(h, "jvb1", BridgeState.Health.FAILED);
        r.join("p3", null);
        h.loop.runPending();
        assertEquals(ParticipantView.State.NO_BRIDGE, h.view("c1").participant("p3").state());
        assertTrue(h.backend.calls.stream().noneMatch(c -> c.contains("allocate p3")), h.backend.calls.toString());

        h.bridges.fire(BridgeEvent.Type.FAILED, FakeBridges.id("jvb1"), "health check: internal-server-error");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }
}
