package io.focus.core.selection;

import io.focus.core.bridge.BridgeState;
import java.util.Optional;

/** The outcome of one selection: a bridge, or none, and why. */
public record Decision(BridgeState bridge, Reason reason) {
    public static Decision none(Reason reason) { return new Decision(null, reason); }
    public static Decision of(BridgeState bridge, Reason reason) { return new Decision(bridge, reason); }

    public boolean found() { return bridge != null; }
    public Optional<BridgeState> maybeBridge() { return Optional.ofNullable(bridge); }
}
