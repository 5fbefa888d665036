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
        BridgeState stayOn = Picks.leastLoaded(candidates, b -> is.inConference(b) && is.withinLimits(b));
        if (stayOn != null) {
            return Decision.of(stayOn, stay);
        }
        List<BridgeState> fresh = candidates.stream().filter(b -> !is.inConference(b) && is.withinLimits(b)).toList();
        if (!fresh.isEmpty()) {
            return Decision.of(choose(fresh), pick);
        }
        BridgeState stayAnyway = Picks.leastLoaded(candidates, is::inConference);
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
