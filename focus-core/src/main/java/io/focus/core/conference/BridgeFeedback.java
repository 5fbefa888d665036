package io.focus.core.conference;

/**
 * What conferences tell the bridge registry: endpoints placed and removed (for stress ramp-up and counts) and what
 * allocation replies revealed about a bridge. The app binds it to the registry; every method must be cheap and
 * must not block (it is called on the conference control thread).
 */
public interface BridgeFeedback {
    BridgeFeedback NONE = new BridgeFeedback() { };

    default void endpointAdded(String bridgeId) { }

    default void endpointRemoved(String bridgeId) { }

    default void conferenceAdded(String bridgeId) { }

    default void conferenceRemoved(String bridgeId) { }

    /** An allocation timed out or the bridge answered with an error that means it is broken. */
    default void bridgeFailed(String bridgeId, String reason) { }

    /** The bridge rejected a new conference with {@code graceful_shutdown}. */
    default void gracefulShutdown(String bridgeId) { }

    /** The bridge no longer knows a conference it had ({@code conference_not_found}): it restarted. */
    default void bridgeRestarted(String bridgeId) { }
}
