package io.focus.sim.bridge;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The one thread that owns a simulated bridge's state: Smack's threads and the test's only post work to it. */
final class ControlThread {
    private final String nick;
    private final ScheduledExecutorService executor;

    ControlThread(String nick) {
        this.nick = nick;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-" + nick);
            t.setDaemon(true);
            return t;
        });
    }

    void execute(Runnable r) {
        executor.execute(r);
    }

    ScheduledFuture<?> every(Runnable r, long millis) {
        return executor.scheduleAtFixedRate(r, millis, millis, TimeUnit.MILLISECONDS);
    }

    boolean isShutdown() {
        return executor.isShutdown();
    }

    void shutdownNow() {
        executor.shutdownNow();
    }

    interface Task<T> {
        T run() throws Exception;
    }

    /** Runs the task on the control thread (at once when already on it) and returns its result; 30 s at most. */
    <T> T call(Task<T> task) {
        if (Thread.currentThread().getName().equals("sim-" + nick)) {
            try {
                return task.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(nick + ": " + e.getMessage(), e);
            }
        }
        Future<T> f = executor.submit(task::run);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(nick + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(nick + ": control thread did not finish within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(nick + ": interrupted", e);
        }
    }
}
