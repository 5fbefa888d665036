package io.focus.conference;

/** What a room reports. Called on any thread: the conference posts each call to its control thread. */
public interface RoomListener {
    void occupantJoined(Occupant occupant);

    void occupantChanged(Occupant occupant);

    void occupantLeft(String nick);
}
