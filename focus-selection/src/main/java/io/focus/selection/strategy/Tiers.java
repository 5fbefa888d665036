package io.focus.selection.strategy;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import java.util.List;

/**
 * Rules ("tiers") tried in order, each taking the least loaded candidate it admits; the first tier that admits a
 * candidate decides, with its reason. A strategy names its tiers' reasons in order and says, for one candidate,
 * which tier admits it first ({@link FirstTier}, an if-chain that reads as the tier list).
 *
 * <p>One pass: each candidate is asked once which tier admits it first, and the best so far is kept (the earlier
 * tier, then the lower corrected stress, then the earlier in snapshot order). That picks what trying the tiers one
 * after the other would: when T is the first tier that admits any candidate, no candidate is admitted by a tier
 * before T, so the candidates T admits are exactly those whose first tier is T.
 */
final class Tiers {
    /** Which tier admits a candidate first: that tier's reason, or null when no tier admits it. */
    @FunctionalInterface
    interface FirstTier {
        Reason of(BridgeState candidate);
    }

    private final Reason[] inOrder;

    /** @param inOrder the tiers' reasons, first tier first */
    Tiers(Reason... inOrder) {
        this.inOrder = inOrder.clone();
    }

    /** The least loaded candidate of the first tier that admits one; {@code none} when no tier admits any. */
    Decision first(List<BridgeState> candidates, Reason none, FirstTier firstTier) {
        BridgeState best = null;
        int bestTier = inOrder.length;
        for (BridgeState b : candidates) {
            Reason tier = firstTier.of(b);
            if (tier == null) {
                continue;
            }
            int t = indexOf(tier);
            if (t < bestTier || (t == bestTier && Picks.lessLoaded(b, best))) {
                best = b;
                bestTier = t;
            }
        }
        return best != null ? Decision.of(best, inOrder[bestTier]) : Decision.none(none);
    }

    private int indexOf(Reason tier) {
        for (int i = 0; i < inOrder.length; i++) {
            if (inOrder[i] == tier) {
                return i;
            }
        }
        throw new IllegalArgumentException("not one of the tiers: " + tier.rule());
    }
}
