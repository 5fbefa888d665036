package io.focus.health.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * When a bridge becomes <em>suspect</em> (see {@link SuspicionTracker}), validated at construction; a bad value names
 * its key. Defaults in focus-core's {@code reference.conf} ({@code focus.bridge.suspect}).
 *
 * @param colibriDeadline {@code focus.bridge.suspect.colibri-deadline}: a Colibri2 request unanswered this long makes
 *     its bridge suspect (3 s; a fresh real bridge takes ~2 s for its first allocation). The request itself keeps
 *     waiting for its own reply timeout.
 * @param probeTimeout {@code focus.bridge.suspect.probe-timeout}: the timeout of the health check sent to a bridge as
 *     soon as it becomes suspect (1 s; the health doctor bounds it by {@code focus.health.timeout})
 * @param iceFailures {@code focus.bridge.suspect.ice-failures}: distinct participants on one bridge reporting ICE
 *     failure or asking for a restart within {@code ice-window} that make it suspect (2: one client's trouble is not
 *     the bridge's)
 * @param iceWindow {@code focus.bridge.suspect.ice-window} (10 s)
 * @param statsOverdueFactor {@code focus.bridge.suspect.stats-overdue-factor}: a bridge whose stats (presence or
 *     pubsub item) are older than this many of its stats intervals is suspect (1.5)
 * @param statsInterval {@code focus.bridge.suspect.stats-interval}: the stats interval assumed until a bridge has shown
 *     its own (the longest of its last gaps between two stats; a real JVB publishes every 5 s)
 */
public record SuspectSettings(Duration colibriDeadline, Duration probeTimeout, int iceFailures, Duration iceWindow,
                              double statsOverdueFactor, Duration statsInterval) {
    public SuspectSettings {
        positive(colibriDeadline, "focus.bridge.suspect.colibri-deadline");
        positive(probeTimeout, "focus.bridge.suspect.probe-timeout");
        if (iceFailures < 1) {
            throw bad("focus.bridge.suspect.ice-failures", "must be >= 1, got " + iceFailures);
        }
        positive(iceWindow, "focus.bridge.suspect.ice-window");
        if (!(statsOverdueFactor >= 1) || Double.isInfinite(statsOverdueFactor)) {
            throw bad("focus.bridge.suspect.stats-overdue-factor", "must be a number >= 1, got " + statsOverdueFactor);
        }
        positive(statsInterval, "focus.bridge.suspect.stats-interval");
    }

    /** The defaults of {@code reference.conf} (read from it: the values have one place), for tests and tools. */
    public static SuspectSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference(SuspectSettings.class.getClassLoader()));
    }

    public static SuspectSettings fromConfig(Config c) {
        String p = "focus.bridge.suspect.";
        try {
            return new SuspectSettings(c.getDuration(p + "colibri-deadline"), c.getDuration(p + "probe-timeout"),
                    c.getInt(p + "ice-failures"), c.getDuration(p + "ice-window"),
                    c.getDouble(p + "stats-overdue-factor"), c.getDuration(p + "stats-interval"));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.Generic("Bad configuration: " + e.getMessage(), e);
        }
    }

    /** How old a bridge's stats may get, given the stats interval it has shown (null: not shown yet). */
    public Duration statsOverdueAfter(Duration shownInterval) {
        Duration base = shownInterval != null ? shownInterval : statsInterval;
        return Duration.ofNanos((long) (base.toNanos() * statsOverdueFactor));
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
