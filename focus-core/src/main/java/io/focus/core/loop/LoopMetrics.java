package io.focus.core.loop;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.util.function.IntSupplier;

/**
 * The metrics of every loop an {@link EventLoops} makes, registered once, one series per loop name
 * ({@code loop="focus-bridges"}).
 */
final class LoopMetrics {
    private final Gauge depth;
    private final Counter tasks;
    private final Counter failures;
    private final Counter rejected;

    LoopMetrics(CollectorRegistry registry) {
        depth = Gauge.build("focus_loop_queue_depth", "Tasks waiting for their loop's thread (timers not yet due not "
                + "counted)").labelNames("loop").register(registry);
        tasks = Counter.build("focus_loop_tasks_total", "Tasks a loop ran (timers included)").labelNames("loop")
                .register(registry);
        failures = Counter.build("focus_loop_task_failures_total", "Tasks that threw on their loop (logged; the loop "
                + "went on)").labelNames("loop").register(registry);
        rejected = Counter.build("focus_loop_rejected_total", "Tasks a loop did not take: its queue was full (an "
                + "error) or it was closed").labelNames("loop", "reason").register(registry);
    }

    /** One loop's view of the metrics. */
    Child child(String loop, IntSupplier queued) {
        Gauge.Child gauge = new Gauge.Child() {
            @Override public double get() { return queued.getAsInt(); }
        };
        synchronized (depth) {
            depth.setChild(gauge, loop);
        }
        return new Child(loop, gauge, tasks.labels(loop), failures.labels(loop), rejected.labels(loop, "full"),
                rejected.labels(loop, "closed"));
    }

    final class Child {
        private final String loop;
        private final Gauge.Child gauge;
        final Counter.Child tasks;
        final Counter.Child failures;
        final Counter.Child full;
        final Counter.Child closed;

        private Child(String loop, Gauge.Child gauge, Counter.Child tasks, Counter.Child failures,
                      Counter.Child full, Counter.Child closed) {
            this.loop = loop;
            this.gauge = gauge;
            this.tasks = tasks;
            this.failures = failures;
            this.full = full;
            this.closed = closed;
        }

        /** The loop is gone: its depth is no longer reported (its counters stay), unless a newer loop took the name. */
        void closedLoop() {
            synchronized (depth) {
                if (depth.labels(loop) == gauge) {
                    depth.remove(loop);
                }
            }
        }
    }
}
