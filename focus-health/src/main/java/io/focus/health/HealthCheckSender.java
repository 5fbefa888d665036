package io.focus.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The transport of health checks, so the doctor can be tested with a fake one. */
public interface HealthCheckSender {
    /**
     * Checks one bridge. Must not block; the future completes (never exceptionally, ideally) within about
     * {@code timeout}, possibly on another thread.
     */
    CompletableFuture<HealthOutcome> check(String bridgeId, Duration timeout);

    /** True when the focus's own connection is connected and authenticated (otherwise misses are our fault). */
    boolean ready();
}
