package io.focus.selection.strategy;

import static io.focus.selection.Sel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Decision;
import io.focus.selection.SelectionLimits;
import io.focus.selection.Sel.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in strategy called directly, as the selector calls it (the candidates it is given, the request, the
 * selector's limits) but with no filter in front: which bridge it picks for which input, and by which rule (the
 * exact {@link io.focus.core.selection.Reason}). A row for every rule of every strategy, and for its tie-breaks.
 * Defaults: stress threshold 0.8, {@code max-bridge-participants} 80.
 */
class StrategyRulesTest {

    static Stream<Case> leastStress() {
        return Stream.of(
            c("stays on the conference's bridge, though another is less loaded").bridges(b("a", 0.5), b("b", 0.1))
                .on("a", 3).picks("a", LeastStressStrategy.STAY),
            c("stays on the least loaded of its bridges").bridges(b("a", 0.5), b("b", 0.1), b("c", 0.3))
                .on("a", 3).on("c", 3).picks("c", LeastStressStrategy.STAY),
            c("new: least loaded in the participant's region").bridges(b("us", 0.1, "us"), b("eu1", 0.4, "eu"), b("eu2", 0.3, "eu"))
                .region("eu").picks("eu2", LeastStressStrategy.NEW_IN_REGION),
            c("its bridge at max-bridge-participants: a new one, in region").bridges(b("a", 0.1, "eu"), b("b", 0.6, "eu"), b("c", 0.0, "us"))
                .on("a", 80).region("eu").picks("b", LeastStressStrategy.NEW_IN_REGION),
            c("none in region: least loaded anywhere").bridges(b("us", 0.2, "us"), b("eu", 0.1, "eu"))
                .region("ap").picks("eu", LeastStressStrategy.NEW_ANYWHERE),
            c("an overloaded in-region bridge loses to an idle one elsewhere").bridges(b("eu", 0.85, "eu"), b("us", 0.0, "us"))
                .region("eu").picks("us", LeastStressStrategy.NEW_ANYWHERE),
            c("every bridge over its limits: stays").bridges(b("a", 0.9), b("b", 0.85)).on("a", 3)
                .picks("a", LeastStressStrategy.STAY_OVERLOADED),
            c("every bridge over its limits: region wins again").bridges(b("us", 0.85, "us"), b("eu", 0.9, "eu"))
                .region("eu").picks("eu", LeastStressStrategy.OVERLOADED_IN_REGION),
            c("every bridge over its limits: least loaded").bridges(b("a", 0.9), b("b", 0.85))
                .picks("b", LeastStressStrategy.OVERLOADED_ANYWHERE),
            c("ties go to the earlier bridge").bridges(b("a", 0.3), b("b", 0.2), b("c", 0.2))
                .picks("b", LeastStressStrategy.NEW_ANYWHERE),
            c("only its candidates: the conference's bridge left out").bridges(b("a", 0.0), b("b", 0.4)).on("a", 2)
                .candidates("b").picks("b", LeastStressStrategy.NEW_ANYWHERE),
            c("no candidates").bridges(b("a", 0.1)).candidates().picks(null, LeastStressStrategy.NO_CANDIDATES));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("leastStress")
    void leastStress(Case row) { direct(s -> new LeastStressStrategy(), "", row); }

    private static final String GROUPS = "jicofo.bridge.max-bridge-participants = 10\n"
            + "jicofo.bridge.region-groups = [[us-east, us-west], [eu-central, eu-west]]\n";
    private static final String LOCAL = GROUPS + "jicofo.local-region = us-east\n";

    static Stream<Case> region() {
        return Stream.of(
            c("1: not loaded, in conference, in region").config(GROUPS)
                .bridges(b("euw-low", 0.0, "eu-west"), b("euw-med", 0.3, "eu-west"), b("euc", 0.1, "eu-central"))
                .on("euw-med", 2).on("euc", 2).region("eu-west").picks("euw-med", RegionStrategy.IN_CONFERENCE_IN_REGION),
            c("2: not loaded, in conference, in region group").config(GROUPS)
                .bridges(b("euw", 0.0, "eu-west"), b("euc", 0.3, "eu-central"), b("us", 0.1, "us-east"))
                .on("euc", 2).on("us", 2).region("eu-west").picks("euc", RegionStrategy.IN_CONFERENCE_IN_GROUP),
            c("3: not loaded, in region (its own bridge full)").config(GROUPS)
                .bridges(b("euw1", 0.0, "eu-west"), b("euw2", 0.3, "eu-west"), b("euw3", 0.2, "eu-west"), b("euc", 0.1, "eu-central"))
                .on("euw1", 10).region("eu-west").picks("euw3", RegionStrategy.IN_REGION),
            c("4: not loaded, in region group").config(GROUPS)
                .bridges(b("us", 0.0, "us-east"), b("euc1", 0.4, "eu-central"), b("euc2", 0.3, "eu-central"))
                .region("eu-west").picks("euc2", RegionStrategy.IN_GROUP),
            c("5: not loaded, in conference (outside the group)").config(GROUPS)
                .bridges(b("us1", 0.3, "us-east"), b("us2", 0.0, "us-east"), b("ap", 0.1, "ap-south"))
                .on("us1", 2).region("eu-west").picks("us1", RegionStrategy.IN_CONFERENCE),
            c("6: not overloaded (all at the conferences cap)").config(GROUPS + "focus.selection.max-conferences-per-bridge = 2")
                .bridges(conferences(b("a", 0.2, "us-east"), 2), conferences(b("b", 0.1, "us-east"), 2), b("c", 0.9, "eu-west"))
                .region("eu-west").picks("b", RegionStrategy.NOT_OVERLOADED),
            c("7: in conference below max-bridge-participants, though another is less loaded").config(GROUPS)
                .bridges(b("a", 0.95), b("b", 0.85)).on("a", 3).picks("a", RegionStrategy.IN_CONFERENCE_BELOW_MAX),
            c("8: least loaded (its bridge at max-bridge-participants)").config(GROUPS)
                .bridges(b("a", 0.95), b("b", 0.85)).on("a", 10).picks("b", RegionStrategy.LEAST_LOADED),
            c("local (a): a new conference from the local group is placed locally").config(LOCAL)
                .bridges(b("usw", 0.0, "us-west"), b("use", 0.3, "us-east")).region("us-west")
                .picks("use", RegionStrategy.IN_REGION),
            c("local (a) only for a new conference").config(LOCAL)
                .bridges(b("usw", 0.0, "us-west"), b("use", 0.3, "us-east"), b("eu", 0.5, "eu-west")).on("eu", 2)
                .region("us-west").picks("usw", RegionStrategy.IN_REGION),
            c("local (b): no live bridge in the region's group").config(LOCAL)
                .bridges(failed(b("ap", 0.0, "ap-south")), b("eu", 0.0, "eu-west"), b("use", 0.3, "us-east"))
                .region("ap-south").picks("use", RegionStrategy.IN_REGION),
            c("local (b) not when the region's bridge is only overloaded").config(LOCAL)
                .bridges(b("ap", 0.9, "ap-south"), b("eu", 0.1, "eu-west"), b("use", 0.3, "us-east"))
                .region("ap-south").picks("eu", RegionStrategy.NOT_OVERLOADED),
            c("no participant region: the local one").config(LOCAL)
                .bridges(b("eu", 0.0, "eu-west"), b("use", 0.3, "us-east")).picks("use", RegionStrategy.IN_REGION),
            c("ties go to the earlier bridge").config(GROUPS)
                .bridges(b("a", 0.3, "eu-west"), b("b", 0.1, "eu-west"), b("c", 0.1, "eu-west"))
                .region("eu-west").picks("b", RegionStrategy.IN_REGION),
            c("no candidates").bridges(b("a", 0.1)).candidates().picks(null, RegionStrategy.NO_CANDIDATES));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("region")
    void region(Case row) { direct(RegionStrategy::new, "", row); }

    static Stream<Case> intraRegion() {
        return Stream.of(
            c("new: not loaded in the participant's region").bridges(b("us", 0.1, "us"), b("eu1", 0.5, "eu"), b("eu2", 0.3, "eu"))
                .region("eu").picks("eu2", IntraRegionStrategy.NEW_IN_REGION),
            c("new: the region's bridge overloaded, least loaded anywhere").bridges(b("eu", 0.85, "eu"), b("us", 0.3, "us"))
                .region("eu").picks("us", IntraRegionStrategy.NEW_ANY),
            c("new: no region, least loaded").bridges(b("us", 0.3, "us"), b("eu", 0.9, "eu"))
                .picks("us", IntraRegionStrategy.NEW_ANY),
            c("running: stays on its bridge in its region").bridges(b("us1", 0.4, "us"), b("us2", 0.1, "us"))
                .on("us1", 3).region("eu").picks("us1", IntraRegionStrategy.STAY),
            c("running: spills over inside its region for load").bridges(b("us1", 0.1, "us"), b("eu", 0.0, "eu"), b("us2", 0.5, "us"))
                .on("us1", 80).picks("us2", IntraRegionStrategy.SPILL),
            c("running: nothing else in its region, stays loaded").bridges(b("us1", 0.1, "us"), b("eu", 0.0, "eu"), b("us2", 0.9, "us"))
                .on("us1", 80).picks("us1", IntraRegionStrategy.STAY_LOADED),
            c("running: the region of its first bridge, not of the participant").bridges(b("us1", 0.1, "us"), b("eu1", 0.0, "eu"), b("us2", 0.3, "us"))
                .on("us1", 80).on("eu1", 2).region("eu").picks("us2", IntraRegionStrategy.SPILL),
            c("running on a bridge without region: bridges without region").bridges(b("n1", 0.1), b("us", 0.0, "us"), b("n2", 0.4))
                .on("n1", 80).picks("n2", IntraRegionStrategy.SPILL),
            c("running: no candidate in its region").bridges(b("us1", 0.1, "us"), b("eu", 0.0, "eu")).on("us1", 3)
                .candidates("eu").picks(null, IntraRegionStrategy.NOTHING_IN_REGION),
            c("running, moved off its only bridge: starts afresh").bridges(b("us1", 0.0, "us"), b("eu", 0.3, "eu"))
                .on("us1", 3).exclude("us1").candidates("eu").region("eu").picks("eu", IntraRegionStrategy.NEW_IN_REGION),
            c("no candidates").bridges(b("a", 0.1)).candidates().picks(null, IntraRegionStrategy.NO_CANDIDATES));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("intraRegion")
    void intraRegion(Case row) { direct(s -> new IntraRegionStrategy(), "", row); }

    static Stream<Case> split() {
        return Stream.of(
            c("a bridge the conference does not use, whatever its load").bridges(b("a", 0.0), b("b", 0.9), b("c", 0.95))
                .on("a", 1).picks("b", SplitStrategy.UNUSED),
            c("all used: the fewest of its participants").bridges(b("a", 0.0), b("b", 0.5), b("c", 0.3))
                .on("a", 4).on("b", 2).on("c", 3).picks("b", SplitStrategy.FEWEST),
            c("all used, tie on participants: less stress").bridges(b("a", 0.5), b("b", 0.3), b("c", 0.3))
                .on("a", 2).on("b", 2).on("c", 2).picks("b", SplitStrategy.FEWEST),
            c("no candidates").bridges(b("a", 0.1)).candidates().picks(null, SplitStrategy.NONE));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("split")
    void split(Case row) { direct(s -> new SplitStrategy(), "", row); }

    static Stream<Case> fewestConferences() {
        String f = "fewest-conferences: ";
        return Stream.of(
            c("stays on its least loaded bridge within the limits").bridges(conferences(b("a", 0.5), 9), conferences(b("b", 0.1), 0))
                .on("a", 3).picks("a", f + "stay on the conference's bridge"),
            c("new: fewest conferences, whatever the stress").bridges(conferences(b("a", 0.0), 5), conferences(b("b", 0.7), 1))
                .picks("b", f + "fewest conferences"),
            c("tie on conferences: less stress, then the earlier").bridges(conferences(b("a", 0.4), 1), conferences(b("b", 0.2), 1),
                    conferences(b("c", 0.2), 1), conferences(b("d", 0.2), 2)).picks("b", f + "fewest conferences"),
            c("an overloaded bridge is not in the pool").bridges(conferences(b("a", 0.9), 0), conferences(b("b", 0.5), 3))
                .picks("b", f + "fewest conferences"),
            c("its bridge full: a new one").bridges(conferences(b("a", 0.1), 0), conferences(b("b", 0.5), 3))
                .on("a", 80).picks("b", f + "fewest conferences"),
            c("every bridge over its limits: stays").bridges(b("a", 0.9), b("b", 0.85)).on("a", 3)
                .picks("a", f + "every bridge over its limits, stay on the conference's bridge"),
            c("every bridge over its limits, new: fewest conferences").bridges(conferences(b("a", 0.85), 3), conferences(b("b", 0.9), 2))
                .picks("b", f + "every bridge over its limits, fewest conferences"),
            c("no candidates").bridges(b("a", 0.1)).candidates().picks(null, f + "no candidates"));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("fewestConferences")
    void fewestConferences(Case row) { direct(s -> new FewestConferencesStrategy(), "", row); }

    @Test
    void roundRobinTakesTheBridgesWithinTheLimitsInTurnThenAllOfThem() {
        RoundRobinStrategy rr = new RoundRobinStrategy();
        SelectionLimits limits = new SelectionLimits(settings(""));
        Case within = c("within").bridges(b("a", 0.5), b("hot", 0.9), b("b", 0.1), b("c", 0.3));
        assertEquals(List.of("a", "b", "c", "a"), picks(rr, within, limits, 4, "round-robin: next in turn"));
        Case conference = c("stay").bridges(b("a", 0.5), b("b", 0.1)).on("b", 3);
        assertEquals(List.of("b"), picks(rr, conference, limits, 1, "round-robin: stay on the conference's bridge"));
        Case allHot = c("all hot").bridges(b("x", 0.9), b("y", 0.95));
        // the turn counter is shared: 4 new-conference picks so far, so the turn is at 4 (mod 2 = x)
        assertEquals(List.of("x", "y"), picks(rr, allHot, limits, 2, "round-robin: every bridge over its limits, next in turn"));
    }

    @Test
    void powerOfTwoTakesTheLessStressedOfTwoDifferentBridgesFromThePool() {
        SelectionLimits limits = new SelectionLimits(settings(""));
        // the pool is a, b, c (hot is over the limits): the worst of the pool, c, can never win a pair
        Case row = c("p2c").bridges(b("a", 0.1), b("hot", 0.9), b("b", 0.2), b("c", 0.7));
        List<String> got = picks(new PowerOfTwoStrategy(new SplittableRandom(42)), row, limits, 300,
                "power-of-two: less stressed of two random bridges");
        assertEquals(got, picks(new PowerOfTwoStrategy(new SplittableRandom(42)), row, limits, 300,
                "power-of-two: less stressed of two random bridges"), "same seed, same picks");
        assertEquals(0, got.stream().filter(n -> n.equals("c") || n.equals("hot")).count(), got.toString());
        assertTrue(got.contains("a") && got.contains("b"), "b wins when drawn against c: " + got);
        Case one = c("one in the pool").bridges(b("a", 0.9), b("b", 0.3));
        assertEquals(List.of("b", "b"), picks(new PowerOfTwoStrategy(new SplittableRandom(1)), one, limits, 2,
                "power-of-two: less stressed of two random bridges"));
    }

    private static List<String> picks(io.focus.core.selection.BridgeSelectionStrategy s, Case row, SelectionLimits limits,
                                      int times, String rule) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            Decision d = s.select(row.candidateList(), row.request(), limits);
            assertEquals(rule, d.reason().rule());
            out.add(d.bridge().nick());
        }
        return out;
    }

    @Test
    void theStrategiesWorkOnAnyList() {
        // a plain, unmodifiable list, as a wrapper or a test would hand over: nothing assumes the selector's list
        List<BridgeState> list = List.of(b("a", 0.3), b("b", 0.1));
        Case row = c("any list").bridges(list.toArray(BridgeState[]::new));
        SelectionLimits limits = new SelectionLimits(settings(""));
        for (var s : List.of(new LeastStressStrategy(), new RegionStrategy(settings("")), new SplitStrategy(),
                new IntraRegionStrategy(), new FewestConferencesStrategy())) {
            assertEquals("b", s.select(list, row.request(), limits).bridge().nick(), s.name());
        }
    }
}
