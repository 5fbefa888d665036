package io.focus.sim.bridge;

import java.util.Map;
import java.util.Set;

/**
 * One conference on a simulated bridge, as seen by tests.
 *
 * @param meetingId       the colibri2 meeting-id
 * @param name            the conference name (room JID) given at create, may be null
 * @param endpoints       local endpoint ids
 * @param relays          relay id → ids of the remote endpoints announced over that relay
 * @param endpointDetails local endpoint id → what the focus told the bridge about it (transport, sources)
 * @param relayDetails    relay id → the relay's state (transport received, remote endpoints and their SSRCs)
 */
public record ConferenceState(String meetingId, String name, Set<String> endpoints, Map<String, Set<String>> relays,
                              Map<String, BridgeEndpoint> endpointDetails, Map<String, BridgeRelay> relayDetails) {
    public ConferenceState {
        endpoints = Set.copyOf(endpoints);
        relays = Map.copyOf(relays);
        endpointDetails = Map.copyOf(endpointDetails);
        relayDetails = Map.copyOf(relayDetails);
    }

    /** A conference without endpoint and relay details (ids only). */
    public ConferenceState(String meetingId, String name, Set<String> endpoints, Map<String, Set<String>> relays) {
        this(meetingId, name, endpoints, relays, Map.of(), Map.of());
    }
}
