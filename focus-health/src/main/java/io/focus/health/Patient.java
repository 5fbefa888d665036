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
}
