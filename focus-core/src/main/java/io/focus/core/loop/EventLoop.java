package io.focus.core.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The single control thread that owns conference state. Production uses {@link ExecutorEventLoop}; unit tests use a
 * manual loop driven by a fake clock.
 */
public interface EventLoop {
    /** Runs the task on the loop, after the tasks already queued. */
    void execute(Runnable task);

    /** Runs the task on the loop after the delay; the handle cancels it. */
    Cancellable schedule(Runnable task, Duration delay);

    default <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
