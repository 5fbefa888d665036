package io.focus.conference;

/** Makes the room for a new conference; the listener receives its occupants. */
@FunctionalInterface
public interface ConferenceRoomFactory {
    ConferenceRoom create(String roomJid, RoomListener listener);
}
