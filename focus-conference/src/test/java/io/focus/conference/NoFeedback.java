package io.focus.conference;

/** Tests: a {@link BridgeFeedback} that ignores everything; override what a test records. */
class NoFeedback implements BridgeFeedback {
    @Override public void endpointAdded(String bridgeId) { }
    @Override public void endpointRemoved(String bridgeId) { }
    @Override public void conferenceAdded(String bridgeId) { }
    @Override public void conferenceRemoved(String bridgeId) { }
    @Override public void bridgeFailed(String bridgeId, String reason) { }
    @Override public void gracefulShutdown(String bridgeId) { }
    @Override public void bridgeRestarted(String bridgeId) { }
    @Override public void participantTrouble(String bridgeId, String participant) { }
}
