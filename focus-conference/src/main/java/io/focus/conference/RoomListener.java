package io.focus.conference;

/** What a room reports. Called on any thread: the conference posts each call to its control thread. */
public interface RoomListener {
    void occupantJoined(Occupant occupant);

    void occupantChanged(Occupant occupant);

    void occupantLeft(String nick);

    /**
     * The server took the occupant out of the room while shutting down (MUC status 332, or Prosody's "Received
     * SIGTERM"): not the participant's own leave; its client will come back once the server does.
     */
    void occupantDropped(String nick, String why);

    /** The focus is out of the room for good: the room was destroyed, or the focus was kicked, banned or removed. */
    void focusRemoved(RoomExit exit);

    /** The focus lost a privilege in the room ({@code ownership}, {@code admin}, {@code moderator}). */
    void focusDemoted(String privilege);
}
