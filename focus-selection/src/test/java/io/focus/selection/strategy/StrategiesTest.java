package io.focus.selection.strategy;

import static io.focus.selection.Sel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Decision;
import io.focus.selection.FilteringBridgeSelector;
import io.focus.selection.SelectionLimits;
import io.focus.selection.Sel.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Split, intra-region, fewest-conferences, round-robin and power-of-two, each behind the common filters. */
class StrategiesTest {
    private static final String OCTO = "jicofo.octo.enabled = true\n";

    static Stream<Case> split() {
        return Stream.of(
            c("split: a new conference gets the least loaded").bridges(b("jvb1", 0.3), b("jvb2", 0.1)).expect("jvb2", "split: least loaded bridge"),
            c("split: a bridge the conference does not use yet").bridges(b("jvb1", 0.0), b("jvb2", 0.5), b("jvb3", 0.3))
                .on("jvb1", 1).expect("jvb3", "does not use yet"),
            c("split: all used, the fewest participants").bridges(b("jvb1", 0.0), b("jvb2", 0.5))
                .on("jvb1", 4).on("jvb2", 2).expect("jvb2", "fewest of its participants"),
            c("split: never a removed bridge").bridges(b("jvb1", 0.0), b("jvb2", 0.5))
                .on("gone", 1).on("jvb1", 4).on("jvb2", 2).expect("jvb2", "fewest"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("split")
    void split(Case row) { check(OCTO + "jicofo.bridge.selection-strategy = split", row); }

    static Stream<Case> intraRegion() {
        return Stream.of(
            c("intra: new conference in the participant's region").bridges(b("us1", 0.1, "us"), b("eu1", 0.3, "eu"))
                .region("eu").expect("eu1", "not loaded in the participant's region"),
            c("intra: none in region, least loaded").bridges(b("us1", 0.1, "us"), b("eu1", 0.3, "eu"))
                .region("ap").expect("us1", "intra-region: least loaded"),
            c("intra: stays on the conference's bridge").bridges(b("us1", 0.4, "us"), b("us2", 0.1, "us"))
                .on("us1", 3).region("eu").expect("us1", "in conference, in the conference's region"),
            c("intra: spills over inside the region for load").bridges(b("us1", 0.1, "us"), b("eu1", 0.0, "eu"), b("us2", 0.5, "us"))
                .on("us1", 80).expect("us2", "not loaded, in the conference's region"),
            c("intra: nothing else in the region, stays relaxed").bridges(b("us1", 0.1, "us"), b("eu1", 0.0, "eu"))
                .on("us1", 80).expect("us1", "relaxed caps"),
            c("intra: rate limit behaves the same").config("jicofo.bridge.max-bridge-participants-per-interval = 10")
                .bridges(b("us1", 0.1, "us"), b("us2", 0.3, "us")).on("us1", 12, 10).expect("us2", "not loaded, in the conference's region"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("intraRegion")
    void intraRegion(Case row) { check(OCTO + "jicofo.bridge.selection-strategy = IntraRegionBridgeSelectionStrategy", row); }

    static Stream<Case> fewestConferences() {
        return Stream.of(
            c("fewest: a new conference goes where there are fewest conferences")
                .bridges(conferences(b("jvb1", 0.0), 5), conferences(b("jvb2", 0.5), 1)).expect("jvb2", "fewest conferences"),
            c("fewest: ties broken by stress").bridges(conferences(b("jvb1", 0.4), 1), conferences(b("jvb2", 0.2), 1))
                .expect("jvb2", null),
            c("fewest: the conference stays").bridges(conferences(b("jvb1", 0.0), 5), conferences(b("jvb2", 0.5), 1))
                .on("jvb1", 2).expect("jvb1", "stay"),
            c("fewest: overloaded bridges are avoided").bridges(conferences(b("jvb1", 0.9), 0), conferences(b("jvb2", 0.5), 3))
                .expect("jvb2", "overloaded removed 1"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("fewestConferences")
    void fewestConferences(Case row) { check("jicofo.bridge.selection-strategy = fewest-conferences", row); }

    @Test
    void roundRobinTakesTurnsAndKeepsConferencesTogether() {
        FilteringBridgeSelector s = selector("jicofo.bridge.selection-strategy = round-robin");
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picks.add(s.select(c("new").bridges(b("jvb1", 0.5), b("jvb2", 0.1), draining(b("jvb3", 0.0)), b("jvb4", 0.3))
                    .request()).bridge().nick());
        }
        assertEquals(List.of("jvb1", "jvb2", "jvb4", "jvb1"), picks);
        Decision stay = s.select(c("stay").bridges(b("jvb1", 0.5), b("jvb2", 0.1)).on("jvb2", 3).request());
        assertEquals("jvb2", stay.bridge().nick());
    }

    @Test
    void powerOfTwoNeverPicksTheWorstOfThreeAndIsReproducible() {
        List<BridgeState> bridges = List.of(b("jvb1", 0.1), b("jvb2", 0.2), b("jvb3", 0.7));
        SelectionLimits limits = new SelectionLimits(settings(""));
        PowerOfTwoStrategy p1 = new PowerOfTwoStrategy(new SplittableRandom(42));
        PowerOfTwoStrategy p2 = new PowerOfTwoStrategy(new SplittableRandom(42));
        int[] counts = new int[3];
        for (int i = 0; i < 300; i++) {
            Case row = c("p2c").bridges(bridges.toArray(BridgeState[]::new));
            BridgeState a = p1.select(bridges, row.request(), limits).bridge();
            BridgeState b = p2.select(bridges, row.request(), limits).bridge();
            assertEquals(a, b, "same seed, same picks");
            counts[bridges.indexOf(a)]++;
        }
        assertEquals(0, counts[2], "the most stressed bridge can never win a pair");
        assertNotEquals(0, counts[1], "the middle one wins when drawn against the worst");
        assertEquals(300, counts[0] + counts[1]);
    }

    @Test
    void powerOfTwoBehindTheFiltersAvoidsOverloadedAndStays() {
        FilteringBridgeSelector s = selector("jicofo.bridge.selection-strategy = power-of-two");
        for (int i = 0; i < 50; i++) {
            Decision d = s.select(c("p2c").bridges(b("jvb1", 0.95), b("jvb2", 0.3), b("jvb3", 0.2)).request());
            assertNotEquals("jvb1", d.bridge().nick());
        }
        assertEquals("jvb1", s.select(c("stay").bridges(b("jvb1", 0.5), b("jvb2", 0.1)).on("jvb1", 2).request())
                .bridge().nick());
    }
}
