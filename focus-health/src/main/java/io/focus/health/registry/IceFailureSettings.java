package io.focus.health.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Jicofo's ICE-failure detection ({@code jicofo.bridge.ice-failure-detection}), validated at construction; a bad value
 * names its key. Defaults (Jicofo's) in focus-health's {@code reference.conf}.
 *
 * @param enabled {@code enabled} (false, as in Jicofo)
 * @param interval {@code interval}: the window over which restart requests are counted (2 minutes)
 * @param minEndpoints {@code min-endpoints}: a bridge with fewer endpoints of this focus is never failing ICE (30)
 * @param threshold {@code threshold}: failing ICE when the requests in the window exceed endpoints × this (0.1)
 * @param timeout {@code timeout}: how long a bridge stays failing ICE after the condition last held (10 minutes)
 */
public record IceFailureSettings(boolean enabled, Duration interval, int minEndpoints, double threshold,
                                 Duration timeout) {
    static final String PREFIX = "jicofo.bridge.ice-failure-detection.";

    public IceFailureSettings {
        positive(interval, "interval");
        positive(timeout, "timeout");
        if (minEndpoints < 0) {
            throw bad("min-endpoints", "must be >= 0, got " + minEndpoints);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw bad("threshold", "must be a number >= 0, got " + threshold);
        }
    }

    /** The defaults of {@code reference.conf} (off, as in Jicofo). */
    public static IceFailureSettings defaults() {
        return fromConfig(ConfigFactory.empty());
    }

    /** Reads the settings; focus-health's {@code reference.conf} fills in what {@code c} does not set. */
    public static IceFailureSettings fromConfig(Config c) {
        Config r = c.withFallback(ConfigFactory.defaultReference(IceFailureSettings.class.getClassLoader()));
        try {
            return new IceFailureSettings(r.getBoolean(PREFIX + "enabled"), r.getDuration(PREFIX + "interval"),
                    r.getInt(PREFIX + "min-endpoints"), r.getDouble(PREFIX + "threshold"), r.getDuration(PREFIX + "timeout"));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.Generic("Bad configuration: " + e.getMessage(), e);
        }
    }

    /** Jicofo's rule: enough endpoints, and more restart requests in the window than endpoints × threshold. */
    boolean failing(int endpoints, int requestsInWindow) {
        return enabled && endpoints >= minEndpoints && requestsInWindow > endpoints * threshold;
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw bad(key, "must be a positive duration, got " + d);
        }
    }

    private static ConfigException bad(String key, String why) {
        return new ConfigException.Generic("Bad configuration: " + PREFIX + key + " " + why);
    }
}
