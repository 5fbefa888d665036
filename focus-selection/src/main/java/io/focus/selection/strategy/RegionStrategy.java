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
 * All eight are found in one pass over the candidates; tier 7 asks {@link ConferenceLimits#maxed}.
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
        // outsiders can only reach tiers 2, 3, 5 and 7 (1-based 3, 4, 6, 8); they come first, in snapshot order
        int b2 = -1, b3 = -1, b5 = -1, b7 = -1;
        double s2 = 0, s3 = 0, s5 = 0, s7 = 0;
        int[] outsiders = c.outsiders();
        int[] skip = c.skip();
        for (int t = 0, sp = 0, next = skip[0], n = outsiders.length; t < n; t++) {
            int j = outsiders[t];
            if (j == next) {
                next = skip[++sp];
                continue;
            }
            double s = stress[j];
            int f = flaws[j];
            if (Candidates.lower(s, s7, b7)) { b7 = j; s7 = s; }
            if (!Candidates.overloaded(f) && Candidates.lower(s, s5, b5)) { b5 = j; s5 = s; }
            if (Candidates.within(f)) {
                int g = regions[j];
                if (g == rc) {
                    if (Candidates.lower(s, s2, b2)) { b2 = j; s2 = s; }
                    if (Candidates.lower(s, s3, b3)) { b3 = j; s3 = s; }
                } else if (Candidates.lower(s, s3, b3) && inGroup(g, groupBits, bigGroup, group, ix)) {
                    b3 = j;
                    s3 = s;
                }
            }
        }
        int[] best = {-1, -1, b2, b3, -1, b5, -1, b7};
        double[] bestS = {0, 0, s2, s3, 0, s5, 0, s7};
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            double s = stress[j];
            int g = regions[j];
            boolean inRegion = g == rc;
            boolean inGroup = inRegion || inGroup(g, groupBits, bigGroup, group, ix);
            if (c.memberWithin(m)) {
                if (inRegion) consider(best, bestS, 0, s, j);
                if (inGroup) consider(best, bestS, 1, s, j);
                if (inRegion) consider(best, bestS, 2, s, j);
                if (inGroup) consider(best, bestS, 3, s, j);
                consider(best, bestS, 4, s, j);
            }
            if (!c.memberOverloaded(m)) consider(best, bestS, 5, s, j);
            if (!c.memberMaxed(m)) consider(best, bestS, 6, s, j);
            consider(best, bestS, 7, s, j);
        }
        for (int t = 0; t < TIERS.length; t++) {
            if (best[t] >= 0) {
                return Decision.of(ix.bridge(best[t]), TIERS[t]);
            }
        }
        return Decision.none(NO_CANDIDATES);
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
