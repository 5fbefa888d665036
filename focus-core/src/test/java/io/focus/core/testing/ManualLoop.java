package io.focus.core.testing;

import io.focus.core.loop.EventLoop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/** A deterministic event loop on a fake clock: tasks run when the test says so, on the test's thread. */
public final class ManualLoop implements EventLoop {
    public final FakeClock clock = new FakeClock();
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private long seq;

    @Override public synchronized void execute(Runnable task) { queue.addLast(task); }

    @Override public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Timer t = new Timer(clock.instant().plus(delay), seq++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs queued tasks (and what they queue) until none is left. */
    public void runPending() {
        for (int i = 0; i < 100_000; i++) {
            Runnable r;
            synchronized (this) {
                r = queue.pollFirst();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
        throw new AssertionError("event loop does not settle");
    }

    /** Advances the clock, running timers as they fall due. */
    public void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        runPending();
        while (true) {
            Timer next;
            synchronized (this) {
                next = timers.stream().filter(t -> !t.cancelled && !t.at.isAfter(end))
                        .min(Comparator.comparing((Timer t) -> t.at).thenComparingLong(t -> t.seq)).orElse(null);
                if (next != null) {
                    timers.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.at.isAfter(clock.instant())) {
                clock.now = next.at;
            }
            next.task.run();
            runPending();
        }
        clock.now = end;
        synchronized (this) {
            timers.removeIf(t -> t.cancelled);
        }
    }

    public synchronized int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Timer {
        final Instant at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(Instant at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }
    }

    public static final class FakeClock extends Clock {
        public volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
