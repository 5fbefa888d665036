package io.focus.conference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * How conferences come back after XMPP trouble ({@code focus.conference.rejoin-timeout}; the default lives in
 * focus-core's {@code reference.conf}).
 *
 * @param rejoinTimeout how long a participant whose client session the server dropped (a Prosody restart destroys
 *     every session and room) keeps its place and its endpoint on the bridge while it comes back; a conference nobody
 *     came back to ends then and is expired on its bridges. A restarted focus keeps the bridge conferences it took
 *     back for the same time before it expires what nobody came back for.
 */
public record RecoverySettings(Duration rejoinTimeout) {
    public RecoverySettings {
        if (rejoinTimeout == null || rejoinTimeout.isZero() || rejoinTimeout.isNegative()) {
            throw new IllegalArgumentException("focus.conference.rejoin-timeout must be a positive duration: "
                    + rejoinTimeout);
        }
    }

    /** The reference defaults. */
    public static RecoverySettings defaults() {
        return fromConfig(ConfigFactory.empty());
    }

    /** @throws ConfigException naming the key when the value is bad */
    public static RecoverySettings fromConfig(Config raw) {
        Config c = raw.withFallback(ConfigFactory.defaultReference(RecoverySettings.class.getClassLoader())).resolve();
        try {
            return new RecoverySettings(c.getDuration("focus.conference.rejoin-timeout"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic(e.getMessage());
        }
    }
}
