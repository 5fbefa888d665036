package io.focus.core.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The signalling layer (Jingle, in a later issue) plugs in here. Called on the conference control thread; must not
 * block.
 *
 * <p>A placement or move is complete when the stage returned by {@link #onPlaced} completes: until then the
 * conference shows the participant as moving. The default signaller completes at once, so today a move completes
 * as soon as the bridge allocation succeeded.
 */
public interface ParticipantSignaller {
    ParticipantSignaller NONE = new ParticipantSignaller() { };

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
}
