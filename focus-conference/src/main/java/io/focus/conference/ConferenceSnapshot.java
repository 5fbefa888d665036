package io.focus.conference;

import java.util.ArrayList;
import java.util.List;

/** All conferences' latest views (for /stats, /debug and tests). Each view is consistent on its own. */
public record ConferenceSnapshot(List<ConferenceView> conferences) {
    public ConferenceSnapshot {
        conferences = List.copyOf(conferences);
    }

    public ConferenceView get(String roomJid) {
        for (ConferenceView c : conferences) {
            if (c.roomJid().equalsIgnoreCase(roomJid)) {
                return c;
            }
        }
        return null;
    }

    public int participantCount() {
        return conferences.stream().mapToInt(c -> c.participants().size()).sum();
    }

    public int largestConference() {
        return conferences.stream().mapToInt(c -> c.participants().size()).max().orElse(0);
    }

    /** Participants placed on (or being placed on) the bridge, across all conferences. */
    public List<ParticipantView> participantsOn(String bridgeId) {
        List<ParticipantView> out = new ArrayList<>();
        for (ConferenceView c : conferences) {
            for (ParticipantView p : c.participants()) {
                if (bridgeId.equals(p.bridgeId())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public long waitingForBridge() {
        return conferences.stream().mapToLong(c -> c.count(ParticipantView.State.NO_BRIDGE)).sum();
    }
}
