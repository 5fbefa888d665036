package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * What {@code POST /bridges/{nick}/drain} does when the request does not say: {@code focus.drain.move} (also move
 * the bridge's participants off), {@code focus.drain.rate} (endpoints per step) and {@code focus.drain.interval}
 * (between steps); defaults in focus-app's reference.conf. Read once at start-up (a reload reports a change as
 * needing a restart) and validated with every other module's settings ({@link ConfigValidators}).
 */
public record DrainSettings(boolean move, int rate, Duration interval) {
    public static final String MOVE = "focus.drain.move";
    public static final String RATE = "focus.drain.rate";
    public static final String INTERVAL = "focus.drain.interval";

    public DrainSettings {
        if (rate < 1) {
            throw new ConfigException.Generic("Bad configuration: " + RATE
                    + " must be at least 1 endpoint per step, got " + rate);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new ConfigException.Generic("Bad configuration: " + INTERVAL + " must be a positive duration, got "
                    + interval);
        }
    }

    /** @throws ConfigException naming the key when a value is bad */
    public static DrainSettings fromConfig(Config c) {
        return new DrainSettings(c.getBoolean(MOVE), c.getInt(RATE), c.getDuration(INTERVAL));
    }
}
