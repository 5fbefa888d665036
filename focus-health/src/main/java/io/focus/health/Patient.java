package io.focus.health;

import io.focus.core.loop.EventLoop;
import java.time.Instant;

/** One bridge as the {@link HealthDoctor} checks it; only the doctor's loop touches it. */
final class Patient {
    final String id;
    final String nick;
    EventLoop.Cancellable next;
    int misses;
    boolean inFlight;
    Instant sentAt;
    long sentEpoch;
    long generation;
    boolean probing;
    Instant lastAnswerAt;
    HealthOutcome.Kind lastOutcome;
    /** Fires when the check in flight has waited long enough to be probed alongside ({@link Prober#overdue}). */
    EventLoop.Cancellable overdue;
    /** The generation of the latest check that timed out and counted as a miss (-1: none yet). */
    long missedGeneration = -1;
    /**
     * The verdict of a probe that went unanswered while the check it shadowed was still in flight: the check's own
     * timeout delivers it ({@link Prober#overdue}); null when there is none.
     */
    Prober.Verdict heldVerdict;

    Patient(String id, String nick) {
        this.id = id;
        this.nick = nick;
    }

    /** Cancels the next scheduled check. */
    void cancel() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /** Cancels the probe of the check in flight, if not sent yet. */
    void cancelOverdue() {
        if (overdue != null) {
            overdue.cancel();
            overdue = null;
        }
    }
}
