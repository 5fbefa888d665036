package io.focus.core.selection;

import io.focus.core.bridge.BridgeSnapshot;
import java.util.Map;

/**
 * Everything one selection needs. All parts are immutable.
 *
 * @param snapshot every bridge the focus knows (selection filters it; strategies see only what survives)
 * @param conferenceBridges the bridges the conference already uses, keyed by bridge id, in the order the conference
 *     started using them
 * @param participant the participant being placed
 * @param pinnedVersion the version the conference is pinned to (REST {@code /pin}), or null
 * @param exclusions bridges never to pick for this placement
 * @param conferenceId the conference's room JID (for logs and reasons; may be null in tests)
 */
public record SelectionRequest(
        BridgeSnapshot snapshot,
        Map<String, ConferenceBridgeProperties> conferenceBridges,
        ParticipantProperties participant,
        String pinnedVersion,
        ExclusionSet exclusions,
        String conferenceId) {

    public SelectionRequest {
        conferenceBridges = conferenceBridges == null ? Map.of() : conferenceBridges;
        participant = participant == null ? ParticipantProperties.NONE : participant;
        exclusions = exclusions == null ? ExclusionSet.none() : exclusions;
    }

    public static SelectionRequest of(BridgeSnapshot snapshot, Map<String, ConferenceBridgeProperties> conferenceBridges,
                                      ParticipantProperties participant) {
        return new SelectionRequest(snapshot, conferenceBridges, participant, null, ExclusionSet.none(), null);
    }

    public SelectionRequest withExclusions(ExclusionSet e) {
        return new SelectionRequest(snapshot, conferenceBridges, participant, pinnedVersion, e, conferenceId);
    }
}
