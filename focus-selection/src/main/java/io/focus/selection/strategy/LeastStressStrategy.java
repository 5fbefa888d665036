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
 * <p>"Least loaded" is the minimum corrected stress (ties to the earlier bridge in snapshot order): over
 * the conference's own bridges, and for the others the bests the selector precomputed per snapshot and relaxation
 * level, overall and per region ({@link Candidates#best}), so a decision costs about the number of the conference's
 * bridges, not of all bridges; no sort.
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
        int region = ix.regionCode(request.participant().region());
        // best-so-far positions (-1: none) and their stress
        int stay = -1, stayOver = -1;
        double stayS = 0, stayOverS = 0;
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            double s = stress[j];
            if (c.memberWithin(m) && Candidates.better(s, j, stayS, stay)) { stay = j; stayS = s; }
            if (Candidates.better(s, j, stayOverS, stayOver)) { stayOver = j; stayOverS = s; }
        }
        if (stay >= 0) return Decision.of(ix.bridge(stay), STAY); // no outsider can beat staying
        // the outsiders' bests are precomputed per snapshot and relaxation level (see Candidates#best)
        int inRegion = c.best(Candidates.WITHIN, region);
        if (inRegion >= 0) return Decision.of(ix.bridge(inRegion), NEW_IN_REGION);
        int any = c.best(Candidates.WITHIN);
        if (any >= 0) return Decision.of(ix.bridge(any), NEW_ANYWHERE);
        if (stayOver >= 0) return Decision.of(ix.bridge(stayOver), STAY_OVERLOADED);
        // from here on the conference has no candidate bridge of its own (else it would have stayed on one)
        int regionOver = c.best(Candidates.ANY, region);
        if (regionOver >= 0) return Decision.of(ix.bridge(regionOver), OVERLOADED_IN_REGION);
        int anyOver = c.best(Candidates.ANY);
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
