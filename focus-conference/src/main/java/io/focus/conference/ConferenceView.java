package io.focus.conference;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One conference as an immutable value, republished by the conference after every change (readable from any
 * thread: REST, /stats, /debug, tests).
 *
 * @param bridges the bridges the conference uses, in the order it started using them
 * @param participants in join order
 */
public record ConferenceView(String roomJid, String meetingId, Instant createdAt, boolean roomJoined, boolean ended,
                             List<ParticipantView> participants, List<BridgeUse> bridges,
                             boolean bridgeNotAvailable) {

    /**
     * One bridge of the conference.
     *
     * @param participants endpoint ids placed or being placed there
     * @param relays relay ids of the other bridges this bridge has a relay to
     * @param relayEndpoints per relay id, the endpoint ids announced on that relay
     * @param failedRelays relay ids of the other bridges whose relay with this bridge could not be established (its
     *     retries are used up; participants stay where they are, no media between the two bridges)
     */
    public record BridgeUse(String bridgeId, String nick, String relayId, String sessionId, boolean created,
                            List<String> participants, List<String> relays,
                            Map<String, List<String>> relayEndpoints, List<String> failedRelays) {
    }

    public ParticipantView participant(String id) {
        for (ParticipantView p : participants) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    public BridgeUse bridge(String bridgeId) {
        for (BridgeUse b : bridges) {
            if (b.bridgeId().equals(bridgeId)) {
                return b;
            }
        }
        return null;
    }

    /** Endpoint id → bridge id, for placed participants. */
    public Map<String, String> placement() {
        return participants.stream().filter(ParticipantView::placed)
                .collect(Collectors.toMap(ParticipantView::id, ParticipantView::bridgeId));
    }

    public long count(ParticipantView.State state) {
        return participants.stream().filter(p -> p.state() == state).count();
    }

    public boolean anyMoving() {
        return participants.stream().anyMatch(ParticipantView::moving);
    }
}
