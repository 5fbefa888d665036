package io.focus.core.bridge;

/**
 * Something that happened to a bridge. The registry delivers events from one thread, in order, after the snapshot
 * that reflects them has been published.
 *
 * @param type what happened
 * @param bridge the bridge's state right after the change (for REMOVED: its last state)
 * @param reason a short human-readable cause ("left the brewery", "health check: internal-server-error", ...)
 */
public record BridgeEvent(Type type, BridgeState bridge, String reason) {
    public enum Type {
        ADDED,
        REMOVED,
        /** No longer operational: its conferences must move. */
        FAILED,
        RECOVERED,
        /** The bridge announced shutting_down (hard exclusion): its conferences must move. */
        SHUTTING_DOWN,
        GRACEFUL_SHUTDOWN_CHANGED,
        DRAINING_CHANGED,
        /** The bridge restarted without leaving (e.g. inside the reconnect grace period): its conferences are gone. */
        RESTARTED,
        /**
         * Became suspect ({@link BridgeState#suspect()}): no new participants while others can take them; the health
         * doctor probes it at once. Nothing moves yet.
         */
        SUSPECTED,
        /** Answered something while suspect: no longer suspect. */
        SUSPICION_CLEARED
    }

    /** True when participants on the bridge have to be moved elsewhere. */
    public boolean requiresMove() {
        return type == Type.REMOVED || type == Type.FAILED || type == Type.SHUTTING_DOWN || type == Type.RESTARTED;
    }
}
