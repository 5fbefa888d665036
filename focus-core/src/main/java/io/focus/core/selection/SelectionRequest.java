package io.focus.core.selection;

import io.focus.core.bridge.BridgeSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one selection needs. All parts are immutable.
 *
 * @param snapshot every bridge the focus knows (selection filters it; strategies see only what survives)
 * @param conferenceBridges the bridges the conference already uses, keyed by bridge id, in the order the conference
 *     started using them (copied: a plug-in sees an unmodifiable map the caller can no longer change; null: none)
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
        conferenceBridges = immutableInOrder(conferenceBridges);
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

    /**
     * An unmodifiable copy that keeps the caller's order ({@code Map.copyOf} would not); once per request, a few
     * entries. No null key or value: a strategy must not have to guard against them.
     */
    private static Map<String, ConferenceBridgeProperties> immutableInOrder(
            Map<String, ConferenceBridgeProperties> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<String, ConferenceBridgeProperties> copy = new LinkedHashMap<>(m.size() * 2);
        m.forEach((id, p) -> copy.put(Objects.requireNonNull(id, "conferenceBridges key"),
                Objects.requireNonNull(p, () -> "conferenceBridges value of " + id)));
        return Collections.unmodifiableMap(copy);
    }
}
