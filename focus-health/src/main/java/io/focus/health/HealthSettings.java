package io.focus.health;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The health doctor's settings, validated at construction (a bad value names its key).
 *
 * @param enabled {@code jicofo.bridge.health-checks.enabled}
 * @param interval {@code jicofo.bridge.health-checks.interval}: time between two checks of one bridge
 * @param retryDelay {@code jicofo.bridge.health-checks.retry-delay}: next check after a miss (0 = the interval)
 * @param usePresence {@code jicofo.bridge.health-checks.use-presence}
 * @param presenceTimeout {@code jicofo.bridge.health-checks.presence-timeout}
 * @param timeout {@code focus.health.timeout}: the dedicated reply timeout of one health-check IQ
 * @param misses {@code focus.health.misses}: consecutive misses that fail a bridge
 * @param panicInterval {@code focus.health.panic-interval}: check interval while every bridge is failed
 * @param massFailureFraction {@code focus.health.mass-failure-fraction}
 * @param probeTimeout {@code focus.bridge.suspect.probe-timeout}: the timeout of the probe sent to a bridge as soon as
 *     it becomes suspect (bounded by {@code timeout}: see {@link #probe()})
 */
public record HealthSettings(boolean enabled, Duration interval, Duration retryDelay, boolean usePresence,
                             Duration presenceTimeout, Duration timeout, int misses, Duration panicInterval,
                             double massFailureFraction, Duration probeTimeout) {
    /** The settings with the default probe timeout (1 s). */
    public HealthSettings(boolean enabled, Duration interval, Duration retryDelay, boolean usePresence,
                          Duration presenceTimeout, Duration timeout, int misses, Duration panicInterval,
                          double massFailureFraction) {
        this(enabled, interval, retryDelay, usePresence, presenceTimeout, timeout, misses, panicInterval,
                massFailureFraction, Duration.ofSeconds(1));
    }

    public HealthSettings {
        positive(probeTimeout, "focus.bridge.suspect.probe-timeout");
        positive(interval, "jicofo.bridge.health-checks.interval");
        if (retryDelay == null || retryDelay.isNegative()) {
            throw bad("jicofo.bridge.health-checks.retry-delay", "must be >= 0");
        }
        positive(presenceTimeout, "jicofo.bridge.health-checks.presence-timeout");
        positive(timeout, "focus.health.timeout");
        if (misses < 1) {
            throw bad("focus.health.misses", "must be >= 1, got " + misses);
        }
        positive(panicInterval, "focus.health.panic-interval");
        if (!(massFailureFraction > 0 && massFailureFraction <= 1)) {
            throw bad("focus.health.mass-failure-fraction", "must be in (0, 1], got " + massFailureFraction);
        }
    }

    public static HealthSettings defaults() {
        return new HealthSettings(true, Duration.ofSeconds(10), Duration.ofSeconds(5), false, Duration.ofSeconds(45),
                Duration.ofSeconds(5), 2, Duration.ofSeconds(2), 0.5);
    }

    public static HealthSettings fromConfig(Config c) {
        String h = "jicofo.bridge.health-checks.";
        try {
            return new HealthSettings(
                    c.getBoolean(h + "enabled"),
                    c.getDuration(h + "interval"),
                    c.getDuration(h + "retry-delay"),
                    c.getBoolean(h + "use-presence"),
                    c.getDuration(h + "presence-timeout"),
                    c.getDuration("focus.health.timeout"),
                    c.getInt("focus.health.misses"),
                    c.getDuration("focus.health.panic-interval"),
                    c.getDouble("focus.health.mass-failure-fraction"),
                    c.getDuration("focus.bridge.suspect.probe-timeout"));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.Generic("Bad configuration: " + e.getMessage(), e);
        }
    }

    /** The timeout of a probe: {@code probe-timeout}, but never longer than a regular check's {@code timeout}. */
    public Duration probe() { return probeTimeout.compareTo(timeout) < 0 ? probeTimeout : timeout; }

    /** When the next check of a bridge comes after a missed one. */
    public Duration afterMiss() { return retryDelay.isZero() ? interval : retryDelay; }

    private static void positive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw bad(key, "must be a positive duration, got " + d);
        }
    }

    private static ConfigException bad(String key, String why) {
        return new ConfigException.Generic("Bad configuration: " + key + " " + why);
    }
}
