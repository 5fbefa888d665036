package io.focus.health.discovery;

import io.focus.core.bridge.BridgeStats;
import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.health.registry.BridgeRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What both discovery watchers (brewery MUC, pubsub node) share: their own event loop, on which everything they learn
 * is handled, and the hand-over of what they learn to the {@link BridgeRegistry} (stats of a bridge, a bridge gone).
 * Smack threads only {@link #execute post} to it.
 */
final class DiscoveryLoop implements EventLoop {
    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(3);

    private final BridgeRegistry registry;
    private final ExecutorEventLoop loop;

    /** @param name the loop's thread and metrics name */
    DiscoveryLoop(BridgeRegistry registry, EventLoops loops, String name) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loop = loops.create(name);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay);
    }

    Cancellable scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration period) {
        return loop.scheduleWithFixedDelay(task, initialDelay, period);
    }

    /** A bridge published its colibri stats (watcher loop). */
    void stats(String id, Map<String, String> stats) {
        registry.onStats(id, new BridgeStats(stats));
    }

    /** A bridge is gone (watcher loop). */
    void left(String id, String reason) {
        registry.onLeft(id, reason);
    }

    /** Completes after everything posted so far has been handled and handed to the registry. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        execute(() -> registry.flush().thenRun(() -> f.complete(null)));
        return f;
    }

    /** Runs {@code last} on the loop (unregistering, leaving), then closes the loop once drained. */
    void close(Runnable last) {
        execute(last);
        loop.close(CLOSE_DRAIN);
    }
}
