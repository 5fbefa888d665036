package io.focus.core.bridge;

/** Receives bridge events; called on the registry's event thread, must not block. */
@FunctionalInterface
public interface BridgeEventListener {
    void onBridgeEvent(BridgeEvent event);
}
