package io.focus.app.spi;

import java.util.List;
import java.util.Map;

/** Conference figures for {@code /stats} and the admin API, implemented by the conference code. */
public interface ConferenceStats {
    /**
     * Counts with Jicofo's meaning. A participant counts from the moment it is in the room, placed or not.
     *
     * @param conferences conferences now
     * @param participants participants now
     * @param largestConference participants in the largest conference now
     * @param conferenceSizes the size (participants) of each conference now, in no particular order
     * @param endpointPairs the sum over conferences of size², Jicofo's {@code endpoint_pairs}
     * @param totalConferencesCreated since start
     * @param totalParticipants participants that ever joined, since start
     * @param participantsMoved participants re-invited because their bridge failed/left/shut down (Jicofo's
     *     {@code bridge_failures.participants_moved})
     * @param bridgesRemoved bridges removed from conferences because of a failure ({@code bridge_failures.bridges_removed})
     */
    record Counts(int conferences, int participants, int largestConference, List<Integer> conferenceSizes,
                  long endpointPairs, long totalConferencesCreated, long totalParticipants, long participantsMoved,
                  long bridgesRemoved) {
        public static final Counts ZERO = new Counts(0, 0, 0, List.of(), 0, 0, 0, 0, 0);

        public Counts {
            conferenceSizes = conferenceSizes == null ? List.of() : List.copyOf(conferenceSizes);
        }

        /** Counts from the sizes of the conferences now and the totals since start. */
        public static Counts of(List<Integer> sizes, long totalConferencesCreated, long totalParticipants,
                                long participantsMoved, long bridgesRemoved) {
            int participants = 0;
            int largest = 0;
            long pairs = 0;
            for (int n : sizes) {
                participants += n;
                largest = Math.max(largest, n);
                pairs += (long) n * n;
            }
            return new Counts(sizes.size(), participants, largest, sizes, pairs, totalConferencesCreated,
                    totalParticipants, participantsMoved, bridgesRemoved);
        }
    }

    /**
     * One conference for the admin API.
     *
     * @param room the room JID
     * @param meetingId the meeting id sent to the bridges
     * @param participantBridges participant (endpoint id) → bridge nick, or null while it waits for a bridge
     */
    record ConferenceInfo(String room, String meetingId, Map<String, String> participantBridges) {}

    Counts counts();

    List<ConferenceInfo> conferences();
}
