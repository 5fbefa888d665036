package io.focus.selection.strategy;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.selection.Candidates;
import io.focus.selection.SnapshotIndex;
import java.util.List;

/**
 * The shape shared by the strategies that keep a conference on one bridge while they may: stay on the conference's
 * least loaded bridge that is within the limits; else pick a new bridge among those within the limits (how is up
 * to the subclass); else stay on the conference's least loaded bridge anyway; else pick among all candidates.
 */
abstract class OneBridgePerConference implements BridgeSelectionStrategy {
    private final Reason stay;
    private final Reason pick;
    private final Reason stayOverloaded;
    private final Reason pickOverloaded;
    private final Reason none;

    OneBridgePerConference(String name, String how) {
        stay = Reason.of(name + ": stay on the conference's bridge");
        pick = Reason.of(name + ": " + how);
        stayOverloaded = Reason.of(name + ": every bridge over its limits, stay on the conference's bridge");
        pickOverloaded = Reason.of(name + ": every bridge over its limits, " + how);
        none = Reason.of(name + ": no candidates");
    }

    /**
     * Picks one bridge of the pool: the candidates not in the conference (the outsiders of {@code c}) and, when
     * {@code withinLimits}, not over the limits for it. {@code poolSize} (at least 1) is how many there are.
     *
     * @return the pick's position in {@code c.index()}
     */
    abstract int choose(Candidates c, boolean withinLimits, int poolSize);

    @Override
    public final Decision select(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
        Candidates c = Candidates.of(list, request, limits);
        SnapshotIndex ix = c.index();
        double[] stress = ix.stress();
        int stayOn = -1, stayAnyway = -1;
        double stayOnS = 0, stayAnywayS = 0;
        for (int m = 0, n = c.members(); m < n; m++) {
            int j = c.memberPosition(m);
            double s = stress[j];
            if (c.memberWithin(m) && Candidates.better(s, j, stayOnS, stayOn)) { stayOn = j; stayOnS = s; }
            if (Candidates.better(s, j, stayAnywayS, stayAnyway)) { stayAnyway = j; stayAnywayS = s; }
        }
        if (stayOn >= 0) return Decision.of(ix.bridge(stayOn), stay);
        int outside = c.size() - c.members();
        int ok = outside == 0 ? 0 : c.outsidersWithin();
        if (ok > 0) return Decision.of(ix.bridge(choose(c, true, ok)), pick);
        if (stayAnyway >= 0) return Decision.of(ix.bridge(stayAnyway), stayOverloaded);
        if (outside > 0) return Decision.of(ix.bridge(choose(c, false, outside)), pickOverloaded);
        return Decision.none(none);
    }
}
