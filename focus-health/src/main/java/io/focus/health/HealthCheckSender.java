package io.focus.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The transport of health checks, so the doctor can be tested with a fake one. */
public interface HealthCheckSender {
    /**
     * Checks one bridge. Must not block; the future completes (never exceptionally, ideally) within about
     * {@code timeout}, possibly on another thread. A check sent as a request is written (handed to the connection in
     * order with the focus's other requests) before this returns: the doctor places it in the focus's send order
     * ({@code RoundTrips}) around this call.
     */
    CompletableFuture<HealthOutcome> check(String bridgeId, Duration timeout);

    /** True when the focus's own connection is connected and authenticated (otherwise misses are our fault). */
    boolean ready();
}
