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

/**
 * Octo only for load (Jicofo's {@code IntraRegionBridgeSelectionStrategy}). A new conference gets the least loaded
 * bridge in the participant's region that is within its limits, else the least loaded bridge. A running
 * conference stays in the region R of its first bridge: its least loaded bridge in R within the limits, else the
 * least loaded bridge in R within the limits (spill over for load), else its least loaded bridge in R whatever the
 * load. Nothing in R gives no pick; the selector then relaxes its filters, and decides "none" when even that
 * finds nothing in R (as Jicofo does).
 */
public final class IntraRegionStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "intra-region";

    static final Reason NEW_IN_REGION = Reason.of("intra-region: not loaded in the participant's region");
    static final Reason NEW_ANY = Reason.of("intra-region: least loaded");
    static final Reason STAY = Reason.of("intra-region: not loaded, in conference, in the conference's region");
    static final Reason SPILL = Reason.of("intra-region: not loaded, in the conference's region");
    static final Reason STAY_LOADED = Reason.of("intra-region: least loaded in conference, in the conference's region");
    static final Reason NOTHING_IN_REGION = Reason.of("intra-region: no candidate in the conference's region");
    static final Reason NO_CANDIDATES = Reason.of("intra-region: no candidates");

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
        Candidates c = Candidates.of(list, request, limits);
        SnapshotIndex ix = c.index();
        double[] stress = ix.stress();
        int[] regions = ix.regions();
        BridgeState anchor = Picks.anchor(request);
        if (anchor == null) {
            int region = ix.regionCode(request.participant().region());
            // the outsiders' bests are precomputed per snapshot and relaxation level (Candidates#best)
            int inRegion = c.best(Candidates.WITHIN, region), any = c.best(Candidates.ANY);
            double inRegionS = inRegion < 0 ? 0 : stress[inRegion], anyS = any < 0 ? 0 : stress[any];
            for (int m = 0, n = c.members(); m < n; m++) {
                int j = c.memberPosition(m);
                double s = stress[j];
                if (regions[j] == region && c.memberWithin(m) && Candidates.better(s, j, inRegionS, inRegion)) {
                    inRegion = j;
                    inRegionS = s;
                }
                if (Candidates.better(s, j, anyS, any)) { any = j; anyS = s; }
            }
            if (inRegion >= 0) return Decision.of(ix.bridge(inRegion), NEW_IN_REGION);
            if (any >= 0) return Decision.of(ix.bridge(any), NEW_ANY);
            return Decision.none(NO_CANDIDATES);
        }
        int r = anchor.region() == null ? SnapshotIndex.NO_REGION : ix.regionCode(anchor.region());
        int stay = -1, stayLoaded = -1;
        double stayS = 0, stayLoadedS = 0;
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            if (regions[j] != r) {
                continue;
            }
            double s = stress[j];
            boolean ok = c.memberWithin(m);
            if (ok && Candidates.better(s, j, stayS, stay)) { stay = j; stayS = s; }
            if (Candidates.better(s, j, stayLoadedS, stayLoaded)) { stayLoaded = j; stayLoadedS = s; }
        }
        // no outsider can beat staying; without a member to stay on, only outsiders can take the spill
        if (stay >= 0) return Decision.of(ix.bridge(stay), STAY);
        int spill = c.best(Candidates.WITHIN, r); // precomputed per snapshot and relaxation level
        if (spill >= 0) return Decision.of(ix.bridge(spill), SPILL);
        if (stayLoaded >= 0) return Decision.of(ix.bridge(stayLoaded), STAY_LOADED);
        return Decision.none(NOTHING_IN_REGION);
    }

    /** {@code intra-region}, also Jicofo's {@code IntraRegionBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("IntraRegionBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new IntraRegionStrategy();
        }
    }
}
