package io.focus.core.selection;

import io.focus.core.bridge.BridgeState;

/**
 * The per-conference view of "overloaded" a strategy needs: bridge-level overload plus the caps that apply to this
 * conference on that bridge. Implemented by the selector from its settings.
 */
public interface ConferenceLimits {
    /** The bridge is overloaded on its own (corrected stress at or above the threshold). */
    boolean bridgeOverloaded(BridgeState bridge);

    /** The bridge cannot take another participant of this conference (overload, per-conference caps, join rate, absolute caps). */
    boolean overloadedFor(BridgeState bridge, SelectionRequest request);

    /** The conference may use more than one bridge (Octo on, and relay ids reported by the bridges involved). */
    boolean multiBridgeAllowed(BridgeState candidate, SelectionRequest request);

    /**
     * The conference has reached its per-conference participant cap ({@code max-bridge-participants}) on this
     * bridge; the join rate, the bridge's own stress and the absolute caps are not looked at. False for a bridge the
     * conference does not use. Abstract on purpose: a default "false" would let a wrapper that forgets to delegate
     * it put any number of a conference's participants on one bridge.
     */
    boolean maxed(BridgeState bridge, SelectionRequest request);
}
