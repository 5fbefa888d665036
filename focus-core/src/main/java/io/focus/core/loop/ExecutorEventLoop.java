package io.focus.core.loop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventLoop} on one daemon thread named after the loop. Made by {@link EventLoops}, which gives it its
 * metrics.
 *
 * <ul>
 *   <li><b>Bounded:</b> at most {@code capacity} tasks wait for the thread. One more is an error: logged (at most once
 *       a second, with how many were refused meanwhile), counted ({@code focus_loop_rejected_total{reason="full"}})
 *       and thrown at the caller ({@link RejectedExecutionException}); never dropped silently.</li>
 *   <li><b>Failures:</b> a task that throws is logged and counted ({@code focus_loop_task_failures_total}); the loop
 *       goes on.</li>
 *   <li><b>Shutdown:</b> {@link #close(Duration)} stops taking tasks, cancels the timers not yet due, lets the tasks
 *       already queued run for at most the drain time, cancels what is left, and logs what it did. A task offered to a
 *       closed loop is not run: logged (debug) and counted ({@code reason="closed"}); {@link #submit} fails.</li>
 * </ul>
 */
public final class ExecutorEventLoop implements EventLoop, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecutorEventLoop.class);
    /** How long {@link #close()} lets queued tasks run. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);
    private static final long FULL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final int capacity;
    private final ScheduledThreadPoolExecutor executor;
    private final LoopMetrics.Child metrics;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastFullLog = new AtomicLong(System.nanoTime() - FULL_LOG_INTERVAL_NANOS);
    private volatile Thread thread;
    private volatile boolean closed;

    ExecutorEventLoop(String name, int capacity, LoopMetrics metrics) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // cancelled timers leave the queue at once (a request answered before its timeout leaves nothing behind)
        executor.setRemoveOnCancelPolicy(true);
        // at shutdown, timers not yet due are dropped; tasks already due still run (the drain)
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.metrics = metrics.child(name, queued::get);
    }

    public String name() { return name; }

    public int capacity() { return capacity; }

    /** Tasks waiting for the thread now. */
    public int queued() { return queued.get(); }

    /** True when called on this loop's thread. */
    public boolean inLoop() { return Thread.currentThread() == thread; }

    public boolean isClosed() { return closed; }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            refusedClosed();
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            throw refusedFull();
        }
        try {
            executor.execute(() -> {
                queued.decrementAndGet();
                run(task);
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            refusedClosed();
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            refusedClosed();
            return () -> { };
        }
        try {
            ScheduledFuture<?> f = executor.schedule(() -> run(task), Math.max(0, delay.toNanos()),
                    TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            refusedClosed();
            return () -> { };
        }
    }

    /**
     * Runs the task every {@code period}, the first time after {@code initialDelay}, each run {@code period} after the
     * end of the previous one; the handle stops it.
     */
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            refusedClosed();
            return () -> { };
        }
        try {
            ScheduledFuture<?> f = executor.scheduleWithFixedDelay(() -> run(task), initialDelay.toNanos(),
                    period.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            refusedClosed();
            return () -> { };
        }
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        if (closed) {
            refusedClosed();
            return CompletableFuture.failedFuture(new RejectedExecutionException("event loop " + name + " is closed"));
        }
        return EventLoop.super.submit(task);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            metrics.failures.inc();
            log.error("Task on event loop {} failed", name, t);
        } finally {
            metrics.tasks.inc();
        }
    }

    private RejectedExecutionException refusedFull() {
        metrics.full.inc();
        long refused = refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastFullLog.get();
        if (now - last >= FULL_LOG_INTERVAL_NANOS && lastFullLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            log.error("Event loop {} is full ({} tasks waiting): refused {} task(s) in the last second; its thread "
                    + "cannot keep up or is stuck", name, capacity, refused);
        }
        return new RejectedExecutionException("event loop " + name + " is full (" + capacity + " tasks waiting)");
    }

    private void refusedClosed() {
        metrics.closed.inc();
        log.debug("Event loop {} is closed: a task was not run", name);
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_DRAIN}. */
    @Override
    public void close() {
        close(DEFAULT_DRAIN);
    }

    /**
     * Stops taking tasks, cancels the timers not yet due, lets the queued tasks run for at most {@code drain} (not
     * waited for when called on the loop's own thread), then cancels what is left. Logs what it did. Idempotent.
     */
    public void close(Duration drain) {
        if (closed) {
            return;
        }
        closed = true;
        int waiting = queued.get();
        int timers = Math.max(0, executor.getQueue().size() - waiting);
        executor.shutdown();
        if (inLoop()) {
            log.info("Event loop {} closed from its own thread: {} queued task(s) still run, {} timer(s) not yet due "
                    + "cancelled", name, waiting, timers);
            metrics.closedLoop();
            return;
        }
        boolean drained = false;
        try {
            drained = executor.awaitTermination(Math.max(0, drain.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drained) {
            log.info("Event loop {} closed: {} queued task(s) run, {} timer(s) not yet due cancelled", name, waiting,
                    timers);
        } else {
            List<Runnable> left = executor.shutdownNow();
            queued.set(0);
            log.warn("Event loop {} closed: still busy after {} ms, so its thread was interrupted and {} queued task(s) "
                    + "cancelled ({} timer(s) not yet due cancelled)", name, drain.toMillis(), left.size(), timers);
        }
        metrics.closedLoop();
    }

    @Override
    public String toString() { return "ExecutorEventLoop[" + name + "]"; }
}
