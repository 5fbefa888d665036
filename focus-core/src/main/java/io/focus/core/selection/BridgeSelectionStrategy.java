package io.focus.core.selection;

import io.focus.core.bridge.BridgeState;
import java.util.List;

/**
 * Picks a bridge among candidates that already passed the common filters (operational, not shutting down, version,
 * exclusions, drain preferences; see {@code focus-selection}'s selector).
 *
 * <p>Implementations are stateless or keep only their own small state (e.g. a round-robin cursor); they must be
 * safe to call from any thread and must not sort all candidates per call.
 */
public interface BridgeSelectionStrategy {
    /** Name shown in logs, metrics labels and the debug API. */
    String name();

    /**
     * @param candidates bridges that passed the filters, in snapshot order (not sorted)
     * @param request the whole request (conference bridges, participant, config-independent inputs)
     * @param limits per-conference limits the strategy must respect when it decides to stay or spread
     * @return the pick with the rule that made it; {@link Decision#none} when this strategy finds nothing
     */
    Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits);
}
