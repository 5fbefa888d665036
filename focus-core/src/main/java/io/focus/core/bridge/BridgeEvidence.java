package io.focus.core.bridge;


/**
 * Where the code that talks to bridges reports what their silence or their answers say (the {@code BridgeRegistry};
 * tests use their own). Cheap and non-blocking: called from Smack's threads and timers.
 */
public interface BridgeEvidence {
    /** Something sent to the bridge went unanswered (see {@code SuspectSettings}). */
    void suspect(String bridgeId, SuspectSignal signal, String reason);

    /** The bridge answered something: it is alive. */
    void answered(String bridgeId, String what);
}
