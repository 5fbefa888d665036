package io.focus.selection.strategy;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rules tried in order, each taking the least loaded candidate it admits; the first rule that admits a candidate
 * decides, with its reason. One pass over the candidates per rule tried.
 */
final class Tiers {
    private Tiers() {}

    /** A rule: which candidates it admits, and the reason a pick by it gives. */
    record Tier(Reason reason, Predicate<BridgeState> admits) {}

    static Tier tier(Reason reason, Predicate<BridgeState> admits) {
        return new Tier(reason, admits);
    }

    /** The least loaded candidate of the first tier that admits one; {@code none} when no tier does. */
    static Decision first(List<BridgeState> candidates, Reason none, Tier... tiers) {
        for (Tier t : tiers) {
            BridgeState b = Picks.leastLoaded(candidates, t.admits());
            if (b != null) {
                return Decision.of(b, t.reason());
            }
        }
        return Decision.none(none);
    }
}
