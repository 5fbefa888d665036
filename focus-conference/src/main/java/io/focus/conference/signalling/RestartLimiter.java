package io.focus.conference.signalling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Jicofo's {@code restart-request-rate-limits} for one participant: a restart is accepted when the last accepted one
 * is at least {@code min-interval} ago and fewer than {@code max-requests} were accepted within {@code interval}.
 * Not thread-safe (the control thread owns it).
 */
final class RestartLimiter {
    private final Duration minInterval;
    private final int maxRequests;
    private final Duration interval;
    private final Deque<Instant> accepted = new ArrayDeque<>();

    RestartLimiter(SignallingSettings s) {
        this.minInterval = s.restartMinInterval();
        this.maxRequests = s.restartMaxRequests();
        this.interval = s.restartInterval();
    }

    /** True (and recorded) when a restart requested at {@code now} is allowed. */
    boolean tryAcquire(Instant now) {
        Instant last = accepted.peekLast();
        if (last != null && now.isBefore(last.plus(minInterval))) {
            return false;
        }
        Instant cutoff = now.minus(interval);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(cutoff)) {
            accepted.removeFirst();
        }
        if (accepted.size() >= maxRequests) {
            return false;
        }
        accepted.addLast(now);
        return true;
    }
}
