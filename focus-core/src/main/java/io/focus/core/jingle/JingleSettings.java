package io.focus.core.jingle;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

/**
 * The source-signalling keys of {@code jicofo.conference}: {@code max-ssrcs-per-user} (20),
 * {@code max-ssrc-groups-per-user} (same), {@code use-json-encoded-sources} (true), {@code strip-simulcast} (true).
 */
public record JingleSettings(int maxSsrcsPerUser, int maxSsrcGroupsPerUser, boolean useJsonEncodedSources,
                             boolean stripSimulcast) {
    public static final String PATH = "jicofo.conference";

    public static JingleSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        int ssrcs = c.getInt("max-ssrcs-per-user");
        int groups = c.getInt("max-ssrc-groups-per-user");
        if (ssrcs < 0) {
            throw new ConfigException.BadValue(c.origin(), PATH + ".max-ssrcs-per-user", "must not be negative");
        }
        if (groups < 0) {
            throw new ConfigException.BadValue(c.origin(), PATH + ".max-ssrc-groups-per-user",
                    "must not be negative");
        }
        return new JingleSettings(ssrcs, groups, c.getBoolean("use-json-encoded-sources"),
                c.getBoolean("strip-simulcast"));
    }

    public static JingleSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference().resolve());
    }
}
