package io.focus.sim.bridge;

import java.util.List;
import java.util.Set;

/**
 * What a simulated bridge knows of one local endpoint, as the focus told it: the participant's ICE credentials and
 * DTLS fingerprint (from an endpoint update carrying the participant's {@code session-accept} transport) and its
 * sources. Immutable; read it through {@link SimBridge#endpoint(String, String)} or {@link ModelSnapshot}.
 *
 * @param id          the endpoint id (the participant's MUC nick)
 * @param ufrag       the participant's ICE ufrag, null until the focus sent it
 * @param pwd         the participant's ICE pwd, null until the focus sent it
 * @param fingerprint the participant's DTLS fingerprint, null until the focus sent it
 * @param hash        the fingerprint's hash function (e.g. {@code sha-256}), null until sent
 * @param setup       the fingerprint's DTLS {@code setup} (a real client answers {@code active}), null until sent
 * @param candidates  how many ICE candidates the focus passed on (real clients send none: the bridge learns the
 *                    address from connectivity checks)
 * @param ssrcs       every SSRC of the endpoint's {@code media-source}s, as last signalled
 * @param sourceNames the {@code media-source} ids (source names, e.g. {@code 08405edf-a0}), in order
 * @param groups      the SSRC groups of the endpoint's sources
 * @param connected   true once the bridge has the remote ufrag, pwd and a fingerprint: what a real JVB needs to
 *                    finish ICE and DTLS with the participant (candidates are not needed)
 * @param hasSources  true when the endpoint has at least one SSRC (a real client that sends media signals them)
 */
public record BridgeEndpoint(String id, String ufrag, String pwd, String fingerprint, String hash, String setup,
                             int candidates, Set<Long> ssrcs, List<String> sourceNames, List<BridgeSsrcGroup> groups,
                             boolean connected, boolean hasSources) {
    public BridgeEndpoint {
        ssrcs = Set.copyOf(ssrcs);
        sourceNames = List.copyOf(sourceNames);
        groups = List.copyOf(groups);
    }
}
