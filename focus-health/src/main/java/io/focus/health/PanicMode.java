package io.focus.health;

import io.focus.core.bridge.BridgeSnapshot;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health doctor's panic mode: while every bridge is failed it logs loudly, counts it
 * ({@code focus_health_panic_total}, {@code focus_health_panic_active}) and checks at {@code panic-interval} until one
 * recovers. Updated on the doctor's loop; {@link #active()} may be read anywhere.
 */
final class PanicMode {
    private static final Logger log = LoggerFactory.getLogger(HealthDoctor.class);

    private final HealthSettings settings;
    private final HealthMetrics metrics;
    private volatile boolean active;

    PanicMode(HealthSettings settings, HealthMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    boolean active() { return active; }

    /** The delay before a bridge's next check: after a miss, or the regular one; at most the panic interval. */
    Duration nextDelay(boolean missed) {
        Duration d = missed ? settings.afterMiss() : settings.interval();
        if (active && settings.panicInterval().compareTo(d) < 0) {
            d = settings.panicInterval();
        }
        return d;
    }

    /** The delay before a new bridge's first check. */
    Duration firstDelay() { return active ? settings.panicInterval() : settings.interval(); }

    /**
     * Looks at the registry's latest snapshot (FAILED/RECOVERED events are delivered after it was published).
     *
     * @return true when panic mode begins now (the doctor then checks every bridge at the panic interval)
     */
    boolean evaluate(BridgeSnapshot s) {
        boolean all = s.size() > 0 && s.operationalCount() == 0;
        if (all && !active) {
            active = true;
            metrics.panics.inc();
            metrics.panicGauge.set(1);
            log.warn("PANIC: all {} bridges are failed; checking them every {} (selection falls back to the "
                    + "least-bad bridges)", s.size(), settings.panicInterval());
            return true;
        }
        if (!all && active) {
            active = false;
            metrics.panicGauge.set(0);
            log.info("Panic over: {} of {} bridges operational", s.operationalCount(), s.size());
        }
        return false;
    }
}
