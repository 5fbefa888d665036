package io.focus.sim.bridge;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** An immutable copy of a simulated bridge's conferences, keyed by meeting-id. */
public record ModelSnapshot(Map<String, ConferenceState> conferences) {
    public static final ModelSnapshot EMPTY = new ModelSnapshot(Map.of());

    public ModelSnapshot {
        conferences = Map.copyOf(conferences);
    }

    /** Every local endpoint id on this bridge. */
    public Set<String> endpoints() {
        return conferences.values().stream().flatMap(c -> c.endpoints().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** The meeting-id of the conference holding local endpoint {@code endpointId}. */
    public Optional<String> conferenceOf(String endpointId) {
        return conferences.values().stream().filter(c -> c.endpoints().contains(endpointId))
                .map(ConferenceState::meetingId).findFirst();
    }

    public Optional<ConferenceState> conference(String meetingId) {
        return Optional.ofNullable(conferences.get(meetingId));
    }

    /** Conferences whose name (room JID) is {@code name}. */
    public Optional<ConferenceState> conferenceNamed(String name) {
        return conferences.values().stream().filter(c -> name.equals(c.name())).findFirst();
    }

    public int endpointCount() {
        return conferences.values().stream().mapToInt(c -> c.endpoints().size()).sum();
    }
}
