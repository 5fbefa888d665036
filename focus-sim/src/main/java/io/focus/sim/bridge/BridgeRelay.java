package io.focus.sim.bridge;

import java.util.Map;
import java.util.Set;

/**
 * One relay (Octo) of a simulated bridge towards another bridge, as the focus set it up. Immutable.
 *
 * @param id                the relay id (the other bridge's relay-id)
 * @param meshId            the {@code mesh-id} given at create, may be null
 * @param transportReceived true once the focus forwarded the other bridge's relay transport here (ICE ufrag, pwd and
 *                          a DTLS fingerprint). A relay carries media only when this holds on BOTH bridges: see
 *                          {@link SimBridge#relayConnected(SimBridge, SimBridge, String)}
 * @param ufrag             the other side's ICE ufrag, null before
 * @param fingerprint       the other side's fingerprint, null before
 * @param setup             the fingerprint's DTLS setup, null before
 * @param endpoints         the remote endpoints announced on this relay → their SSRCs (empty set: announced
 *                          without sources yet)
 */
public record BridgeRelay(String id, String meshId, boolean transportReceived, String ufrag, String fingerprint,
                          String setup, Map<String, Set<Long>> endpoints) {
    public BridgeRelay {
        endpoints = Map.copyOf(endpoints);
    }
}
