package io.focus.core.loop;


import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@link EventLoop} on one daemon thread; a task that throws is logged and the loop goes on. */
public final class ExecutorEventLoop implements EventLoop, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecutorEventLoop.class);
    private final ScheduledExecutorService executor;

    public ExecutorEventLoop(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Event loop closed, task dropped");
        }
    }

    @Override public Cancellable schedule(Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return () -> { };
        }
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("Conference control task failed", t);
            }
        };
    }

    @Override public void close() {
        executor.shutdownNow();
    }
}
