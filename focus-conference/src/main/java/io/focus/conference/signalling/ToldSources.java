package io.focus.conference.signalling;

import io.focus.core.loop.EventLoop;
import io.focus.core.jingle.ConferenceSources;
import java.time.Duration;
import java.time.Instant;

/**
 * What one participant was told of the others' sources in its current session, and the source update to it that is
 * in flight. At most one update (a {@code source-remove} and/or a {@code source-add}, sent together) is outstanding
 * per participant: what changes while it is unanswered is sent as one update once the participant has acknowledged
 * it, so a burst of changes costs the receiver a stanza or two per round trip, not one per change, without a fixed
 * delay. Control thread only.
 */
final class ToldSources {
    private ConferenceSources told = ConferenceSources.EMPTY;
    /** Bumped whenever the session's view is reset: acknowledgements of older updates are ignored. */
    private long epoch;
    private int inFlight;
    private Instant lastSent;
    private EventLoop.Cancellable timer;

    ConferenceSources told() { return told; }

    long epoch() { return epoch; }

    /** A new offer carried {@code view}: that is what the participant knows now; older updates no longer count. */
    void offered(ConferenceSources view) {
        reset();
        told = view;
    }

    /** The participant's session is gone: it knows nothing. */
    void forget() {
        reset();
        told = ConferenceSources.EMPTY;
    }

    /** True while an update to the participant is unanswered. */
    boolean busy() { return inFlight > 0; }

    /** True while a delayed update is scheduled ({@code source-update-interval}). */
    boolean waiting() { return timer != null; }

    /** How long to wait before the next update so that it comes {@code interval} after the last one (or zero). */
    Duration waitBefore(Instant now, Duration interval) {
        if (lastSent == null || interval.isZero()) {
            return Duration.ZERO;
        }
        Duration d = interval.minus(Duration.between(lastSent, now));
        return d.isNegative() ? Duration.ZERO : d;
    }

    void delayed(EventLoop.Cancellable t) { timer = t; }

    /** The delayed update's time has come. */
    void timerFired() { timer = null; }

    /** {@code stanzas} IQs went out at {@code now}, bringing the participant to {@code view}. */
    void sent(ConferenceSources view, int stanzas, Instant now) {
        told = view;
        inFlight += stanzas;
        lastSent = now;
    }

    /** One IQ of the update sent in {@code epoch} was answered; true when nothing is in flight any more. */
    boolean answered(long sentIn) {
        if (sentIn != epoch || inFlight == 0) {
            return false;
        }
        inFlight--;
        return inFlight == 0;
    }

    private void reset() {
        epoch++;
        inFlight = 0;
        lastSent = null;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
