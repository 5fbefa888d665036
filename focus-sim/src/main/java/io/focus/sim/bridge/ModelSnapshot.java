package io.focus.sim.bridge;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable copy of a simulated bridge's conferences, keyed by meeting-id, with what the focus told the bridge
 * about each endpoint and relay. Wherever a method takes a {@code conference}, it is a meeting-id or a conference
 * name (the room JID given at create).
 */
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

    /** The conference with meeting-id {@code conference}, else the one named {@code conference}. */
    public Optional<ConferenceState> find(String conference) {
        return conference(conference).or(() -> conferenceNamed(conference));
    }

    public int endpointCount() {
        return conferences.values().stream().mapToInt(c -> c.endpoints().size()).sum();
    }

    /** Local endpoint {@code endpointId} of {@code conference} (meeting-id or name). */
    public Optional<BridgeEndpoint> endpoint(String conference, String endpointId) {
        return find(conference).map(c -> c.endpointDetails().get(endpointId));
    }

    /** Every local endpoint: meeting-id → endpoint id → state. */
    public Map<String, Map<String, BridgeEndpoint>> endpointDetails() {
        Map<String, Map<String, BridgeEndpoint>> m = new LinkedHashMap<>();
        conferences.forEach((k, c) -> m.put(k, c.endpointDetails()));
        return Map.copyOf(m);
    }

    /** The relay {@code relayId} (the other bridge's relay-id) of {@code conference}. */
    public Optional<BridgeRelay> relay(String conference, String relayId) {
        return find(conference).map(c -> c.relayDetails().get(relayId));
    }

    /**
     * What local endpoint {@code endpointId} can receive in {@code conference}: sender endpoint id → SSRCs, from
     * every OTHER local endpoint that is {@link BridgeEndpoint#connected() connected} and from every remote endpoint
     * announced on a relay whose transport this bridge received. (Whether the relay is connected at the other end
     * too is for {@link #relayConnected} to say.)
     */
    public Map<String, Set<Long>> receivable(String conference, String endpointId) {
        Map<String, Set<Long>> out = new LinkedHashMap<>();
        find(conference).ifPresent(c -> {
            c.endpointDetails().values().stream().filter(e -> !e.id().equals(endpointId) && e.connected())
                    .forEach(e -> out.put(e.id(), e.ssrcs()));
            c.relayDetails().values().stream().filter(BridgeRelay::transportReceived)
                    .forEach(r -> r.endpoints().forEach((id, ssrcs) -> {
                        if (!id.equals(endpointId)) {
                            out.merge(id, ssrcs, ModelSnapshot::union);
                        }
                    }));
        });
        return Map.copyOf(out);
    }

    /**
     * The part of {@code expected} (sender endpoint id → SSRCs, e.g. each other participant's own sources) that
     * local endpoint {@code endpointId} cannot receive here (see {@link #receivable}); empty when it gets all of it.
     */
    public Map<String, Set<Long>> missingMedia(String conference, String endpointId, Map<String, Set<Long>> expected) {
        Map<String, Set<Long>> can = receivable(conference, endpointId);
        Map<String, Set<Long>> missing = new LinkedHashMap<>();
        expected.forEach((sender, ssrcs) -> {
            Set<Long> m = new LinkedHashSet<>(ssrcs);
            m.removeAll(can.getOrDefault(sender, Set.of()));
            if (!m.isEmpty()) {
                missing.put(sender, Set.copyOf(m));
            }
        });
        return Map.copyOf(missing);
    }

    /**
     * Whether local endpoint {@code endpointId} is connected and can receive every SSRC of {@code expected}
     * (sender endpoint id → SSRCs) here.
     */
    public boolean expectedMedia(String conference, String endpointId, Map<String, Set<Long>> expected) {
        return endpoint(conference, endpointId).map(BridgeEndpoint::connected).orElse(false)
                && missingMedia(conference, endpointId, expected).isEmpty();
    }

    /**
     * Whether the relay between bridge A and bridge B in {@code conference} is connected: A's relay towards B
     * (relay id {@code relayIdB}) received B's transport AND B's relay towards A (relay id {@code relayIdA})
     * received A's.
     */
    public static boolean relayConnected(ModelSnapshot a, String relayIdA, ModelSnapshot b, String relayIdB,
                                         String conference) {
        return a.relay(conference, relayIdB).map(BridgeRelay::transportReceived).orElse(false)
                && b.relay(conference, relayIdA).map(BridgeRelay::transportReceived).orElse(false);
    }

    private static Set<Long> union(Set<Long> x, Set<Long> y) {
        Set<Long> u = new LinkedHashSet<>(x);
        u.addAll(y);
        return Set.copyOf(u);
    }
}
