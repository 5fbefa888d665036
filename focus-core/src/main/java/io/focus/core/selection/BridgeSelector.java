package io.focus.core.selection;

/**
 * Filters then chooses: the common filters and relaxations (docs/design.md, "Selection: what may be relaxed") in front of the
 * operator's strategy. The conference allocator calls this; {@code focus-selection} implements it.
 */
public interface BridgeSelector {
    Decision select(SelectionRequest request);

    /** The configured strategy's name. */
    String strategyName();
}
