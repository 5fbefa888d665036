package io.focus.health;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Presence-mode checks ({@code jicofo.bridge.health-checks.use-presence}): no IQ; stats older than
 * {@code presence-timeout} are a miss, {@code healthy=false} is a failure, anything else passes.
 */
public final class PresenceHealthCheckSender implements HealthCheckSender {
    private final Supplier<BridgeSnapshot> snapshots;
    private final Clock clock;
    private final Duration presenceTimeout;
    private final BooleanSupplier connectionReady;

    public PresenceHealthCheckSender(Supplier<BridgeSnapshot> snapshots, Clock clock, Duration presenceTimeout,
                                     BooleanSupplier connectionReady) {
        this.snapshots = Objects.requireNonNull(snapshots);
        this.clock = Objects.requireNonNull(clock);
        this.presenceTimeout = Objects.requireNonNull(presenceTimeout);
        this.connectionReady = Objects.requireNonNull(connectionReady);
    }

    @Override
    public boolean ready() { return connectionReady.getAsBoolean(); }

    @Override
    public CompletableFuture<HealthOutcome> check(String bridgeId, Duration timeout) {
        BridgeState b = snapshots.get().get(bridgeId);
        HealthOutcome o;
        if (b == null) {
            o = HealthOutcome.localError("unknown bridge");
        } else if (b.lastStatsAt() == null
                || Duration.between(b.lastStatsAt(), clock.instant()).compareTo(presenceTimeout) > 0) {
            o = HealthOutcome.timeout();
        } else if (!b.healthy()) {
            o = HealthOutcome.failed("reported healthy=false");
        } else {
            o = HealthOutcome.passed();
        }
        return CompletableFuture.completedFuture(o);
    }
}
