package io.focus.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Relaxation;
import io.focus.core.selection.SelectionRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the filters promise whatever the strategy, checked on thousands of random snapshots and requests (every
 * flaw, several regions and versions, bridges without relay id, excluded and unknown bridges, ties everywhere):
 * a never-relaxed filter is never relaxed (a non-operational bridge is never picked); every bridge of the snapshot
 * is either a candidate or counted once under one filter; the relaxations recorded are exactly the flaws of the
 * pick; a conference that cannot spread stays on its bridge, or waits when that bridge is not operational; and a strategy that always picks something gets the bridges that need the least relaxing.
 */
class SelectionInvariantsTest {
    private static final String[] REGIONS = {"us-east", "us-west", "eu-west", null};
    private static final double[] STRESS = {0.0, 0.1, 0.1, 0.5, 0.79, 0.8, 0.95};
    private static final String[] CONFIGS = {
        "",
        "jicofo.octo.enabled = true",
        "jicofo.octo.enabled = true\njicofo.octo.allow-mixed-versions = true",
        "jicofo.octo.enabled = true\nfocus.selection.max-participants-per-bridge = 40\n"
                + "focus.selection.max-conferences-per-bridge = 5\njicofo.bridge.max-bridge-participants = 8\n"
                + "jicofo.bridge.max-bridge-participants-per-interval = 3",
        "jicofo.octo.enabled = true\njicofo.local-region = us-east\n"
                + "jicofo.bridge.region-groups = [[us-east, us-west]]",
    };

    @ParameterizedTest
    @ValueSource(strings = {"least-stress", "region", "split", "intra-region", "fewest-conferences", "round-robin",
            "power-of-two"})
    void theFiltersKeepTheirPromises(String strategy) {
        SplittableRandom rnd = new SplittableRandom(strategy.hashCode());
        int found = 0, relaxed = 0, stays = 0, waits = 0, total = 0;
        for (String config : CONFIGS) {
            String hocon = config + "\njicofo.bridge.selection-strategy = " + strategy;
            SelectionSettings settings = Sel.settings(hocon);
            FilteringBridgeSelector selector = Sel.selector(hocon);
            for (int i = 0; i < 800; i++) {
                SelectionRequest r = request(rnd, bridges(rnd, 1 + rnd.nextInt(i % 10 == 0 ? 40 : 10)));
                Decision d = selector.select(r);
                Supplier<String> what = () -> strategy + " / " + config.replace('\n', ' ') + " / " + describe(r) + " -> "
                        + d.reason();
                if (d.reason().rule().startsWith("stay: the conference cannot spread")) {
                    checkStay(r, settings, d, what);
                    stays++;
                } else if (d.reason().rule().endsWith("and its bridge is not operational")) {
                    checkWait(r, settings, d, what);
                    waits++;
                } else {
                    check(r, settings, d, !strategy.equals("intra-region"), what);
                }
                total++;
                found += d.found() ? 1 : 0;
                relaxed += d.reason().anyRelaxed() ? 1 : 0;
            }
        }
        assertTrue(found > total / 2 && relaxed > total / 20 && stays > total / 50 && waits > 0,
                "the inputs reach every case: " + found + " found, " + relaxed + " relaxed, " + stays + " stays, "
                        + waits + " waits of " + total);
    }

    private static void check(SelectionRequest r, SelectionSettings s, Decision d, boolean alwaysPicks,
                              Supplier<String> what) {
        SelectionLimits limits = new SelectionLimits(s);
        BridgeState anchor = anchor(r);
        String version = s.allowMixedVersions() ? null
                : anchor != null && anchor.version() != null ? anchor.version() : r.pinnedVersion();
        List<BridgeState> eligible = new ArrayList<>();
        for (BridgeState b : r.snapshot().bridges()) {
            if (!r.exclusions().excludes(b.id()) && b.operational() && !b.shuttingDown() && (version == null || version.equals(b.version()))
                    && (anchor == null || b.relayId() != null || r.conferenceBridges().containsKey(b.id()))) {
                eligible.add(b);
            }
        }
        Reason reason = d.reason();
        int counted = reason.removedCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(r.snapshot().size(), counted + reason.candidates(), () -> what.get() + ": every bridge counted once");
        assertFalse(reason.overCap(), what);
        int least = eligible.stream().mapToInt(b -> flaws(b, r, limits)).min().orElse(-1);
        if (!d.found()) {
            assertFalse(alwaysPicks && !eligible.isEmpty(), () -> what.get() + ": a bridge was left");
            return;
        }
        BridgeState pick = d.bridge();
        assertSame(r.snapshot().get(pick.id()), pick, () -> what.get() + ": the snapshot's own bridge");
        assertTrue(eligible.contains(pick), () -> what.get() + ": passes the never-relaxed filters");
        int flaws = flaws(pick, r, limits);
        assertTrue(pick.operational(), () -> what.get() + ": never a non-operational bridge");
        assertEquals((flaws & 1) != 0, reason.relaxed(Relaxation.OVERLOADED), what);
        assertEquals((flaws & 2) != 0, reason.relaxed(Relaxation.CAPS), what);
        assertEquals((flaws & (4 | 8)) != 0, reason.relaxed(Relaxation.DRAINING), what);
        assertEquals((flaws & 16) != 0, reason.relaxed(Relaxation.SUSPECT), what);
        if (alwaysPicks) {
            assertEquals(least, flaws, () -> what.get() + ": relaxed as little as it could");
            assertEquals(eligible.stream().filter(b -> flaws(b, r, limits) == least).count(), reason.candidates(), what);
        }
    }

    private static void checkStay(SelectionRequest r, SelectionSettings s, Decision d, Supplier<String> what) {
        SelectionLimits limits = new SelectionLimits(s);
        BridgeState anchor = anchor(r);
        assertNotNull(anchor, what);
        assertFalse(limits.conferenceCanSpread(r), what);
        assertSame(anchor, d.bridge(), what);
        assertEquals(1, d.reason().candidates(), what);
        assertTrue(d.reason().removedCounts().isEmpty(), what);
        assertTrue(anchor.operational(), () -> what.get() + ": never stays on a non-operational bridge");
        int flaws = flaws(anchor, r, limits);
        assertEquals((flaws & (1 | 2)) != 0, d.reason().overCap(), what);
    }

    /** A conference that cannot spread and whose bridge (an operational one, if it has one) failed: none, it waits. */
    private static void checkWait(SelectionRequest r, SelectionSettings s, Decision d, Supplier<String> what) {
        BridgeState anchor = anchor(r);
        assertNotNull(anchor, what);
        assertFalse(anchor.operational(), what);
        assertFalse(new SelectionLimits(s).conferenceCanSpread(r), what);
        assertFalse(d.found(), what);
        assertEquals(0, d.reason().candidates(), what);
        assertEquals(Map.of(Reason.Filter.NOT_OPERATIONAL, 1), d.reason().removedCounts(), what);
    }

    /** The relaxation order of docs/design.md as bits, later-relaxed higher (graceful before draining). */
    private static int flaws(BridgeState b, SelectionRequest r, SelectionLimits limits) {
        int f = 0;
        if (limits.bridgeOverloaded(b)) f |= 1;
        if (limits.capReached(b, r.conferenceBridges().get(b.id()))) f |= 2;
        if (b.gracefulShutdown()) f |= 4;
        if (b.draining()) f |= 8;
        if (b.suspect()) f |= 16;
        return f;
    }

    /** The conference's first usable bridge, an operational one if it has one. */
    private static BridgeState anchor(SelectionRequest r) {
        BridgeState failed = null;
        for (String id : r.conferenceBridges().keySet()) {
            BridgeState b = r.snapshot().get(id);
            if (b != null && !b.shuttingDown() && !r.exclusions().excludes(id)) {
                if (b.operational()) {
                    return b;
                }
                failed = failed == null ? b : failed;
            }
        }
        return failed;
    }

    private static BridgeSnapshot bridges(SplittableRandom rnd, int n) {
        List<BridgeState> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String nick = "jvb" + i;
            int flags = rnd.nextInt(100);
            BridgeState b = BridgeState.builder(Sel.id(nick))
                    .region(REGIONS[rnd.nextInt(REGIONS.length)])
                    .relayId(rnd.nextInt(8) == 0 ? null : nick)
                    .version(rnd.nextInt(10) == 0 ? "3.0-1" : rnd.nextInt(30) == 0 ? null : Sel.V1)
                    .reportedStress(STRESS[rnd.nextInt(STRESS.length)])
                    .health(flags < 8 ? BridgeState.Health.FAILED : BridgeState.Health.OPERATIONAL)
                    .draining(flags >= 8 && flags < 14)
                    .gracefulShutdown(flags >= 14 && flags < 19)
                    .shuttingDown(flags >= 19 && flags < 23)
                    .endpoints(rnd.nextInt(60))
                    .conferences(rnd.nextInt(8))
                    .build();
            out.add(flags >= 23 && flags < 28 ? Sel.suspect(b) : b);
        }
        return new BridgeSnapshot(1, Instant.EPOCH, out);
    }

    private static SelectionRequest request(SplittableRandom rnd, BridgeSnapshot snapshot) {
        int n = snapshot.size();
        Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
        for (int i = 0, k = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(4); i < k; i++) {
            String id = rnd.nextInt(12) == 0 ? Sel.id("gone" + i) : snapshot.bridges().get(rnd.nextInt(n)).id();
            conf.put(id, new ConferenceBridgeProperties(rnd.nextInt(12), rnd.nextInt(5), false));
        }
        Set<String> excluded = new HashSet<>();
        for (int i = 0, k = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0; i < k; i++) {
            excluded.add(rnd.nextInt(6) == 0 ? Sel.id("unknown") : snapshot.bridges().get(rnd.nextInt(n)).id());
        }
        String pin = rnd.nextInt(6) == 0 ? (rnd.nextBoolean() ? "3.0-1" : "9.9-9") : null;
        String region = rnd.nextInt(5) == 0 ? "ap-south" : REGIONS[rnd.nextInt(REGIONS.length)];
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
}
