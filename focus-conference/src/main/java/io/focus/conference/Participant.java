package io.focus.conference;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import io.focus.core.loop.EventLoop;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** One participant of a {@link Conference} and its placement state; owned by the conference's loop. */
final class Participant {
    Occupant occupant;
    ParticipantView.State state = ParticipantView.State.WAITING;
    Instant since;
    BridgeSession session;
    Allocation allocation;
    /** Bumped whenever the participant's place changes: replies and timers of an older generation are stale. */
    long gen;
    /** Counted on its session's bridge in the registry ({@link BridgeFeedback#endpointAdded}). */
    boolean counted;
    /** Bridges this placement must not use ({@link FailoverAction.Exclude}); cleared once it is placed. */
    final Set<String> exclusions = new LinkedHashSet<>();
    /**
     * Bridges it was moved off, oldest first (at most {@link #MOVED_OFF_KEPT}): while one of them is suspect, it is not
     * placed back there ({@link Placement#place}).
     */
    final Set<String> movedOff = new LinkedHashSet<>();
    static final int MOVED_OFF_KEPT = 16;
    /** Failed allocations in the current placement. */
    int failures;
    boolean moving;
    /**
     * Waiting because the conference could not spread: to the bridge selection chose, or off its own bridge when
     * selection found none (its bridge non-operational). A bridge leaving the conference tries it again.
     */
    boolean blockedBySpread;
    String movedFrom;
    String moveReason;
    EventLoop.Cancellable retryTimer;
    /** What the participant signalled for its current place (null until it did). */
    IceUdpTransport transport;
    Sources sources;
    /** Taken off its bridge by the signalling layer; not placed again while it stays in the room. */
    boolean released;
    /** Whether its current allocation request asked for SCTP (see {@link Placement#endpointSpec}). */
    boolean askedSctp;
    /** The session its refused allocations were adapted in, and how many times. */
    BridgeSession adaptedIn;
    int adaptations;
    /** When it joined the room (for {@code jitsi_jicofo_endpoint_seconds}). */
    final Instant joinedAt;

    Participant(Occupant occupant, Instant now) {
        this.occupant = occupant;
        this.since = now;
        this.joinedAt = now;
    }

    String id() { return occupant.nick(); }

    /** It is being moved off {@code bridgeId} (kept last; the oldest is forgotten past {@link #MOVED_OFF_KEPT}). */
    void movedOff(String bridgeId) {
        movedOff.remove(bridgeId);
        movedOff.add(bridgeId);
        if (movedOff.size() > MOVED_OFF_KEPT) {
            movedOff.remove(movedOff.iterator().next());
        }
    }

    boolean is(ParticipantView.State s) { return state == s; }

    void toState(ParticipantView.State s, Instant now) {
        if (state != s) {
            state = s;
            since = now;
        }
    }

    /** Forgets its place (the caller deals with the session it had). */
    void detach() {
        session = null;
        allocation = null;
        clearMedia();
    }

    void clearMedia() {
        transport = null;
        sources = null;
    }

    void clearMove() {
        moving = false;
        movedFrom = null;
        moveReason = null;
    }

    void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }

    ParticipantView view() {
        return new ParticipantView(id(), occupant.occupantJid(), occupant.region(), occupant.statsId(), state,
                session != null ? session.bridge.id() : null, session != null ? session.bridge.nick() : null,
                moving, movedFrom, moveReason, failures, Set.copyOf(exclusions), since, allocation,
                occupant.capsNode(), transport != null, sources == null ? 0 : sources.ssrcs().size());
    }
}
