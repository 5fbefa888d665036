package io.focus.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The signalling layer (Jingle: {@code io.focus.conference.signalling.JingleSignaller}) plugs in here. Every method is
 * called on the conference control thread and must not block. The {@code conference} argument is the conference's
 * view as last published (use it for the conference's identity: it need not show the changes of the message that
 * calls); the {@code participant} argument is the participant as it is at the call.
 *
 * <p>A placement or move is complete when the stage returned by {@link #onPlaced} completes: until then the
 * conference shows the participant as moving. Every method is abstract: an implementation or wrapper that forgets
 * one does not compile.
 */
public interface ParticipantSignaller {
    /**
     * No signalling (tests and benchmarks without Jingle): a placement or move completes as soon as the bridge
     * allocation succeeded.
     */
    ParticipantSignaller NONE = new ParticipantSignaller() {
        @Override public void attach(ConferenceControl control) { }
        @Override public CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant,
                                                        Allocation allocation) {
            return CompletableFuture.completedFuture(null);
        }
        @Override public void onMoving(ConferenceView conference, ParticipantView participant, String fromBridgeId,
                                       String reason) { }
        @Override public void onRemoved(ConferenceView conference, ParticipantView participant, boolean left) { }
        @Override public void onSessionLost(ConferenceView conference, ParticipantView participant) { }
        @Override public void onEnded(ConferenceView conference) { }
        @Override public String toString() { return "ParticipantSignaller.NONE"; }
    };

    /**
     * Called once by {@link ConferenceManager} when it is built: how the signaller acts on conferences (update a
     * participant's media on its bridge, re-place it, release it) and reaches the control thread.
     */
    void attach(ConferenceControl control);

    /** The participant got a place (first time, or after a move). */
    CompletionStage<Void> onPlaced(ConferenceView conference, ParticipantView participant, Allocation allocation);

    /** The participant's place is gone; it is being placed elsewhere (e.g. Jingle session-terminate "moving"). */
    void onMoving(ConferenceView conference, ParticipantView participant, String fromBridgeId, String reason);

    /**
     * The participant's allocation is gone: {@code left} when it left the room, false when it stays in the room
     * without a place (single-participant timeout, or signalling gave up on it).
     */
    void onRemoved(ConferenceView conference, ParticipantView participant, boolean left);

    /**
     * The participant's client session is gone while the participant stays in the conference (the server restarted,
     * or it came back to the room from a new connection): its signalling session ended on the client's side, so
     * nothing is sent to end it; its next offer comes with {@link #onPlaced}.
     */
    void onSessionLost(ConferenceView conference, ParticipantView participant);

    /** The conference ended (every participant is gone with it). */
    void onEnded(ConferenceView conference);
}
