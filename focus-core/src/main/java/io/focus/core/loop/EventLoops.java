package io.focus.core.loop;

import io.prometheus.client.CollectorRegistry;
import java.util.Objects;

/**
 * Makes the focus's {@link ExecutorEventLoop}s. Create one per process (the app binds one) with the metrics registry:
 * the loop metrics are registered once here, and each loop reports under its name
 * ({@code focus_loop_queue_depth{loop="focus-bridges"}}, {@code focus_loop_tasks_total}, 
 * {@code focus_loop_task_failures_total}, {@code focus_loop_rejected_total{reason="full"|"closed"}}).
 */
public final class EventLoops {
    /** Tasks a loop holds before it refuses more: far above any backlog the focus has shown (a full loop is a bug). */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final LoopMetrics metrics;

    public EventLoops(CollectorRegistry registry) {
        this.metrics = new LoopMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /** For tests and tools: the loops' metrics go to a registry of their own. */
    public static EventLoops unregistered() {
        return new EventLoops(new CollectorRegistry());
    }

    /** A loop on a new thread of that name, holding at most {@link #DEFAULT_CAPACITY} queued tasks. */
    public ExecutorEventLoop create(String name) {
        return create(name, DEFAULT_CAPACITY);
    }

    /** A loop on a new thread of that name, holding at most {@code capacity} queued tasks. */
    public ExecutorEventLoop create(String name, int capacity) {
        return new ExecutorEventLoop(name, capacity, metrics);
    }

    /**
     * {@code threads} threads named {@code <name>-<n>} for blocking work that owns no state, holding at most
     * {@code capacity} waiting tasks, reporting as a loop of that name.
     */
    public BoundedPool pool(String name, int threads, int capacity) {
        return new BoundedPool(name, threads, capacity, metrics);
    }
}
