package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.Bridges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placeholder until focus-core's bridge registry is bound in {@link WiringModule}: knows no bridges and says so
 * loudly at start. Not a simulation: nothing is discovered while this is bound.
 */
@Singleton
public final class UnwiredBridges implements Bridges {
    private static final Logger log = LoggerFactory.getLogger(UnwiredBridges.class);

    @Inject
    public UnwiredBridges() {
        log.warn("No bridge registry wired (WiringModule binds UnwiredBridges): no bridges will be discovered");
    }

    @Override public BridgeSnapshot snapshot() { return BridgeSnapshot.empty(); }
    @Override public void addListener(BridgeEventListener listener) { }
    @Override public void removeListener(BridgeEventListener listener) { }
    @Override public boolean setDrainedByFocus(String idOrNick, boolean drained) { return false; }
}
