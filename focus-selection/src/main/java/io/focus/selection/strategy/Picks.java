package io.focus.selection.strategy;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.SelectionRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the built-in strategies ask about a candidate for one request. None of it sorts; each pick is one pass over
 * the candidates, which come in snapshot order, so "ties go to the earlier bridge" means "to the earlier in the
 * snapshot".
 */
final class Picks {
    private final SelectionRequest request;
    private final ConferenceLimits limits;

    Picks(SelectionRequest request, ConferenceLimits limits) {
        this.request = request;
        this.limits = limits;
    }

    /** The conference already uses the bridge. */
    boolean inConference(BridgeState b) {
        return request.conferenceBridges().containsKey(b.id());
    }

    /** The bridge can take another participant of this conference ({@link ConferenceLimits#overloadedFor}). */
    boolean withinLimits(BridgeState b) {
        return !limits.overloadedFor(b, request);
    }

    /** The bridge is not overloaded on its own (its stress only; caps are not looked at). */
    boolean notOverloaded(BridgeState b) {
        return !limits.bridgeOverloaded(b);
    }

    /** The conference is below {@code max-bridge-participants} on the bridge (a bridge it uses; the join rate ignored). */
    boolean belowMaxParticipants(BridgeState b) {
        return !limits.maxed(b, request);
    }

    /** Lowest corrected stress first. */
    static final Comparator<BridgeState> BY_STRESS = Comparator.comparingDouble(BridgeState::correctedStress);

    /** {@code a} has a lower corrected stress than {@code b} (the order of {@link #BY_STRESS}). */
    static boolean lessLoaded(BridgeState a, BridgeState b) {
        return Double.compare(a.correctedStress(), b.correctedStress()) < 0;
    }

    /** The least loaded (lowest corrected stress) candidate that {@code test} admits, or null; ties to the earlier. */
    static BridgeState leastLoaded(List<BridgeState> candidates, Predicate<BridgeState> test) {
        BridgeState best = null;
        for (BridgeState b : candidates) {
            if (test.test(b) && (best == null || lessLoaded(b, best))) {
                best = b;
            }
        }
        return best;
    }

    /** The first in {@code order} of the candidates that {@code test} admits, or null; ties to the earlier. */
    static BridgeState least(List<BridgeState> candidates, Predicate<BridgeState> test, Comparator<BridgeState> order) {
        BridgeState best = null;
        for (BridgeState b : candidates) {
            if (test.test(b) && (best == null || order.compare(b, best) < 0)) {
                best = b;
            }
        }
        return best;
    }

    /** The bridge reports this region; never true for a null region. */
    static boolean inRegion(String region, BridgeState b) {
        return region != null && region.equals(b.region());
    }

    /** Both have the same region, or both have none. */
    static boolean sameRegion(BridgeState a, BridgeState b) {
        return Objects.equals(a.region(), b.region());
    }

    /**
     * The first bridge (in the conference's order) that the conference keeps using: known to the snapshot, not
     * excluded from this placement, not shutting down. Null when there is none, i.e. the placement starts the
     * conference afresh (a new conference, or every participant is being moved off its bridges).
     */
    static BridgeState anchor(SelectionRequest r) {
        for (String id : r.conferenceBridges().keySet()) {
            BridgeState b = r.snapshot().get(id);
            if (b != null && !b.shuttingDown() && !r.exclusions().excludes(id)) {
                return b;
            }
        }
        return null;
    }
}
