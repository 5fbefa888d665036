package io.focus.core.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one thread that owns a piece of state (the bridge registry, the health doctor, a connection, the conferences):
 * every change to that state is a task run here, one at a time in the order posted; readers get immutable snapshots
 * the owner publishes. Production uses {@link ExecutorEventLoop} (made by {@link EventLoops}); unit tests use a manual
 * loop driven by a fake clock.
 */
public interface EventLoop {
    /**
     * Runs the task on the loop, after the tasks already queued. A task that throws is logged and counted; the loop
     * goes on.
     *
     * @throws RejectedExecutionException when the loop's queue is full (logged and counted by the loop as well); a
     *     closed loop runs nothing more and says so in its log and metrics, without throwing
     */
    void execute(Runnable task);

    /** Runs the task on the loop after the delay; the handle cancels it. */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Runs the task on the loop and completes with its result; fails when the task throws or the loop does not take
     * it (full or closed).
     */
    default <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
