package io.focus.conference;

import java.util.concurrent.CompletableFuture;

/**
 * The MUC room of one conference, as the focus uses it. The XMPP implementation is {@code MucConferenceRoom}.
 * Methods never block the caller; blocking work runs elsewhere.
 */
public interface ConferenceRoom {
    /** Joins the room as the focus (creating it if needed); completes when joined. */
    CompletableFuture<Void> join();

    void leave();

    /** Gives the occupant owner rights (Jicofo's auto-owner). */
    void grantOwnership(Occupant occupant);

    /** Updates the focus's presence: {@code bridge-count} and {@code bridgeNotAvailable}. */
    void updatePresence(int bridgeCount, boolean bridgeNotAvailable);
}
