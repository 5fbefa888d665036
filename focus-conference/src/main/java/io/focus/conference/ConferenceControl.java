package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import java.time.Duration;

/**
 * What the signalling layer may do to conferences. Implemented by {@link ConferenceManager}. Apart from
 * {@link #execute} and {@link #schedule}, every method must be called on the control thread (the signaller is
 * called there, and posts its own work there with {@link #execute}).
 */
public interface ConferenceControl {
    /** Runs the task on the conference control thread. */
    void execute(Runnable task);

    /** Runs the task on the control thread after the delay. */
    EventLoop.Cancellable schedule(Runnable task, Duration delay);

    /** The conference's current view, or null. */
    ConferenceView conference(String roomJid);

    /**
     * The participant signalled its media (session-accept, transport-accept, source-add/-remove): sends its
     * transport (when not null) and its complete sources to its bridge (Colibri2 endpoint update) and its sources to
     * the other bridges of the conference over their relays; relays created later carry them too.
     *
     * @return false when the participant is not placed (nothing sent)
     */
    boolean participantMedia(String roomJid, String endpointId, IceUdpTransport transport, Sources sources);

    /**
     * Re-places the participant (client-reported ICE failure or restart request): it leaves its bridge, which is
     * excluded unless the conference cannot use another bridge while others stay on it.
     *
     * @return false when the participant is not placed
     */
    boolean restartParticipant(String roomJid, String endpointId, String reason);

    /**
     * Takes the participant off its bridge and does not place it again while it stays in the room (it never
     * accepted its offer, or ended its session). A participant that rejoins the room is placed again.
     *
     * @return false when the participant is unknown
     */
    boolean releaseParticipant(String roomJid, String endpointId, String reason);
}
