package io.focus.selection;

import static io.focus.selection.Sel.b;
import static io.focus.selection.Sel.c;
import static io.focus.selection.Sel.conferences;
import static io.focus.selection.Sel.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bests the selector precomputes per snapshot and relaxation level ({@link Candidates#best}, {@link
 * Candidates#nth}): when the precomputed best is excluded or is one of the conference's own bridges, the next best
 * (of the region, or anywhere) is found; ties go to the earlier bridge in snapshot order.
 */
class PrecomputedBestsTest {
    private static final String OCTO = "jicofo.octo.enabled = true";

    static Stream<Sel.Case> rows() {
        return Stream.of(
            c("least-stress: best in region excluded -> next in region")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("eu3", 0.3, "eu-west"))
                .region("eu-west").exclude("eu1").expect("eu2", "least loaded in the participant's region"),
            c("least-stress: the region's two best excluded -> third")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("eu3", 0.3, "eu-west"))
                .region("eu-west").exclude("eu2", "eu1").expect("eu3", "in the participant's region"),
            c("least-stress: whole region excluded -> best elsewhere, overall best excluded too")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("us1", 0.05, "us-east"), b("us2", 0.15, "us-west"), b("eu1", 0.1, "eu-west"), b("ap1", 0.12, "ap"))
                .region("eu-west").exclude("eu1", "us1").expect("ap1", "none in the participant's region"),
            c("least-stress: best bridge is the conference's own (capped) -> next best in region")
                .config("jicofo.bridge.selection-strategy = least-stress\njicofo.bridge.max-bridge-participants = 10\n" + OCTO)
                .bridges(b("eu1", 0.1, "eu-west"), b("eu2", 0.2, "eu-west"), b("us1", 0.0, "us-east"))
                .on("eu1", 10).region("eu-west").expect("eu2", "least loaded in the participant's region"),
            c("least-stress: ties -> earlier in snapshot order, also after the best is excluded")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("eu0", 0.3, "eu-west"), b("eu1", 0.1, "eu-west"), b("eu2", 0.1, "eu-west"), b("eu3", 0.1, "eu-west"))
                .region("eu-west").exclude("eu1").expect("eu2", "in the participant's region"),
            c("least-stress: tie on the overall best, none in region")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("a", 0.3, "us-east"), b("b", 0.1, "ap"), b("c", 0.1, "us-west"), b("d", 0.1, "us-east"))
                .region("eu-west").exclude("b").expect("c", "none in the participant's region"),
            c("least-stress: every bridge overloaded, least loaded in region excluded")
                .config("jicofo.bridge.selection-strategy = least-stress")
                .bridges(b("eu1", 0.85, "eu-west"), b("eu2", 0.9, "eu-west"), b("us1", 0.81, "us-east"))
                .region("eu-west").exclude("eu1").expect("eu2", "over its limits, least loaded in region"),
            c("region: best in region excluded -> next in region before the group")
                .config("jicofo.bridge.selection-strategy = region\njicofo.bridge.region-groups = [[eu-west, eu-central]]")
                .bridges(b("euc", 0.0, "eu-central"), b("euw1", 0.1, "eu-west"), b("euw2", 0.4, "eu-west"))
                .region("eu-west").exclude("euw1").expect("euw2", "not loaded, in region"),
            c("region: region excluded -> best of the group, the group's best excluded too")
                .config("jicofo.bridge.selection-strategy = region\njicofo.bridge.region-groups = [[eu-west, eu-central, eu-north]]")
                .bridges(b("euc1", 0.1, "eu-central"), b("eun1", 0.3, "eu-north"), b("euc2", 0.2, "eu-central"),
                        b("us1", 0.0, "us-east"), b("euw1", 0.1, "eu-west"))
                .region("eu-west").exclude("euw1", "euc1").expect("euc2", "not loaded, in region group"),
            c("region: nothing within the limits, least stressed not-overloaded excluded")
                .config("jicofo.bridge.selection-strategy = region\nfocus.selection.max-conferences-per-bridge = 2")
                .bridges(conferences(b("a", 0.1, "us-east"), 2), conferences(b("b", 0.2, "us-east"), 2),
                        conferences(b("c", 0.9, "eu-west"), 2))
                .region("eu-west").exclude("a").expect("b", "not overloaded"),
            c("fewest-conferences: the fewest excluded -> next fewest")
                .config("jicofo.bridge.selection-strategy = fewest-conferences")
                .bridges(conferences(b("a", 0.1), 3), conferences(b("b", 0.5), 0), conferences(b("c", 0.4), 1), conferences(b("d", 0.0), 2))
                .exclude("b").expect("c", "fewest conferences"),
            c("fewest-conferences: tie on conferences -> less stress, then snapshot order")
                .config("jicofo.bridge.selection-strategy = fewest-conferences")
                .bridges(conferences(b("a", 0.3), 1), conferences(b("b", 0.2), 1), conferences(b("c", 0.2), 1), conferences(b("d", 0.2), 0))
                .exclude("d").expect("b", "fewest conferences"),
            c("fewest-conferences: tied best is the conference's own (capped) -> the next tied one")
                .config("jicofo.bridge.selection-strategy = fewest-conferences\njicofo.bridge.max-bridge-participants = 5\n" + OCTO)
                .bridges(conferences(b("a", 0.3), 1), conferences(b("b", 0.2), 1), conferences(b("c", 0.2), 1))
                .on("b", 5).expect("c", "fewest conferences"),
            c("split: the least loaded is the conference's own -> next least loaded, tie to the earlier")
                .config("jicofo.bridge.selection-strategy = split\n" + OCTO)
                .bridges(b("a", 0.3), b("b", 0.1), b("c", 0.2), b("d", 0.2))
                .on("b", 2).expect("c", "does not use yet"),
            c("intra-region: spill: the region's best excluded -> next in the conference's region")
                .config("jicofo.bridge.selection-strategy = intra-region\njicofo.bridge.max-bridge-participants = 4\n" + OCTO)
                .bridges(b("eu1", 0.5, "eu-west"), b("eu2", 0.1, "eu-west"), b("us1", 0.0, "us-east"), b("eu3", 0.2, "eu-west"))
                .on("eu1", 4).region("us-east").exclude("eu2").expect("eu3", "not loaded, in the conference's region"),
            c("round-robin: the first in turn excluded -> the next one")
                .config("jicofo.bridge.selection-strategy = round-robin")
                .bridges(b("a", 0.1), b("b", 0.1), b("c", 0.9), b("d", 0.1))
                .exclude("a").expect("b", "next in turn"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theNextBestIsFoundWhenThePrecomputedBestIsSkipped(Sel.Case row) {
        Sel.check("", row);
    }

    /**
     * Every look-up on the selector's candidates against a brute-force answer over their list view, on random
     * snapshots and requests (excluded bridges, conferences on several bridges, every relaxation level reached).
     */
    @Test
    void lookUpsMatchAScanOfTheCandidates() {
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        BridgeSelectionStrategy probe = new BridgeSelectionStrategy() {
            @Override public String name() { return "probe"; }
            @Override public Decision select(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
                Candidates c = (Candidates) list;
                checkAgainstScan(c, request, problems);
                checked[0]++;
                return Decision.none(Reason.of("probe: keep relaxing")); // so every level is looked at
            }
        };
        String[] regions = {"r0", "r1", "r2", null};
        double[] stress = {0.0, 0.1, 0.1, 0.5, 0.85};
        SplittableRandom rnd = new SplittableRandom(42);
        for (String config : new String[] {"", OCTO + "\nfocus.selection.max-conferences-per-bridge = 3"}) {
            FilteringBridgeSelector s = new FilteringBridgeSelector(Sel.settings(config), probe, new CollectorRegistry(),
                    Sel.clock());
            for (int snap = 0; snap < 60; snap++) {
                List<BridgeState> bridges = new ArrayList<>();
                for (int i = 0, n = 1 + rnd.nextInt(40); i < n; i++) {
                    BridgeState b = conferences(b("jvb" + i, stress[rnd.nextInt(stress.length)],
                            regions[rnd.nextInt(regions.length)]), rnd.nextInt(4));
                    int f = rnd.nextInt(10);
                    bridges.add(f == 0 ? Sel.failed(b) : f == 1 ? Sel.draining(b) : b);
                }
                BridgeSnapshot snapshot = new BridgeSnapshot(1, Instant.EPOCH, bridges);
                for (int req = 0; req < 10; req++) {
                    Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
                    Set<String> excluded = new HashSet<>();
                    for (int k = rnd.nextInt(4); k > 0; k--) {
                        conf.put(bridges.get(rnd.nextInt(bridges.size())).id(), ConferenceBridgeProperties.of(rnd.nextInt(90)));
                    }
                    for (int k = rnd.nextInt(4); k > 0; k--) {
                        excluded.add(bridges.get(rnd.nextInt(bridges.size())).id());
                    }
                    s.select(new SelectionRequest(snapshot, conf, ParticipantProperties.NONE, null,
                            ExclusionSet.of(excluded), "room"));
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " mismatches, e.g. " + problems.stream().limit(5).toList());
        assertTrue(checked[0] > 1000, "looked at every level of many requests: " + checked[0]);
    }

    private static void checkAgainstScan(Candidates c, SelectionRequest request, List<String> problems) {
        SnapshotIndex ix = c.index();
        List<Integer> outsiders = new ArrayList<>();
        for (BridgeState b : c) {
            if (!request.conferenceBridges().containsKey(b.id())) {
                outsiders.add(ix.position(b.id()));
            }
        }
        List<Integer> withinList = outsiders.stream().filter(j -> Candidates.within(ix.flaws()[j])).toList();
        for (int kind = 0; kind < 5; kind++) {
            expect(problems, "best(" + kind + ")", scan(ix, kind, outsiders, Integer.MIN_VALUE), c.best(kind));
            for (int r = SnapshotIndex.UNKNOWN_REGION; r < ix.regionCount(); r++) {
                expect(problems, "best(" + kind + ", " + r + ")", scan(ix, kind, outsiders, r), c.best(kind, r));
            }
        }
        for (int k = 0; k < outsiders.size(); k++) {
            expect(problems, "nth(false, " + k + ")", outsiders.get(k), c.nth(false, k));
        }
        for (int k = 0; k < withinList.size(); k++) {
            expect(problems, "nth(true, " + k + ")", withinList.get(k), c.nth(true, k));
        }
        expect(problems, "within count", withinList.size(), c.outsidersWithin());
    }

    private static void expect(List<String> problems, String what, int expected, int actual) {
        if (expected != actual) {
            problems.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Brute force: the best outsider of the kind in region r (MIN_VALUE: anywhere), by the kind's order. */
    private static int scan(SnapshotIndex ix, int kind, List<Integer> outsiders, int r) {
        int best = -1;
        for (int j : outsiders) {
            if (r != Integer.MIN_VALUE && ix.regions()[j] != r) continue;
            int f = ix.flaws()[j];
            boolean ok = switch (kind) {
                case Candidates.WITHIN, Candidates.FEWEST_WITHIN -> Candidates.within(f);
                case Candidates.NOT_OVERLOADED -> !Candidates.overloaded(f);
                default -> true;
            };
            if (!ok) continue;
            if (best < 0) { best = j; continue; }
            if (kind >= Candidates.FEWEST_WITHIN && ix.conferences()[j] != ix.conferences()[best]) {
                if (ix.conferences()[j] < ix.conferences()[best]) best = j;
                continue;
            }
            if (ix.stress()[j] < ix.stress()[best]) best = j; // visited in snapshot order: ties keep the earlier
        }
        return best;
    }

    @Test
    void regionCodesOfTheIndexNameTheirRegion() {
        BridgeSnapshot snap = new BridgeSnapshot(1, Instant.EPOCH, List.of(b("a", 0.1, "x"), b("b", 0.1), b("c", 0.1, "y")));
        SnapshotIndex ix = SnapshotIndex.of(snap, new SelectionLimits(Sel.settings("")));
        assertEquals("x", ix.regionName(ix.regionCode("x")));
        assertEquals(SnapshotIndex.NO_REGION, ix.regions()[ix.position(id("b"))]);
        assertEquals(SnapshotIndex.UNKNOWN_REGION, ix.regionCode("z"));
    }
}
