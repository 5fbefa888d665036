package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks the app owns: what must be set (brewery, credentials), and the type of every key the focus knows,
 * so a typo in a duration stops start-up with the key instead of surfacing later in some module.
 */
public final class AppConfigValidator implements ConfigValidator {
    static final List<String> DURATIONS = List.of(
            "jicofo.bridge.failure-reset-threshold",
            "jicofo.bridge.participant-rampup-interval",
            "jicofo.bridge.max-bridge-participants-interval",
            "jicofo.bridge.health-checks.interval",
            "jicofo.bridge.health-checks.retry-delay",
            "jicofo.bridge.health-checks.presence-timeout",
            "jicofo.bridge.ice-failure-detection.interval",
            "jicofo.bridge.ice-failure-detection.timeout",
            "jicofo.bridge.load-redistribution.interval",
            "jicofo.bridge.load-redistribution.timeout",
            "jicofo.xmpp.client.reply-timeout",
            "jicofo.xmpp.service.reply-timeout",
            "jicofo.conference.initial-timeout",
            "jicofo.conference.single-participant-timeout",
            "jicofo.health.interval",
            "jicofo.health.timeout",
            "jicofo.health.max-check-duration",
            "jicofo.metrics.update-interval",
            "focus.health.timeout",
            "focus.brewery.reconnect-grace-period",
            "focus.pubsub.retry-interval",
            "focus.shutdown.timeout",
            "focus.startup.xmpp-timeout",
            "focus.startup.brewery-timeout",
            "focus.brewery.plain-leave-delay",
            "focus.xmpp.ping-interval",
            "focus.xmpp.ping-timeout",
            "focus.drain.interval",
            "focus.octo.relay-retry-backoff",
            "focus.bridge.suspect.colibri-deadline",
            "focus.bridge.suspect.probe-timeout",
            "focus.bridge.suspect.ice-window",
            "focus.bridge.suspect.stats-interval",
            "focus.conference.rejoin-timeout");

    static final List<String> PORTS = List.of(
            "jicofo.xmpp.client.port", "jicofo.xmpp.service.port", "jicofo.rest.port");

    static final List<String> INTS = List.of(
            "jicofo.bridge.max-bridge-participants",
            "jicofo.bridge.max-bridge-participants-per-interval",
            "jicofo.bridge.ice-failure-detection.min-endpoints",
            "jicofo.bridge.load-redistribution.endpoints",
            "jicofo.conference.min-participants",
            "focus.octo.relay-max-attempts",
            "focus.health.misses",
            "focus.debug.selection-log-size",
            "focus.rest.threads",
            "focus.drain.rate",
            "focus.bridge.suspect.ice-failures",
            "focus.xmpp.sender-burst");

    static final List<String> NUMBERS = List.of(
            "jicofo.bridge.stress-threshold",
            "jicofo.bridge.average-participant-stress",
            "jicofo.bridge.ice-failure-detection.threshold",
            "jicofo.bridge.load-redistribution.stress-threshold",
            "focus.bridge.suspect.stats-overdue-factor",
            "focus.xmpp.max-stanzas-per-second-per-sender");

    static final List<String> BOOLEANS = List.of(
            "jicofo.bridge.health-checks.enabled",
            "jicofo.bridge.health-checks.use-presence",
            "jicofo.bridge.ice-failure-detection.enabled",
            "jicofo.bridge.load-redistribution.enabled",
            "jicofo.octo.enabled",
            "focus.drain.move",
            "jicofo.octo.allow-mixed-versions",
            "jicofo.octo.sctp-datachannels",
            "jicofo.sctp.enabled",
            "jicofo.xmpp.client.enabled",
            "jicofo.xmpp.client.use-tls",
            "jicofo.xmpp.client.disable-certificate-verification",
            "jicofo.xmpp.service.enabled",
            "jicofo.xmpp.service.use-tls",
            "jicofo.xmpp.service.disable-certificate-verification",
            "jicofo.health.enabled",
            "jicofo.rest.enabled",
            "focus.shutdown.expire-conferences",
            "focus.rest.allow-open-admin");

    @Override
    public void validate(Config c) throws ConfigError {
        String mode = c.getString("focus.discovery.mode");
        if (!mode.equals("muc") && !mode.equals("pubsub") && !mode.equals("both")) {
            throw ConfigError.bad("focus.discovery.mode", mode, origin(c, "focus.discovery.mode"), "muc, pubsub or both");
        }
        if (!mode.equals("pubsub")) {
            requireString(c, "jicofo.bridge.brewery-jid",
                    "the brewery MUC's JID, e.g. JvbBrewery@internal.auth.meet.example.com (legacy org.jitsi.jicofo.BRIDGE_MUC)");
            String brewery = c.getString("jicofo.bridge.brewery-jid");
            if (!brewery.contains("@") || brewery.contains("/") || brewery.startsWith("@") || brewery.endsWith("@")) {
                throw ConfigError.bad("jicofo.bridge.brewery-jid", brewery, origin(c, "jicofo.bridge.brewery-jid"),
                        "a bare room JID like JvbBrewery@internal.auth.meet.example.com");
            }
        }
        if (!mode.equals("muc")) {
            requireString(c, "focus.pubsub.service",
                    "the pubsub service bridges publish stats to, since focus.discovery.mode = " + mode
                            + " (legacy org.jitsi.focus.pubsub.ADDRESS)");
            requireString(c, "focus.pubsub.node",
                    "the stats pubsub node, since focus.discovery.mode = " + mode
                            + " (legacy org.jitsi.jicofo.STATS_PUBSUB_NODE)");
        }

        if (!c.hasPath("jicofo.xmpp.client.domain")) {
            requireString(c, "jicofo.xmpp.client.xmpp-domain",
                    "the XMPP domain of the Jitsi Meet server, e.g. meet.example.com (JICOFO_HOSTNAME in /etc/jitsi/jicofo/config)");
        }
        requireString(c, "jicofo.xmpp.client.username", "the focus user's name, normally focus");
        requireString(c, "jicofo.xmpp.client.password",
                "the focus user's password (JICOFO_AUTH_PASSWORD in /etc/jitsi/jicofo/config)");
        // A service connection without its own domain, username or password uses the client's (XmppSettings).
        if (bool(c, "jicofo.xmpp.service.enabled") && c.hasPath("jicofo.xmpp.service.password")) {
            requireString(c, "jicofo.xmpp.service.password",
                    "the service connection's password (or leave it unset to use the client's)");
        }

        for (String k : DURATIONS) {
            if (c.hasPath(k)) {
                try {
                    if (c.getDuration(k).isNegative()) {
                        throw ConfigError.bad(k, raw(c, k), origin(c, k), "a duration >= 0");
                    }
                } catch (ConfigException e) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a duration such as 10 seconds, 500 ms or 2 minutes");
                }
            }
        }
        for (String k : PORTS) {
            if (c.hasPath(k)) {
                int port;
                try {
                    port = c.getInt(k);
                } catch (ConfigException e) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a port number 0-65535");
                }
                if (port < 0 || port > 65535) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a port number 0-65535");
                }
            }
        }
        for (String k : INTS) {
            if (c.hasPath(k)) {
                try {
                    c.getInt(k);
                } catch (ConfigException e) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a whole number");
                }
            }
        }
        for (String k : NUMBERS) {
            if (c.hasPath(k)) {
                double d;
                try {
                    d = c.getDouble(k);
                } catch (ConfigException e) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a number");
                }
                if (!Double.isFinite(d) || d < 0) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "a number >= 0");
                }
            }
        }
        for (String k : BOOLEANS) {
            if (c.hasPath(k)) {
                try {
                    c.getBoolean(k);
                } catch (ConfigException e) {
                    throw ConfigError.bad(k, raw(c, k), origin(c, k), "true or false");
                }
            }
        }
        if (c.getInt("focus.rest.threads") < 1) {
            throw ConfigError.bad("focus.rest.threads", raw(c, "focus.rest.threads"), origin(c, "focus.rest.threads"),
                    "at least 1 HTTP worker thread");
        }
        String groups = "jicofo.bridge.region-groups";
        ConfigValue v = c.getValue(groups);
        boolean ok = v.valueType() == ConfigValueType.LIST;
        if (ok) {
            for (Object group : (List<?>) v.unwrapped()) {
                if (!(group instanceof List<?> l) || l.stream().anyMatch(r -> !(r instanceof String))) {
                    ok = false;
                }
            }
        }
        if (!ok) {
            throw ConfigError.bad(groups, v.render(com.typesafe.config.ConfigRenderOptions.concise()), origin(c, groups),
                    "a list of lists of region names, e.g. [[\"us-east\", \"us-west\"], [\"eu-central\", \"eu-west\"]]");
        }
        String f = c.getString("focus.rest.token-file");
        if (!f.isBlank() && !Files.isReadable(Path.of(f))) {
            throw ConfigError.bad("focus.rest.token-file", f, origin(c, "focus.rest.token-file"),
                    "a readable file holding the admin API's bearer token");
        }
        String d = c.getString("focus.state.directory");
        if (!d.isBlank() && !usableDirectory(Path.of(d))) {
            throw ConfigError.bad("focus.state.directory", d, origin(c, "focus.state.directory"),
                    "a directory the focus can create and write (the package's is /var/lib/focus), or \"\" to "
                            + "save nothing");
        }
        OpenAdminCheck.validate(c);
    }

    /** An existing writable directory, or one that can be created under an existing writable parent. */
    static boolean usableDirectory(Path d) {
        Path p = d.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }

    private static void requireString(Config c, String key, String expected) throws ConfigError {
        if (!c.hasPath(key)) {
            throw ConfigError.missing(key, expected);
        }
        ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
            throw ConfigError.bad(key, v.render(), v.origin().description(), expected);
        }
        if (c.getString(key).isBlank()) {
            throw ConfigError.missing(key, expected);
        }
    }

    private static boolean bool(Config c, String key) throws ConfigError {
        try {
            return c.getBoolean(key);
        } catch (ConfigException e) {
            throw ConfigError.bad(key, raw(c, key), origin(c, key), "true or false");
        }
    }

    private static Object raw(Config c, String key) {
        return c.getValue(key).unwrapped();
    }

    private static String origin(Config c, String key) {
        return c.getValue(key).origin().description();
    }

    /** A Typesafe exception from some module's settings, as one line with the key. */
    static ConfigError fromTypesafe(ConfigException e) {
        String msg = e.getMessage();
        if (e instanceof ConfigException.BadValue bv) {
            return new ConfigError(null, msg, bv);
        }
        return new ConfigError(null, msg == null ? e.toString() : msg, e);
    }
}
