package io.focus.conference;

import java.util.concurrent.CompletableFuture;

/**
 * The MUC room of one conference, as the focus uses it. The XMPP implementation is {@code MucConferenceRoom}.
 * Methods never block the caller; blocking work runs elsewhere.
 */
public interface ConferenceRoom {
    /**
     * Joins the room as the focus (creating it if needed, with the focus's room configuration) and completes with what
     * it found. Also joins again after {@link #connectionLost}: every occupant present is reported to the listener
     * again (as joined) before the future completes.
     */
    CompletableFuture<RoomJoin> join();

    void leave();

    /**
     * The focus's connection to the server is gone: the focus is out of the room. The room forgets its membership
     * without sending anything (called on the connection's thread before any reconnect); {@link #join} joins again.
     */
    void connectionLost();

    /** Gives the occupant owner rights (Jicofo's auto-owner). */
    void grantOwnership(Occupant occupant);

    /** Updates the focus's presence: {@code bridge-count} and {@code bridgeNotAvailable}. */
    void updatePresence(int bridgeCount, boolean bridgeNotAvailable);
}
