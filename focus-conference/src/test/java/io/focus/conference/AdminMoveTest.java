package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminMoveTest {
    Harness h;

    @BeforeEach
    void conferencesOfTenFiveAndTwoOnJvb1() {
        h = Harness.octo();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.3, null);
        h.bridges.add("jvb3", 0.4, null);
        h.conference("big", ps("b", 10));
        h.conference("mid", ps("m", 5));
        h.conference("small", ps("s", 2));
        assertEquals(17, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
    }

    static String[] ps(String prefix, int n) {
        String[] out = new String[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = prefix + i;
        }
        return out;
    }

    private MoveResult run(java.util.concurrent.CompletableFuture<MoveResult> f) {
        h.loop.runPending();
        return f.join();
    }

    @Test
    void moveEndpointsTakesTheLargestConferenceFirstAndNeverTheSourceBridge() {
        assertEquals(MoveResult.moved(12, 2), run(h.manager.moveEndpoints("jvb1", null, 12)));
        assertEquals(0, h.view("big").participants().stream()
                .filter(p -> p.bridgeId().equals(FakeBridges.id("jvb1"))).count());
        assertEquals(3, h.view("mid").participants().stream()
                .filter(p -> p.bridgeId().equals(FakeBridges.id("jvb1"))).count());
        assertEquals(5, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        assertEquals(12, h.counter("focus_participants_moved_total", "jvb1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void moveFractionRoundsOverTheBridgesEndpoints() {
        assertEquals(MoveResult.moved(9, 1), run(h.manager.moveFraction("jvb1", 0.5)));
        assertEquals(8, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        assertEquals(MoveResult.moved(8, 3), run(h.manager.moveFraction(FakeBridges.id("jvb1"), 1.0)));
        assertEquals(0, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        h.assertBridgesMatchFocus();
    }

    @Test
    void moveEndpointsInOneConference() {
        assertEquals(MoveResult.moved(2, 1), run(h.manager.moveEndpoints("jvb1", Harness.room("mid"), 2)));
        assertEquals(2, h.view("mid").participants().stream()
                .filter(p -> !p.bridgeId().equals(FakeBridges.id("jvb1"))).count());
    }

    @Test
    void unknownBridgeConferenceOrEndpointIsNotFound() {
        assertFalse(run(h.manager.moveEndpoints("jvb9", null, 1)).found());
        assertFalse(run(h.manager.moveEndpoint(Harness.room("nope"), "b1", null)).found());
        assertFalse(run(h.manager.moveEndpoint(Harness.room("big"), "zz", null)).found());
        assertThrows(CompletionException.class, () -> h.manager.moveFraction("jvb1", 1.5).join());
        assertEquals(0, h.counter("jitsi_jicofo_participants_moved_total"));
    }

    @Test
    void withoutOctoAConferenceMovesAsAWhole() {
        Harness o = new Harness();
        o.bridges.add("jvb1", 0.0, null);
        o.bridges.add("jvb2", 0.3, null);
        o.conference("c1", ps("p", 4));
        var f = o.manager.moveEndpoints("jvb1", null, 1);
        o.loop.runPending();
        assertEquals(MoveResult.moved(4, 1), f.join());
        assertEquals(Map.of("p0", "jvb2", "p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), o.placement("c1"));
        o.assertBridgesMatchFocus();
    }

    @Test
    void drainStopsNewPlacementsAndMovesEndpointsOffAtTheGivenRate() {
        assertEquals(MoveResult.moved(0, 0), run(h.manager.drain("jvb1", true, 5, Duration.ofSeconds(10))));
        assertTrue(h.bridges.snapshot().find("jvb1").drainedByFocus());
        assertEquals(12, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size(), "5 moved at once");
        h.conference("new", ps("n", 2));
        assertEquals(Map.of("n0", "jvb2", "n1", "jvb2"), h.placement("new"));
        h.loop.advance(Duration.ofSeconds(10));
        assertEquals(7, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        h.loop.advance(Duration.ofSeconds(20));
        assertEquals(0, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        h.loop.advance(Duration.ofSeconds(10));
        assertFalse(h.manager.drainInProgress(FakeBridges.id("jvb1")));
        assertEquals(17, h.counter("focus_participants_moved_total", "jvb1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void theFirstDrainStepDoesNotWaitForTheRegistryToShowTheDrainFlag() {
        h.bridges.lagDrainFlag(true);
        run(h.manager.drain("jvb1", true, 5, Duration.ofSeconds(10)));
        assertFalse(h.bridges.snapshot().find("jvb1").drainedByFocus(), "the registry has not applied it yet");
        assertEquals(12, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size(), "5 moved at once");
        assertTrue(h.manager.drainInProgress(FakeBridges.id("jvb1")));
        h.bridges.applyLaggedDrains();
        h.loop.advance(Duration.ofSeconds(10));
        assertEquals(7, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        h.assertBridgesMatchFocus();
    }

    @Test
    void undrainStopsTheGradualMove() {
        run(h.manager.drain("jvb1", true, 5, Duration.ofSeconds(10)));
        run(h.manager.drain("jvb1", false, 0, null));
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(12, h.manager.snapshot().participantsOn(FakeBridges.id("jvb1")).size());
        assertFalse(h.bridges.snapshot().find("jvb1").drainedByFocus());
    }
}
