package io.focus.health.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Typed, validated settings of the {@link BridgeRegistry}.
 *
 * @param averageParticipantStress {@code jicofo.bridge.average-participant-stress}: per-participant stress used for
 *     corrected stress until a bridge reports its own {@code average_participant_stress}
 * @param rampupInterval {@code jicofo.bridge.participant-rampup-interval}: how long an endpoint the focus placed counts
 *     as "recently added" (20 s)
 * @param failureResetThreshold {@code jicofo.bridge.failure-reset-threshold}: a failed bridge is operational again
 *     only after a passing health check <em>and</em> this long since its last failure (1 minute)
 * @param refreshInterval {@code focus.bridge.refresh-interval}: how often the registry re-publishes when the ramp-up
 *     window slides or a failure-reset period ends (1 s)
 */
public record RegistrySettings(double averageParticipantStress, Duration rampupInterval,
                               Duration failureResetThreshold, Duration refreshInterval) {
    public RegistrySettings {
        if (!(averageParticipantStress >= 0) || Double.isInfinite(averageParticipantStress)) {
            throw new IllegalArgumentException("jicofo.bridge.average-participant-stress must be >= 0, got "
                    + averageParticipantStress);
        }
        requirePositive(rampupInterval, "jicofo.bridge.participant-rampup-interval");
        if (failureResetThreshold == null || failureResetThreshold.isNegative()) {
            throw new IllegalArgumentException("jicofo.bridge.failure-reset-threshold must be >= 0");
        }
        requirePositive(refreshInterval, "focus.bridge.refresh-interval");
    }

    /** The defaults of {@code reference.conf}. */
    public static RegistrySettings defaults() {
        return fromConfig(ConfigFactory.defaultReference(RegistrySettings.class.getClassLoader()));
    }

    public static RegistrySettings fromConfig(Config c) {
        try {
            return new RegistrySettings(
                    c.getDouble("jicofo.bridge.average-participant-stress"),
                    c.getDuration("jicofo.bridge.participant-rampup-interval"),
                    c.getDuration("jicofo.bridge.failure-reset-threshold"),
                    c.getDuration("focus.bridge.refresh-interval"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic(e.getMessage(), e);
        }
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
        }
    }
}
