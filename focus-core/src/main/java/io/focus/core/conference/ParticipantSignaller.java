package io.focus.core.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The signalling layer (Jingle: {@code io.focus.core.signalling.JingleSignaller}) plugs in here. Every method is
 * called on the conference control thread and must not block.
 *
 * <p>A placement or move is complete when the stage returned by {@link #onPlaced} completes: until then the
 * conference shows the participant as moving. The default signaller completes at once, so without signalling a move
 * completes as soon as the bridge allocation succeeded.
 */
public interface ParticipantSignaller {
    ParticipantSignaller NONE = new ParticipantSignaller() { };

    /**
     * Called once by {@link ConferenceManager} when it is built: how the signaller acts on conferences (update a
     * participant's media on its bridge, re-place it, release it) and reaches the control thread.
     */
    default void attach(ConferenceControl control) { }

    /** The participant got a place (first time, or after a move). */
    default CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant,
                                           Allocation allocation) {
        return CompletableFuture.completedFuture(null);
    }

    /** The participant's place is gone; it is being placed elsewhere (e.g. Jingle session-terminate "moving"). */
    default void onMoving(ConferenceView conference, ParticipantView participant, String fromBridgeId,
                          String reason) { }

    /** The participant left or its allocation was released (e.g. single-participant timeout). */
    default void onRemoved(ConferenceView conference, ParticipantView participant) { }

    /**
     * The participant's allocation is gone: {@code left} when it left the room, false when it stays in the room
     * without a place (single-participant timeout, or signalling gave up on it). Defaults to
     * {@link #onRemoved(ConferenceView, ParticipantView)}.
     */
    default void onRemoved(ConferenceView conference, ParticipantView participant, boolean left) {
        onRemoved(conference, participant);
    }

    /** The conference ended (every participant is gone with it). */
    default void onEnded(ConferenceView conference) { }
}
