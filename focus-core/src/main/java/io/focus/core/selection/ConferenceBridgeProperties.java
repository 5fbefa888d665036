package io.focus.core.selection;

/**
 * How a conference uses one of its bridges.
 *
 * @param participantCount the conference's participants on that bridge
 * @param recentlyAddedParticipants participants of this conference added to that bridge inside the per-interval
 *     window ({@code max-bridge-participants-interval})
 * @param visitor true when the conference uses the bridge for visitors
 */
public record ConferenceBridgeProperties(int participantCount, int recentlyAddedParticipants, boolean visitor) {
    public static ConferenceBridgeProperties of(int participantCount) {
        return new ConferenceBridgeProperties(participantCount, 0, false);
    }
}
