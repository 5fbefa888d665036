package io.focus.conference;

import io.focus.core.bridge.BridgeState;

/**
 * Where each Colibri2 allocation is written down before it goes out ({@link ConferenceStateStore}): the saved
 * conferences are written only every {@code 250 ms}, so a focus process killed in between would leave the bridge
 * conferences and endpoints it had just made unknown to the next one, and so on the bridges for good. Called on the
 * conference's loop; must be quick (an append, no sync to disk: a killed process's writes are in the kernel already).
 */
public interface AllocationJournal {
    /**
     * An allocation of {@code endpointId} in the conference {@code meetingId} of {@code room} on {@code bridge} is
     * about to be sent (it creates the bridge conference when there is none yet).
     */
    void allocating(String room, String meetingId, BridgeState bridge, String endpointId);

    /** No journal: {@code focus.state.directory} is unset, and nothing is saved at all (said at start-up). */
    AllocationJournal NONE = new AllocationJournal() {
        @Override public void allocating(String room, String meetingId, BridgeState bridge, String endpointId) { }

        @Override public String toString() { return "no allocation journal"; }
    };
}
