package io.focus.bench.call;

import io.focus.sim.bridge.BridgeEndpoint;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.IceTransport;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bridge half of "view complete" read from the simulated bridge's own endpoint state
 * ({@link SimBridge#endpoints()}): the endpoint exists in one of the bridge's conferences, is connected (it has the
 * participant's ufrag, pwd and fingerprint, what a real JVB needs for ICE and DTLS), those are the ones the
 * participant sent, and it holds exactly the participant's SSRCs.
 */
public final class ModelBridgeView implements BridgeSideView {
    @Override
    public boolean endpointComplete(SimBridge bridge, String endpointId, IceTransport transport, Set<Long> ssrcs) {
        for (Map<String, BridgeEndpoint> conference : bridge.endpoints().values()) {
            BridgeEndpoint e = conference.get(endpointId);
            if (e != null && matches(e, transport, ssrcs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether bridge endpoint {@code e} is connected with exactly the participant's {@code transport} (ufrag, pwd,
     * fingerprint as it sent them) and exactly its {@code ssrcs}.
     */
    public static boolean matches(BridgeEndpoint e, IceTransport transport, Set<Long> ssrcs) {
        return e.connected() && Objects.equals(e.ufrag(), transport.ufrag())
                && Objects.equals(e.pwd(), transport.pwd())
                && Objects.equals(normalise(e.fingerprint()), normalise(transport.fingerprint()))
                && e.ssrcs().equals(ssrcs);
    }

    private static String normalise(String fingerprint) {
        return fingerprint == null ? null : fingerprint.strip().toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public void forget(SimBridge bridge) {
        // nothing cached: every look-up reads the bridge's current snapshot
    }
}
