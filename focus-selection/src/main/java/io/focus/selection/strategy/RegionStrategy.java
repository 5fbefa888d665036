package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.Candidates;
import io.focus.selection.SelectionSettings;
import io.focus.selection.SnapshotIndex;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geo-aware selection with Octo (Jicofo's {@code RegionBasedBridgeSelectionStrategy}). The region is the
 * participant's, else {@code jicofo.local-region}. With a local region configured: (a) a participant starting a
 * conference from a region whose group contains the local region is treated as local (the other early participant
 * is probably local); (b) when no candidate is in the region's group, the local region is used.
 *
 * <p>Then the first of eight tiers that finds a bridge, each the least loaded (minimum corrected stress, ties in
 * snapshot order) of the candidates that:
 * <ol>
 *   <li>are not over the limits for this conference, already in the conference, in the region;</li>
 *   <li>the same, in the region group;</li>
 *   <li>are not over the limits, in the region;</li>
 *   <li>are not over the limits, in the region group;</li>
 *   <li>are not over the limits, already in the conference;</li>
 *   <li>are not overloaded (the bridge's own stress only);</li>
 *   <li>are in the conference below {@code max-bridge-participants} (join rate ignored);</li>
 *   <li>any candidate.</li>
 * </ol>
 * The conference's own bridges are looked at one by one (tier 7 asks {@link ConferenceLimits#maxed}); for the
 * others, each tier takes the best the selector precomputed per snapshot and relaxation level, per region
 * ({@link Candidates#best}), so a decision costs about the number of regions, not of bridges.
 */
public final class RegionStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "region";
    private static final Logger log = LoggerFactory.getLogger(RegionStrategy.class);

    static final Reason[] TIERS = {
        Reason.of("region: not loaded, in conference, in region"),
        Reason.of("region: not loaded, in conference, in region group"),
        Reason.of("region: not loaded, in region"),
        Reason.of("region: not loaded, in region group"),
        Reason.of("region: not loaded, in conference"),
        Reason.of("region: not overloaded"),
        Reason.of("region: least loaded in conference below max-bridge-participants"),
        Reason.of("region: least loaded"),
    };
    static final Reason NO_CANDIDATES = Reason.of("region: no candidates");

    private final SelectionSettings settings;
    public RegionStrategy(SelectionSettings settings) {
        this.settings = settings;
    }

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
        Candidates c = Candidates.of(list, request, limits);
        SnapshotIndex ix = c.index();
        String local = settings.localRegion();
        String region = request.participant().region() != null ? request.participant().region() : local;
        if (local != null && !local.equals(region)) {
            if (Picks.anchor(request) == null && settings.regionGroup(region).contains(local)) {
                region = local; // (a)
            } else if (!ix.anyLiveIn(settings.regionGroup(region), request)) {
                region = local; // (b)
            }
        }
        int rc = ix.regionCode(region);
        // the region group as a set of region codes (codes past 63 are looked up by name)
        Set<String> group = settings.regionGroup(region);
        long groupBits = 0;
        boolean bigGroup = false;
        for (int code = 0, n = ix.regionCount(); code < n && !group.isEmpty(); code++) {
            if (group.contains(ix.regionName(code))) {
                if (code < 64) groupBits |= 1L << code;
                else bigGroup = true;
            }
        }
        double[] stress = ix.stress();
        int[] regions = ix.regions();
        int[] flaws = ix.flaws();
        // tiers 0 and 1 take only the conference's own bridges: when one qualifies, no outsider matters
        int t0 = -1, t1 = -1;
        double t0S = 0, t1S = 0;
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            if (!c.memberWithin(m)) {
                continue;
            }
            int g = regions[j];
            if (g == rc && Candidates.better(stress[j], j, t0S, t0)) { t0 = j; t0S = stress[j]; }
            if ((g == rc || inGroup(g, groupBits, bigGroup, group, ix)) && Candidates.better(stress[j], j, t1S, t1)) {
                t1 = j;
                t1S = stress[j];
            }
        }
        if (t0 >= 0) return Decision.of(ix.bridge(t0), TIERS[0]);
        if (t1 >= 0) return Decision.of(ix.bridge(t1), TIERS[1]);
        // the conference's own bridges for tiers 2..7 first; the outsiders (tiers 2, 3, 5 and 7 only) come from the
        // bests precomputed per snapshot and relaxation level, looked up tier by tier until one finds a bridge
        int[] best = {-1, -1, -1, -1, -1, -1, -1, -1};
        double[] bestS = new double[8];
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            double s = stress[j];
            int g = regions[j];
            boolean inRegion = g == rc;
            boolean inGroup = inRegion || inGroup(g, groupBits, bigGroup, group, ix);
            if (c.memberWithin(m)) {
                if (inRegion) consider(best, bestS, 2, s, j);
                if (inGroup) consider(best, bestS, 3, s, j);
                consider(best, bestS, 4, s, j);
            }
            if (!c.memberOverloaded(m)) consider(best, bestS, 5, s, j);
            if (!c.memberMaxed(m)) consider(best, bestS, 6, s, j);
            consider(best, bestS, 7, s, j);
        }
        for (int t = 2; t < TIERS.length; t++) {
            int o = switch (t) {
                case 2 -> c.best(Candidates.WITHIN, rc);
                case 3 -> bestInGroup(c, rc, groupBits, bigGroup, group, ix);
                case 5 -> c.best(Candidates.NOT_OVERLOADED);
                case 7 -> c.best(Candidates.ANY);
                default -> -1;
            };
            if (o >= 0) consider(best, bestS, t, stress[o], o);
            if (best[t] >= 0) {
                return Decision.of(ix.bridge(best[t]), TIERS[t]);
            }
        }
        return Decision.none(NO_CANDIDATES);
    }

    /** The least loaded outsider within the limits in the region or its group; about one look-up per region. */
    private static int bestInGroup(Candidates c, int rc, long groupBits, boolean bigGroup, Set<String> group,
                                   SnapshotIndex ix) {
        double[] stress = ix.stress();
        int best = c.best(Candidates.WITHIN, rc);
        for (int code = 0, n = ix.regionCount(); code < n; code++) {
            if (code == rc || !inGroup(code, groupBits, bigGroup, group, ix)) {
                continue;
            }
            int j = c.best(Candidates.WITHIN, code);
            if (j >= 0 && (best < 0 || Candidates.better(stress[j], j, stress[best], best))) {
                best = j;
            }
        }
        return best;
    }

    private static boolean inGroup(int code, long groupBits, boolean bigGroup, Set<String> group, SnapshotIndex ix) {
        if (code < 0) {
            return false;
        }
        if (code < 64) {
            return (groupBits & (1L << code)) != 0;
        }
        return bigGroup && group.contains(ix.regionName(code));
    }

    private static void consider(int[] best, double[] bestS, int tier, double s, int j) {
        if (Candidates.better(s, j, bestS[tier], best[tier])) {
            best[tier] = j;
            bestS[tier] = s;
        }
    }

    /** {@code region}, also Jicofo's {@code RegionBasedBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("RegionBasedBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings s = SelectionSettings.from(config);
            if (!s.octoEnabled()) {
                log.warn("The region strategy is meant for Octo but jicofo.octo.enabled=false: conferences will not"
                        + " spread over regions, only new conferences are placed by region.");
            }
            return new RegionStrategy(s);
        }
    }
}
