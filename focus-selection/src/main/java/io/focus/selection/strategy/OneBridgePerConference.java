package io.focus.selection.strategy;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import java.util.List;

/**
 * The shape shared by the strategies that keep a conference on one bridge while they may: stay on the conference's
 * least loaded bridge that is within the limits; else pick a new bridge among those within the limits (how is up
 * to the subclass); else stay on the conference's least loaded bridge anyway; else pick among all candidates.
 * One pass over the candidates finds the conference's bridges and counts the others within the limits; they are
 * listed only when they are not all the candidates.
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
     * Picks one bridge of the pool: the candidates the conference does not use and, while there are any, that are
     * within the limits for it.
     *
     * @param pool not empty, in snapshot order
     */
    abstract BridgeState choose(List<BridgeState> pool);

    @Override
    public final Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Picks is = new Picks(request, limits);
        BridgeState stayOn = null; // the conference's least loaded bridge within the limits
        BridgeState stayAnyway = null; // the conference's least loaded bridge
        int fresh = 0; // the others within the limits
        for (BridgeState b : candidates) {
            boolean ok = is.withinLimits(b);
            if (!is.inConference(b)) {
                fresh += ok ? 1 : 0;
                continue;
            }
            if (ok && (stayOn == null || Picks.lessLoaded(b, stayOn))) {
                stayOn = b;
            }
            if (stayAnyway == null || Picks.lessLoaded(b, stayAnyway)) {
                stayAnyway = b;
            }
        }
        if (stayOn != null) {
            return Decision.of(stayOn, stay);
        }
        if (fresh > 0) {
            // for a new conference they are usually all the candidates: no need to list them again
            List<BridgeState> pool = fresh == candidates.size() ? candidates
                    : candidates.stream().filter(b -> !is.inConference(b) && is.withinLimits(b)).toList();
            return Decision.of(choose(pool), pick);
        }
        if (stayAnyway != null) {
            return Decision.of(stayAnyway, stayOverloaded);
        }
        List<BridgeState> outsiders = candidates.stream().filter(b -> !is.inConference(b)).toList();
        if (!outsiders.isEmpty()) {
            return Decision.of(choose(outsiders), pickOverloaded);
        }
        return Decision.none(none);
    }
}
