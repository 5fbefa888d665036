package io.focus.core.loop;

import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few threads for blocking work that owns no state (the MUC joins and leaves of the conference rooms), made by
 * {@link EventLoops} with the loops' metrics under its name: bounded like a loop ({@code capacity} tasks waiting at
 * most; one more is logged, counted as {@code focus_loop_rejected_total{reason="full"}} and thrown at the caller as
 * {@link RejectedExecutionException}), a task that throws logged and counted ({@code focus_loop_task_failures_total}),
 * threads named {@code <name>-<n>}. Shut down as any executor.
 */
public final class BoundedPool extends ThreadPoolExecutor {
    private static final Logger log = LoggerFactory.getLogger(BoundedPool.class);

    private final String name;
    private final LoopMetrics.Child metrics;

    BoundedPool(String name, int threads, int capacity, LoopMetrics metrics) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(checked(capacity)),
                named(Objects.requireNonNull(name, "name")), new AbortPolicy());
        this.name = name;
        this.metrics = metrics.child(name, () -> getQueue().size());
    }

    private static int checked(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        return capacity;
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            super.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            if (isShutdown()) {
                metrics.closed.inc();
                log.debug("{}: a task offered after shutdown was not run", name);
            } else {
                metrics.full.inc();
                log.error("{}: {} tasks wait already; this one is refused", name, getQueue().size());
            }
            throw e;
        }
    }

    /** Runs one task: one that throws is logged and counted, and its thread goes on (as on a loop). */
    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            metrics.failures.inc();
            log.warn("{}: a task failed", name, e);
        } finally {
            metrics.tasks.inc();
        }
    }

    @Override
    protected void terminated() {
        metrics.closedLoop();
    }
}
