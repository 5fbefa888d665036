package io.focus.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Tests: a {@link ParticipantSignaller} that signals nothing (placements complete at once); override what to record. */
class NoSignalling implements ParticipantSignaller {
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
}
