package io.focus.sim.bridge;

import java.util.Map;
import java.util.Set;

/**
 * One conference on a simulated bridge, as seen by tests.
 *
 * @param meetingId the colibri2 meeting-id
 * @param name      the conference name (room JID) given at create, may be null
 * @param endpoints local endpoint ids
 * @param relays    relay id → ids of the remote endpoints announced over that relay
 */
public record ConferenceState(String meetingId, String name, Set<String> endpoints, Map<String, Set<String>> relays) {
    public ConferenceState {
        endpoints = Set.copyOf(endpoints);
        relays = Map.copyOf(relays);
    }
}
