package io.focus.conference;

/**
 * What conferences tell the bridge registry: endpoints placed and removed (for stress ramp-up and counts) and what
 * allocation replies revealed about a bridge. The app binds it to the registry; every method must be cheap and
 * must not block (it is called on the conference control thread).
 */
public interface BridgeFeedback {
    /**
     * Tells nobody: for tests and benchmarks that run conferences without a registry. Every method is abstract, so
     * a wrapper or a new implementation that forgets one does not compile (a forgotten default once dropped every
     * participant's transport on the way to the bridge).
     */
    BridgeFeedback NONE = new BridgeFeedback() {
        @Override public void endpointAdded(String bridgeId) { }
        @Override public void endpointRemoved(String bridgeId) { }
        @Override public void conferenceAdded(String bridgeId) { }
        @Override public void conferenceRemoved(String bridgeId) { }
        @Override public void bridgeFailed(String bridgeId, String reason) { }
        @Override public void gracefulShutdown(String bridgeId) { }
        @Override public void bridgeRestarted(String bridgeId) { }
        @Override public void participantTrouble(String bridgeId, String participant) { }
        @Override public String toString() { return "BridgeFeedback.NONE"; }
    };

    void endpointAdded(String bridgeId);

    void endpointRemoved(String bridgeId);

    void conferenceAdded(String bridgeId);

    void conferenceRemoved(String bridgeId);

    /** An allocation timed out or the bridge answered with an error that means it is broken. */
    void bridgeFailed(String bridgeId, String reason);

    /** The bridge rejected a new conference with {@code graceful_shutdown}. */
    void gracefulShutdown(String bridgeId);

    /** The bridge no longer knows a conference it had ({@code conference_not_found}): it restarted. */
    void bridgeRestarted(String bridgeId);

    /**
     * A participant on the bridge reported ICE failure or asked for a restart (before it is re-placed). Several
     * distinct participants within a short window make the bridge suspect; one alone does not.
     *
     * @param participant tells participants apart (room and endpoint id)
     */
    void participantTrouble(String bridgeId, String participant);
}
