package io.focus.bench.call;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.IceTransport;
import java.util.Set;

/**
 * The bridge half of "view complete": whether {@code bridge} holds {@code endpointId} as a local endpoint and has
 * received that participant's transport (ufrag, pwd, fingerprint) and exactly its sources.
 *
 * <p>{@link ModelBridgeView} reads it from the simulated bridge's own endpoint state.
 */
public interface BridgeSideView {
    /**
     * @param transport the participant's own transport as it sent it in its session-accept
     * @param ssrcs     the participant's own SSRCs
     */
    boolean endpointComplete(SimBridge bridge, String endpointId, IceTransport transport, Set<Long> ssrcs);

    /** Forgets what it cached about a bridge that is gone. */
    void forget(SimBridge bridge);
}
