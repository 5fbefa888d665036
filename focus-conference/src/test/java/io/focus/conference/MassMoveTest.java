package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A mass move off a crashed bridge. The fake registry never applies the focus's endpoint feedback (the real one
 * applies it later, on its own thread), so every re-placement in the burst sees the same registry snapshot; only
 * the focus's placement ledger can tell the selector about the placements just made.
 */
class MassMoveTest {
    @Test
    void conferencesMovedOffACrashedBridgeSpreadOverTheOthersInsteadOfPilingOntoOne() {
        Harness h = new Harness();
        h.bridges.add("jvb4", 0.0, null);
        for (int c = 1; c <= 6; c++) {
            h.conference("c" + c, "a" + c, null, "b" + c, null, "c" + c, null, "d" + c, null, "e" + c, null);
        }
        for (int c = 1; c <= 6; c++) {
            assertEquals("jvb4", h.placement("c" + c).get("a" + c));
        }
        h.loop.advance(Duration.ofSeconds(30));  // the initial placements are old news
        // The TestSelector picks the least corrected stress (average participant stress 0.01): without the ledger
        // all six conferences (30 endpoints) would see jvb1 as the least stressed and go there.
        h.bridges.add("jvb1", 0.20, null);
        h.bridges.add("jvb2", 0.21, null);
        h.bridges.add("jvb3", 0.22, null);
        h.loop.runPending();

        h.bridges.fail("jvb4");
        h.loop.runPending();

        Map<String, Integer> perBridge = new TreeMap<>();
        for (int c = 1; c <= 6; c++) {
            Map<String, String> placement = h.placement("c" + c);
            assertEquals(5, placement.size(), "c" + c + " fully placed: " + placement);
            assertEquals(1, placement.values().stream().distinct().count(), "c" + c + " on one bridge (no octo)");
            placement.values().forEach(b -> perBridge.merge(b, 1, Integer::sum));
        }
        // 0.20+0.05=0.25 (jvb1), 0.26 (jvb2), 0.27 (jvb3), then jvb1 0.30, jvb2 0.31, jvb3 0.32.
        assertEquals(Map.of("jvb1", 10, "jvb2", 10, "jvb3", 10), perBridge);
        h.assertBridgesMatchFocus();
    }

    @Test
    void pendingPlacementsStopCountingAfterTheWindowSoAStaleRegistryCannotInflateABridgeForever() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.20, null);
        h.bridges.add("jvb2", 0.32, null);
        // 15 endpoints on jvb1 (corrected 0.35 with them pending, above jvb2's 0.32): the next one goes to jvb2.
        h.conference("c1", "p1", null, "p2", null, "p3", null, "p4", null, "p5", null);
        h.conference("c2", "q1", null, "q2", null, "q3", null, "q4", null, "q5", null);
        h.conference("c3", "r1", null, "r2", null, "r3", null, "r4", null, "r5", null);
        assertEquals("jvb1", h.placement("c3").get("r1"));
        h.conference("c4", "s1", null, "s2", null);
        assertEquals("jvb2", h.placement("c4").get("s1"));

        // The fake registry never shows those endpoints; after the window they no longer count against jvb1.
        h.loop.advance(ConferenceSettings.defaults(Harness.MUC).pendingPlacementWindow().plusSeconds(1));
        h.conference("c5", "t1", null, "t2", null);
        assertEquals("jvb1", h.placement("c5").get("t1"));
    }
}
