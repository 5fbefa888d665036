package io.focus.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Filter;
import io.focus.core.selection.SelectionRequest;
import io.focus.selection.reference.PowerOfTwoStrategy;
import io.focus.selection.strategy.FewestConferencesStrategy;
import io.focus.selection.strategy.IntraRegionStrategy;
import io.focus.selection.strategy.LeastStressStrategy;
import io.focus.selection.strategy.RegionStrategy;
import io.focus.selection.strategy.RoundRobinStrategy;
import io.focus.selection.strategy.SplitStrategy;
import io.prometheus.client.CollectorRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The selector with its per-snapshot index decides exactly as the selector before it did ({@link ReferenceSelector}
 * and the strategies in {@code io.focus.selection.reference}): same bridge, same rule, same counts per filter, same
 * candidates, same relaxations, on thousands of random snapshots and requests, several requests per snapshot (so the
 * kept index and its lazily built pools are reused) and with ties everywhere (stress from a handful of values).
 * The one intended difference: bridges dropped for lacking a relay id are now counted under
 * {@link Filter#NO_RELAY}; the old selector dropped them silently, so here they are checked against an independent
 * count.
 */
class SelectionEquivalenceTest {
    private static final String[] REGIONS = {"us-east", "us-west", "eu-west", "eu-central", null};
    private static final double[] STRESS = {0.0, 0.1, 0.1, 0.3, 0.5, 0.79, 0.8, 0.95};
    private static final String[] CONFIGS = {
        "",
        "jicofo.octo.enabled = true",
        "jicofo.octo.enabled = true\njicofo.octo.allow-mixed-versions = true",
        "jicofo.octo.enabled = true\nfocus.selection.max-participants-per-bridge = 40\n"
                + "focus.selection.max-conferences-per-bridge = 5\njicofo.bridge.max-bridge-participants = 8\n"
                + "jicofo.bridge.max-bridge-participants-per-interval = 3",
        "jicofo.octo.enabled = true\njicofo.local-region = us-east\n"
                + "jicofo.bridge.region-groups = [[us-east, us-west], [eu-west, eu-central]]",
        "jicofo.local-region = eu-west\njicofo.bridge.region-groups = [[us-east, us-west]]\n"
                + "focus.selection.max-conferences-per-bridge = 3",
    };

    @ParameterizedTest
    @ValueSource(strings = {"least-stress", "region", "split", "intra-region", "fewest-conferences", "round-robin",
            "power-of-two"})
    void decidesAsTheSelectorBeforeTheIndex(String strategy) {
        compare(strategy, SelectionEquivalenceTest::request);
    }

    /**
     * The same, with requests aimed at the precomputed bests: the least loaded bridge overall, in the participant's
     * region, and the one with the fewest conferences (first in snapshot order when tied) are excluded or already
     * in the conference, so the strategies must fall back to the next best of the region (or anywhere).
     */
    @ParameterizedTest
    @ValueSource(strings = {"least-stress", "region", "split", "intra-region", "fewest-conferences", "round-robin",
            "power-of-two"})
    void decidesAsTheSelectorBeforeWhenTheBestBridgesAreSkipped(String strategy) {
        compare(strategy, SelectionEquivalenceTest::requestSkippingBests);
    }

    private static void compare(String strategy,
                                java.util.function.BiFunction<SplittableRandom, BridgeSnapshot, SelectionRequest> requests) {
        SplittableRandom rnd = new SplittableRandom(strategy.hashCode());
        int compared = 0, found = 0;
        for (String config : CONFIGS) {
            String hocon = config + "\njicofo.bridge.selection-strategy = " + strategy;
            SelectionSettings settings = SelectionSettings.from(ConfigFactory.parseString(hocon));
            FilteringBridgeSelector now = new FilteringBridgeSelector(settings, current(strategy, settings),
                    new CollectorRegistry(), Sel.clock());
            ReferenceSelector before = new ReferenceSelector(settings, reference(strategy, settings),
                    new CollectorRegistry(), Sel.clock());
            for (int snap = 0; snap < 150; snap++) {
                List<BridgeState> bridges = bridges(rnd, 1 + rnd.nextInt(snap % 10 == 0 ? 60 : 12));
                BridgeSnapshot snapshot = new BridgeSnapshot(1, Instant.EPOCH, bridges);
                for (int req = 0; req < 8; req++) {
                    SelectionRequest r = requests.apply(rnd, snapshot);
                    Decision a = now.select(r);
                    Decision b = before.select(r);
                    String what = strategy + " / " + config.replace('\n', ' ') + " / " + describe(r);
                    assertEquals(b.found() ? b.bridge().id() : null, a.found() ? a.bridge().id() : null, what);
                    if (a.found()) {
                        assertTrue(a.bridge() == b.bridge(), what + ": the snapshot's own object");
                    }
                    assertSameReason(b.reason(), a.reason(), noRelay(r, settings, a), what);
                    compared++;
                    found += a.found() ? 1 : 0;
                }
            }
        }
        assertEquals(CONFIGS.length * 150 * 8, compared);
        assertTrue(found > compared / 2, "most requests find a bridge: " + found + " of " + compared);
    }

    private static void assertSameReason(Reason before, Reason now, int noRelay, String what) {
        assertEquals(before.rule(), now.rule(), what);
        assertEquals(before.candidates(), now.candidates(), what + ": candidates");
        assertEquals(before.overCap(), now.overCap(), what + ": over cap");
        for (Reason.Relaxation x : Reason.Relaxation.values()) {
            assertEquals(before.relaxed(x), now.relaxed(x), what + ": relaxed " + x);
        }
        Map<Filter, Integer> expected = new LinkedHashMap<>(before.removedCounts());
        if (noRelay > 0) {
            expected.put(Filter.NO_RELAY, noRelay);
        }
        assertEquals(expected, now.removedCounts(), what + ": " + now);
    }

    /**
     * Bridges the old selector dropped silently for lacking a relay id: the request got past the "cannot spread"
     * check with a conference bridge kept (so it spreads) and a bridge it does not use, not excluded, not shutting
     * down, of the required version, has no relay id.
     */
    private static int noRelay(SelectionRequest r, SelectionSettings s, Decision d) {
        BridgeState anchor = FilteringBridgeSelector.anchor(r);
        if (anchor == null || !new SelectionLimits(s).conferenceCanSpread(r)) {
            return 0;
        }
        String version = s.allowMixedVersions() ? null : anchor.version() != null ? anchor.version() : r.pinnedVersion();
        int n = 0;
        for (BridgeState b : r.snapshot().bridges()) {
            if (!r.exclusions().excludes(b.id()) && !b.shuttingDown()
                    && (version == null || version.equals(b.version()))
                    && !r.conferenceBridges().containsKey(b.id()) && b.relayId() == null) {
                n++;
            }
        }
        return n;
    }

    private static List<BridgeState> bridges(SplittableRandom rnd, int n) {
        List<BridgeState> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String nick = "jvb" + i;
            int flags = rnd.nextInt(100);
            out.add(BridgeState.builder(Sel.id(nick))
                    .region(REGIONS[rnd.nextInt(REGIONS.length)])
                    .relayId(rnd.nextInt(8) == 0 ? null : nick)
                    .version(rnd.nextInt(10) == 0 ? "3.0-1" : rnd.nextInt(30) == 0 ? null : Sel.V1)
                    .reportedStress(STRESS[rnd.nextInt(STRESS.length)])
                    .recentlyAddedEndpoints(rnd.nextInt(4) == 0 ? rnd.nextInt(5) : 0)
                    .health(flags < 8 ? BridgeState.Health.FAILED : BridgeState.Health.OPERATIONAL)
                    .draining(flags >= 8 && flags < 14)
                    .gracefulShutdown(flags >= 14 && flags < 19)
                    .shuttingDown(flags >= 19 && flags < 23)
                    .endpoints(rnd.nextInt(60))
                    .conferences(rnd.nextInt(8))
                    .build());
        }
        return out;
    }

    private static SelectionRequest request(SplittableRandom rnd, BridgeSnapshot snapshot) {
        int n = snapshot.size();
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        int inConf = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(4);
        for (int i = 0; i < inConf; i++) {
            String id = rnd.nextInt(12) == 0 ? Sel.id("gone" + i) : snapshot.bridges().get(rnd.nextInt(n)).id();
            conf.put(id, new ConferenceBridgeProperties(rnd.nextInt(12), rnd.nextInt(5), false));
        }
        Set<String> excluded = new HashSet<>();
        if (rnd.nextInt(4) == 0) {
            for (int i = 0, k = 1 + rnd.nextInt(2); i < k; i++) {
                excluded.add(rnd.nextInt(6) == 0 ? Sel.id("unknown") : snapshot.bridges().get(rnd.nextInt(n)).id());
            }
        }
        String pin = rnd.nextInt(6) == 0 ? (rnd.nextBoolean() ? "3.0-1" : "9.9-9") : null;
        String region = rnd.nextInt(5) == 0 ? "ap-south" : REGIONS[rnd.nextInt(REGIONS.length)];
        return new SelectionRequest(snapshot, conf, new ParticipantProperties(region, false), pin,
                ExclusionSet.of(excluded), "room@conference.example.com");
    }

    private static SelectionRequest requestSkippingBests(SplittableRandom rnd, BridgeSnapshot snapshot) {
        String region = REGIONS[rnd.nextInt(REGIONS.length)];
        List<BridgeState> all = snapshot.bridges();
        BridgeState least = null, leastInRegion = null, fewest = null;
        for (BridgeState b : all) {
            if (least == null || b.correctedStress() < least.correctedStress()) least = b;
            if (region != null && region.equals(b.region())
                    && (leastInRegion == null || b.correctedStress() < leastInRegion.correctedStress())) {
                leastInRegion = b;
            }
            if (fewest == null || b.conferences() < fewest.conferences()
                    || (b.conferences() == fewest.conferences() && b.correctedStress() < fewest.correctedStress())) {
                fewest = b;
            }
        }
        Set<String> excluded = new HashSet<>();
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        for (BridgeState b : new BridgeState[] {least, leastInRegion, fewest}) {
            if (b == null) {
                continue;
            }
            switch (rnd.nextInt(3)) {
                case 0 -> excluded.add(b.id());
                case 1 -> conf.put(b.id(), new ConferenceBridgeProperties(rnd.nextInt(12), rnd.nextInt(5), false));
                default -> { }
            }
        }
        if (rnd.nextBoolean()) {
            excluded.add(all.get(rnd.nextInt(all.size())).id());
        }
        String pin = rnd.nextInt(6) == 0 ? "3.0-1" : null;
        return new SelectionRequest(snapshot, conf, new ParticipantProperties(region, false), pin,
                ExclusionSet.of(excluded), "room@conference.example.com");
    }

    private static String describe(SelectionRequest r) {
        StringBuilder sb = new StringBuilder();
        for (BridgeState b : r.snapshot().bridges()) {
            sb.append(b.nick()).append('[').append(b).append(" v=").append(b.version()).append(" relay=")
                    .append(b.relayId()).append(" confs=").append(b.conferences()).append("] ");
        }
        return sb + " conf=" + r.conferenceBridges() + " excluded=" + r.exclusions() + " pin=" + r.pinnedVersion()
                + " region=" + r.participant().region();
    }

    private static BridgeSelectionStrategy current(String name, SelectionSettings s) {
        return pick(name, s, Map.of(
                "least-stress", x -> new LeastStressStrategy(), "region", RegionStrategy::new,
                "split", x -> new SplitStrategy(), "intra-region", x -> new IntraRegionStrategy(),
                "fewest-conferences", x -> new FewestConferencesStrategy(), "round-robin", x -> new RoundRobinStrategy(),
                "power-of-two", x -> new io.focus.selection.strategy.PowerOfTwoStrategy(new SplittableRandom(5))));
    }

    private static BridgeSelectionStrategy reference(String name, SelectionSettings s) {
        return pick(name, s, Map.of(
                "least-stress", x -> new io.focus.selection.reference.LeastStressStrategy(),
                "region", io.focus.selection.reference.RegionStrategy::new,
                "split", x -> new io.focus.selection.reference.SplitStrategy(),
                "intra-region", x -> new io.focus.selection.reference.IntraRegionStrategy(),
                "fewest-conferences", x -> new io.focus.selection.reference.FewestConferencesStrategy(),
                "round-robin", x -> new io.focus.selection.reference.RoundRobinStrategy(),
                "power-of-two", x -> new PowerOfTwoStrategy(new SplittableRandom(5))));
    }

    private static BridgeSelectionStrategy pick(String name, SelectionSettings s,
                                                Map<String, Function<SelectionSettings, BridgeSelectionStrategy>> m) {
        return m.get(name).apply(s);
    }
}
