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
 * One bridge per conference (Jicofo's {@code SingleBridgeSelectionStrategy}): the conference stays on its bridge
 * while that bridge is within the limits; a new conference gets the least loaded bridge in the participant's
 * region, else the least loaded anywhere.
 *
 * <p>Two deliberate differences from Jicofo. (1) The conference's bridge is kept only while it is within the
 * limits ({@link ConferenceLimits#overloadedFor}); past them the conference goes to another bridge like a new one
 * would (the selector only lets that happen when the conference can spread; otherwise it keeps the conference on
 * its bridge and flags it over cap). (2) Jicofo's initial pick takes the least loaded bridge <em>in the region</em>
 * with no overload check, so an overloaded in-region bridge beats an idle one elsewhere. Here the region is a
 * preference among bridges that are not overloaded: an overloaded in-region bridge loses to an idle one elsewhere,
 * because a participant on an overloaded bridge hurts everyone on it while a remote bridge costs only latency.
 * When every bridge is overloaded the region wins again (then latency is the only thing left to save).
 *
 * <p>"Least loaded" is the minimum corrected stress found in one pass over the candidates (no sort, no map look-up
 * per bridge); ties go to the earlier bridge in snapshot order.
 */
public final class LeastStressStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "least-stress";

    static final Reason STAY = Reason.of("least-stress: stay on the conference's bridge");
    static final Reason NEW_IN_REGION = Reason.of("least-stress: least loaded in the participant's region");
    static final Reason NEW_ANYWHERE = Reason.of("least-stress: least loaded, none in the participant's region");
    static final Reason STAY_OVERLOADED = Reason.of("least-stress: every bridge over its limits, stay on the conference's bridge");
    static final Reason OVERLOADED_IN_REGION = Reason.of("least-stress: every bridge over its limits, least loaded in region");
    static final Reason OVERLOADED_ANYWHERE = Reason.of("least-stress: every bridge over its limits, least loaded");
    static final Reason NO_CANDIDATES = Reason.of("least-stress: no candidates");

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
        Candidates c = Candidates.of(list, request, limits);
        SnapshotIndex ix = c.index();
        double[] stress = ix.stress();
        int[] regions = ix.regions();
        int[] flaws = ix.flaws();
        int region = ix.regionCode(request.participant().region());
        // best-so-far positions (-1: none) and their stress
        int stay = -1, inRegion = -1, any = -1, stayOver = -1, regionOver = -1, anyOver = -1;
        double stayS = 0, inRegionS = 0, anyS = 0, stayOverS = 0, regionOverS = 0, anyOverS = 0;
        // the conference's own bridges for the last two tiers, merged with the outsiders' after the scan
        int mRegionOver = -1, mAnyOver = -1;
        double mRegionOverS = 0, mAnyOverS = 0;
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            double s = stress[j];
            if (c.memberWithin(m) && Candidates.better(s, j, stayS, stay)) { stay = j; stayS = s; }
            if (Candidates.better(s, j, stayOverS, stayOver)) { stayOver = j; stayOverS = s; }
            if (regions[j] == region && Candidates.better(s, j, mRegionOverS, mRegionOver)) { mRegionOver = j; mRegionOverS = s; }
            if (Candidates.better(s, j, mAnyOverS, mAnyOver)) { mAnyOver = j; mAnyOverS = s; }
        }
        if (stay >= 0) return Decision.of(ix.bridge(stay), STAY); // no outsider can beat staying
        int[] outsiders = c.outsiders();
        int[] skip = c.skip();
        for (int t = 0, sp = 0, next = skip[0], n = outsiders.length; t < n; t++) {
            int j = outsiders[t];
            if (j == next) {
                next = skip[++sp];
                continue;
            }
            double s = stress[j];
            boolean sameRegion = regions[j] == region;
            if (Candidates.within(flaws[j])) {
                if (sameRegion && Candidates.lower(s, inRegionS, inRegion)) { inRegion = j; inRegionS = s; }
                if (Candidates.lower(s, anyS, any)) { any = j; anyS = s; }
            }
            if (sameRegion && Candidates.lower(s, regionOverS, regionOver)) { regionOver = j; regionOverS = s; }
            if (Candidates.lower(s, anyOverS, anyOver)) { anyOver = j; anyOverS = s; }
        }
        if (mRegionOver >= 0 && Candidates.better(mRegionOverS, mRegionOver, regionOverS, regionOver)) regionOver = mRegionOver;
        if (mAnyOver >= 0 && Candidates.better(mAnyOverS, mAnyOver, anyOverS, anyOver)) anyOver = mAnyOver;
        if (inRegion >= 0) return Decision.of(ix.bridge(inRegion), NEW_IN_REGION);
        if (any >= 0) return Decision.of(ix.bridge(any), NEW_ANYWHERE);
        if (stayOver >= 0) return Decision.of(ix.bridge(stayOver), STAY_OVERLOADED);
        if (regionOver >= 0) return Decision.of(ix.bridge(regionOver), OVERLOADED_IN_REGION);
        if (anyOver >= 0) return Decision.of(ix.bridge(anyOver), OVERLOADED_ANYWHERE);
        return Decision.none(NO_CANDIDATES);
    }

    /** {@code least-stress}, also Jicofo's {@code SingleBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("SingleBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new LeastStressStrategy();
        }
    }
}
