package io.focus.conference;

import java.util.List;
import java.util.Objects;

/**
 * What a focus process keeps on disk about one conference ({@link ConferenceStateStore}) so that the next process
 * can take the room back and re-use or expire its bridge conferences.
 *
 * @param room the room JID
 * @param meetingId the meeting id: the bridge conferences' id
 * @param bridges the bridges the conference had a conference on
 */
public record SavedConference(String room, String meetingId, List<Bridge> bridges) {
    public SavedConference {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(meetingId, "meetingId");
        bridges = bridges == null ? List.of() : List.copyOf(bridges);
    }

    /**
     * One bridge conference.
     *
     * @param id the bridge's id (its brewery occupant JID, where Colibri2 requests go)
     * @param nick its nick, for the logs
     * @param relayId its relay id (the other bridges' relays towards it have this id), or null
     * @param endpoints the endpoint ids the conference had there
     */
    public record Bridge(String id, String nick, String relayId, List<String> endpoints) {
        public Bridge {
            Objects.requireNonNull(id, "id");
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** The state worth keeping from a conference's view. */
    static SavedConference of(ConferenceView v) {
        return new SavedConference(v.roomJid(), v.meetingId(), v.bridges().stream()
                .map(b -> new Bridge(b.bridgeId(), b.nick(), b.relayId(), b.participants())).toList());
    }
}
