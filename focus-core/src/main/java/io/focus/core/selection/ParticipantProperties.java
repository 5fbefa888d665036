package io.focus.core.selection;

/**
 * What selection knows about the participant being placed.
 *
 * @param region the region from the participant's presence ({@code jitsi_participant_region}), or null
 * @param visitor true for a visitor (receive-only) participant
 */
public record ParticipantProperties(String region, boolean visitor) {
    public static final ParticipantProperties NONE = new ParticipantProperties(null, false);

    public static ParticipantProperties inRegion(String region) {
        return new ParticipantProperties(region, false);
    }
}
