package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.SuspectSignal;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FailoverTest {
    static Stream<Arguments> bridgeEvents() {
        return Stream.<Arguments>of(
                Arguments.of("removed", (Consumer<Harness>) h -> {
                    h.backend.restart(FakeBridges.id("jvb1"));  // the bridge is gone, and its state with it
                    h.bridges.remove("jvb1");
                }),
                Arguments.of("failed", (Consumer<Harness>) h -> h.bridges.fail("jvb1")),
                Arguments.of("shutting down", (Consumer<Harness>) h -> {
                    h.bridges.update("jvb1", b -> b.shuttingDown(true));
                    h.bridges.fire(BridgeEvent.Type.SHUTTING_DOWN, FakeBridges.id("jvb1"), "shutting_down");
                }),
                Arguments.of("restarted", (Consumer<Harness>) h -> {
                    h.backend.restart(FakeBridges.id("jvb1"));
                    h.bridges.fire(BridgeEvent.Type.RESTARTED, FakeBridges.id("jvb1"), "uptime went back");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridgeEvents")
    void everyParticipantOnTheBridgeMovesElsewhereNeverBack(String name, Consumer<Harness> event) {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.bridges.add("jvb3", 0.6, null);
        h.conference("c1", "p1", null, "p2", null, "p3", null);
        h.conference("c2", "q1", null, "q2", null);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1", "p3", "jvb1"), h.placement("c1"));

        event.accept(h);
        h.loop.runPending();

        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), h.placement("c1"));
        assertEquals(Map.of("q1", "jvb2", "q2", "jvb2"), h.placement("c2"));
        assertEquals(5, h.counter("jitsi_jicofo_participants_moved_total"));
        // a bridge that left takes its per-bridge series with it (see movedFromSeriesGoWhenTheBridgeLeaves)
        assertEquals(name.equals("removed") ? 0 : 5, h.counter("focus_participants_moved_total", "jvb1"));
        assertFalse(h.view("c1").anyMoving(), "moves complete once signalled");
        assertTrue(h.signals.contains("moving p1 jvb1"));
        assertEquals(1, h.rooms.room(Harness.room("c1")).bridgeCount);
        h.assertBridgesMatchFocus();
    }

    static Double movedFrom(Harness h, String nick) {
        return h.registry.getSampleValue("focus_participants_moved_total", new String[] {"from"}, new String[] {nick});
    }

    @Test
    void movedFromSeriesGoWhenTheBridgeLeaves() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.bridges.add("jvb3", 0.6, null);
        h.conference("c1", "p1", null, "p2", null);
        h.bridges.fail("jvb1");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        h.bridges.fail("jvb2");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb3", "p2", "jvb3"), h.placement("c1"));
        assertEquals(2.0, movedFrom(h, "jvb1"), "the series exists while the failed bridge is still known");
        assertEquals(2.0, movedFrom(h, "jvb2"));

        h.bridges.remove("jvb1");
        h.loop.runPending();

        assertEquals(null, movedFrom(h, "jvb1"), "gone with the bridge");
        assertEquals(2.0, movedFrom(h, "jvb2"), "other bridges keep theirs");
        assertEquals(4, h.counter("jitsi_jicofo_participants_moved_total"), "the unlabelled total is kept");
    }

    @Test
    void movedFromSeriesStaysWhenABridgeWithTheSameNickIsBackBeforeTheRemovalIsHandled() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.conference("c1", "p1", null, "p2", null);
        h.bridges.fail("jvb1");
        h.loop.runPending();
        assertEquals(2.0, movedFrom(h, "jvb1"));

        h.bridges.remove("jvb1");
        h.bridges.add("jvb1", 0.0, null); // rejoined under the same nick before the loop handled the removal
        h.loop.runPending();

        assertEquals(2.0, movedFrom(h, "jvb1"), "the nick is present again: its series is kept");
    }

    @Test
    void aMovedParticipantIsNeverPlacedBackOnTheBridgeItLeftEvenIfItLooksBest() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.conference("c1", "p1", null, "p2", null);
        // Admin move: jvb1 stays operational and the least stressed, yet p1 must not go back to it.
        var r = h.manager.moveEndpoint(Harness.room("c1"), "p1", "jvb1");
        h.loop.runPending();
        assertEquals(MoveResult.moved(1, 1), r.join());
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb1"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void withoutOctoOneEndpointOfASharedBridgeIsNotMovedBecauseTheConferenceCannotSplit() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.conference("c1", "p1", null, "p2", null);
        var r = h.manager.moveEndpoint(Harness.room("c1"), "p1", "jvb1");
        h.loop.runPending();
        assertEquals(0, r.join().movedEndpoints());
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
    }

    @Test
    void allocationTimeoutMovesEveryoneOnTheHungBridgeAndMarksItFailed() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.0, "r1");
        h.bridges.add("jvb2", 0.5, "r2");
        h.conference("c1", "p1", "r1", "p2", "r2");
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb2"), h.placement("c1"));
        h.backend.hung.add(FakeBridges.id("jvb1"));
        h.rooms.room(Harness.room("c1")).join("p3", "r1");
        h.loop.runPending();
        assertEquals(ParticipantView.State.PLACING, h.view("c1").participant("p3").state());
        assertTrue(h.view("c1").participant("p3").bridgeId().endsWith("jvb1"));

        h.backend.timeOutHeld();
        h.loop.runPending();

        assertEquals(List.of("failed jvb1"), h.feedback);
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), h.placement("c1"));
        assertEquals(1, h.counter("focus_participants_moved_total", "jvb1"), "only p1 had a place to move from");
        h.backend.hung.clear();
        h.backend.answerHeld();
        h.backend.model.remove(FakeBridges.id("jvb1"));  // the hung bridge's state is moot
        h.assertBridgesMatchFocus();
    }

    static Stream<Arguments> allocationErrors() {
        return Stream.of(
                Arguments.of(ColibriException.error("item-not-found", ColibriException.CONFERENCE_NOT_FOUND, "x"),
                        "restarted jvb1"),
                Arguments.of(ColibriException.error("item-not-found", null, "x"), null),
                Arguments.of(ColibriException.error("conflict", null, "x"), null),
                Arguments.of(ColibriException.error("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN, "x"),
                        "graceful jvb1"),
                Arguments.of(ColibriException.error("internal-server-error", null, "x"), "failed jvb1"),
                Arguments.of(ColibriException.error("bad-request", null, "x"), null),
                Arguments.of(ColibriException.badResponse("no transport"), "failed jvb1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocationErrors")
    void anAllocationErrorMovesTheParticipantToAnotherBridge(ColibriException error, String feedback) {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.backend.faults.put(FakeBridges.id("jvb1"), op -> op.startsWith("allocate") ? error : null);
        h.conference("c1", "p1", null, "p2", null);

        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        assertEquals(feedback == null ? List.of() : List.of(feedback), h.feedback.stream().distinct().toList());
        assertFalse(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
        h.assertBridgesMatchFocus();
    }

    @Test
    void conferenceNotFoundFromABridgeTheConferenceHadRePlacesEveryoneOnIt() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.0, "r1");
        h.bridges.add("jvb2", 0.5, "r2");
        h.conference("c1", "p1", "r1", "p2", "r1", "p3", "r2");
        h.backend.restart(FakeBridges.id("jvb1"));  // the bridge lost the conference
        h.rooms.room(Harness.room("c1")).join("p4", "r1");
        h.loop.runPending();

        assertEquals(List.of("restarted jvb1"), h.feedback);
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2", "p4", "jvb2"), h.placement("c1"));
        assertEquals(2, h.counter("focus_participants_moved_total", "jvb1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void whenNoBridgeCanTakeAParticipantItWaitsVisiblyAndIsPlacedWhenABridgeComes() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.backend.faults.put(FakeBridges.id("jvb1"),
                op -> op.startsWith("allocate") ? ColibriException.error("bad-request", null, "x") : null);
        h.conference("c1", "p1", null, "p2", null);

        ConferenceView v = h.view("c1");
        assertEquals(2, v.count(ParticipantView.State.NO_BRIDGE));
        assertTrue(v.bridgeNotAvailable());
        assertTrue(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
        assertEquals(Set.of(FakeBridges.id("jvb1")), v.participant("p1").excludedBridges());

        h.bridges.add("jvb2", 0.9, null);
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        assertFalse(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
        h.assertBridgesMatchFocus();
    }

    @Test
    void retriesAreBoundedAndBackOff() {
        Harness h = Harness.octo();
        for (int i = 1; i <= 8; i++) {
            h.bridges.add("jvb" + i, i / 10.0, null);
            h.backend.faults.put(FakeBridges.id("jvb" + i),
                    op -> op.startsWith("allocate") ? ColibriException.error("bad-request", null, "x") : null);
        }
        h.conference("c1", "p1", null, "p2", null);
        // First failure: retried at once on jvb2; later ones wait 250 ms, 500 ms, 1 s.
        assertEquals(2, h.backend.calls.stream().filter(c -> c.contains("allocate p1")).count());
        h.loop.advance(Duration.ofMillis(249));
        assertEquals(2, h.backend.calls.stream().filter(c -> c.contains("allocate p1")).count());
        h.loop.advance(Duration.ofMillis(1));
        assertEquals(3, h.backend.calls.stream().filter(c -> c.contains("allocate p1")).count());
        h.loop.advance(Duration.ofSeconds(10));
        assertEquals(5, h.backend.calls.stream().filter(c -> c.contains("allocate p1")).count(),
                "max-placement-attempts bounds the retries");
        assertEquals(ParticipantView.State.NO_BRIDGE, h.view("c1").participant("p1").state());
        assertEquals(0, h.loop.pendingTimers());
        // A recovered bridge lets it try again.
        h.backend.faults.clear();
        h.bridges.fire(BridgeEvent.Type.RECOVERED, FakeBridges.id("jvb8"), "health check passed");
        h.loop.runPending();
        assertEquals(ParticipantView.State.PLACED, h.view("c1").participant("p1").state());
    }

    @Test
    void failoverKeepsTheConferencesOtherBridgesAndExpiresRelaysToTheLostOne() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, "r1");
        h.bridges.add("jvb2", 0.1, "r2");
        h.bridges.add("jvb3", 0.1, "r3");
        h.conference("c1", "a", "r1", "b", "r2", "c", "r3");
        String meeting = h.view("c1").meetingId();
        assertEquals(Set.of("jvb2", "jvb3"), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting).keySet());

        h.bridges.fail("jvb3");
        h.loop.runPending();

        Map<String, String> placement = h.placement("c1");
        assertEquals("jvb1", placement.get("a"));
        assertEquals("jvb2", placement.get("b"));
        assertTrue(Set.of("jvb1", "jvb2").contains(placement.get("c")));
        assertEquals(Set.of("jvb2"), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting).keySet());
        assertEquals(Set.of("jvb1"), h.backend.relaysOn(FakeBridges.id("jvb2"), meeting).keySet());
        assertEquals(2, h.rooms.room(Harness.room("c1")).bridgeCount);
        h.assertBridgesMatchFocus();
    }
    /** jvb1 carried c1 and failed; c1 moved to jvb2; jvb1 recovered and is suspect now. */
    static Harness movedOffABridgeThatIsSuspectNow(boolean withJvb3) {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        if (withJvb3) {
            h.bridges.add("jvb3", 0.6, null);
        }
        h.conference("c1", "p1", null, "p2", null);
        h.bridges.fail("jvb1");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        h.bridges.update("jvb1", b -> b.health(BridgeState.Health.OPERATIONAL));
        h.bridges.fire(BridgeEvent.Type.RECOVERED, FakeBridges.id("jvb1"), "health check passed");
        h.bridges.update("jvb1", b -> b.suspect(SuspectSignal.COLIBRI_DEADLINE, "allocation unanswered", Instant.EPOCH));
        h.bridges.fire(BridgeEvent.Type.SUSPECTED, FakeBridges.id("jvb1"), "allocation unanswered");
        h.loop.runPending();
        return h;
    }

    @Test
    void aParticipantIsNeverPlacedBackOnASuspectBridgeItWasMovedOff() {
        Harness h = movedOffABridgeThatIsSuspectNow(true);
        // the test selector ignores suspicion and takes the least stressed bridge: jvb1, were it not for the rule
        h.bridges.fail("jvb2");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb3", "p2", "jvb3"), h.placement("c1"));
        assertTrue(h.counter("focus_placements_kept_off_suspect_total") >= 2, "counted per placement");
        // the rule is the movers' own: a participant that was never moved off jvb1 may still be put there
        h.conference("c2", "q1", null, "q2", null);
        assertEquals(Map.of("q1", "jvb1", "q2", "jvb1"), h.placement("c2"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void keptOffItsOnlyBridgeAParticipantWaitsUntilTheSuspicionClears() {
        Harness h = movedOffABridgeThatIsSuspectNow(false);
        h.bridges.fail("jvb2");
        h.loop.runPending();
        assertEquals(ParticipantView.State.NO_BRIDGE, h.view("c1").participant("p1").state());
        assertEquals(Map.of(), h.placement("c1"));
        // the probe was answered
        h.bridges.update("jvb1", b -> b.suspect(null, null, null));
        h.bridges.fire(BridgeEvent.Type.SUSPICION_CLEARED, FakeBridges.id("jvb1"), "a health check passed");
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }
}
