package io.focus.app.wiring;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the conference service starts and stops (fixed for the process's life; defaults in focus-app's
 * {@code reference.conf}).
 *
 * @param breweryTimeout {@code focus.startup.brewery-timeout}: how long taking the saved rooms back waits for the
 *     brewery join
 * @param stateDirectory {@code focus.state.directory}; empty when unset (blank): nothing is saved
 * @param expireOnStop {@code focus.shutdown.expire-conferences}
 * @param stopTimeout {@code focus.shutdown.timeout}: the longest wait for leaving the rooms
 */
public record ConferenceServiceSettings(Duration breweryTimeout, Optional<Path> stateDirectory, boolean expireOnStop,
                                        Duration stopTimeout) {
    public static ConferenceServiceSettings fromConfig(Config c) {
        String dir = c.getString("focus.state.directory");
        return new ConferenceServiceSettings(c.getDuration("focus.startup.brewery-timeout"),
                dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir)),
                c.getBoolean("focus.shutdown.expire-conferences"), c.getDuration("focus.shutdown.timeout"));
    }
}
