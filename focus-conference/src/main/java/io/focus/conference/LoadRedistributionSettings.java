package io.focus.conference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Jicofo's automatic load redistribution ({@code jicofo.bridge.load-redistribution}), validated at construction; a bad
 * value names its key. Defaults (Jicofo's) in focus-conference's {@code reference.conf}.
 *
 * @param enabled {@code enabled} (false, as in Jicofo)
 * @param interval {@code interval}: how often the bridges are looked at (1 minute)
 * @param stressThreshold {@code stress-threshold}: a bridge at or above this corrected stress sheds endpoints (0.9)
 * @param timeout {@code timeout}: a bridge that shed endpoints is left alone this long (3 minutes)
 * @param endpoints {@code endpoints}: endpoints moved off one bridge at a time (10)
 * @param overloadThreshold {@code jicofo.bridge.stress-threshold}: endpoints move only while some bridge is below this
 *     (not overloaded), as in Jicofo (0.8, focus-selection's default)
 */
public record LoadRedistributionSettings(boolean enabled, Duration interval, double stressThreshold, Duration timeout,
                                         int endpoints, double overloadThreshold) {
    static final String PREFIX = "jicofo.bridge.load-redistribution.";
    static final String OVERLOAD = "jicofo.bridge.stress-threshold";

    public LoadRedistributionSettings {
        positive(interval, PREFIX + "interval");
        if (timeout == null || timeout.isNegative()) {
            throw bad(PREFIX + "timeout", "must be a duration >= 0, got " + timeout);
        }
        if (!(stressThreshold > 0) || Double.isInfinite(stressThreshold)) {
            throw bad(PREFIX + "stress-threshold", "must be a number > 0, got " + stressThreshold);
        }
        if (endpoints < 1) {
            throw bad(PREFIX + "endpoints", "must be >= 1, got " + endpoints);
        }
        if (!(overloadThreshold > 0) || Double.isInfinite(overloadThreshold)) {
            throw bad(OVERLOAD, "must be a number > 0, got " + overloadThreshold);
        }
    }

    /**
     * Reads the settings; focus-conference's {@code reference.conf} fills in what {@code c} does not set (the app
     * passes its whole configuration, which has {@value #OVERLOAD}).
     */
    public static LoadRedistributionSettings fromConfig(Config c) {
        Config r = c.withFallback(ConfigFactory.defaultReference(LoadRedistributionSettings.class.getClassLoader()));
        try {
            return new LoadRedistributionSettings(r.getBoolean(PREFIX + "enabled"), r.getDuration(PREFIX + "interval"),
                    r.getDouble(PREFIX + "stress-threshold"), r.getDuration(PREFIX + "timeout"),
                    r.getInt(PREFIX + "endpoints"), r.getDouble(OVERLOAD));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.Generic("Bad configuration: " + e.getMessage(), e);
        }
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw bad(key, "must be a positive duration, got " + d);
        }
    }

    private static ConfigException bad(String key, String why) {
        return new ConfigException.Generic("Bad configuration: " + key + " " + why);
    }
}
