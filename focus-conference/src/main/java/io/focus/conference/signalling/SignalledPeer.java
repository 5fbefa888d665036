package io.focus.conference.signalling;

import io.focus.conference.Allocation;
import io.focus.core.loop.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jxmpp.jid.Jid;

/** {@link JingleSignaller}'s state of one participant. Control thread only. */
final class SignalledPeer {
    final String id;
    final RestartLimiter limiter;
    String occupantJid;
    Jid jid;
    Set<String> features;
    /** The participant's earlier session ids (a late accept for one of them gets {@code gone}). */
    final Deque<String> oldSids = new ArrayDeque<>();
    boolean json;
    String sid;
    SessionState state = SessionState.NONE;
    Allocation allocation;
    /** What this participant was told about the others (not the bridge's own sources). */
    final ToldSources told = new ToldSources();
    CompletableFuture<Void> placed;
    int offersSent;
    /** The offer timeout, or the wait for a moving participant's new place. */
    EventLoop.Cancellable offerTimer;
    long gen;

    SignalledPeer(String id, RestartLimiter limiter) {
        this.id = id;
        this.limiter = limiter;
    }

    boolean hasSession() { return state != SessionState.NONE; }

    boolean live() { return state == SessionState.ACTIVE || state == SessionState.REPLACING; }

    /** Its place is gone (moved or removed): what was pending for the old place is cancelled or failed. */
    void unplace() {
        gen++;
        cancelOfferTimer();
        supersede();
        allocation = null;
    }

    void cancelOfferTimer() {
        if (offerTimer != null) {
            offerTimer.cancel();
            offerTimer = null;
        }
    }

    /** A placement that will not be signalled any more: its stage fails (the conference ignores stale ones). */
    void supersede() {
        if (placed != null && !placed.isDone()) {
            placed.completeExceptionally(new CancellationException("superseded"));
        }
    }
}
