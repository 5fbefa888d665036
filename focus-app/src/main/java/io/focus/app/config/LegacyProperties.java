package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Jicofo's legacy {@code sip-communicator.properties} keys, turned into the HOCON keys they stand for. Durations in
 * legacy keys are milliseconds. The result is layered on top of {@code jicofo.conf}: the legacy value wins, as in
 * Jicofo.
 */
public final class LegacyProperties {
    /** Keys Jicofo dropped; accepted and ignored with a warning so an old file does not stop start-up. */
    static final Set<String> REMOVED = Set.of(
            "org.jitsi.jicofo.BridgeSelector.MAX_BRIDGE_PACKET_RATE",
            "org.jitsi.jicofo.BridgeSelector.AVG_PARTICIPANT_PACKET_RATE");

    private enum Kind { STRING, INT, BOOLEAN, DOUBLE, MILLIS }

    private record Mapping(String target, Kind kind) {}

    private static final Map<String, Mapping> SIMPLE = new LinkedHashMap<>();

    static {
        m("org.jitsi.jicofo.BRIDGE_MUC", "jicofo.bridge.brewery-jid", Kind.STRING);
        m("org.jitsi.jicofo.BridgeSelector.BRIDGE_SELECTION_STRATEGY", "jicofo.bridge.selection-strategy", Kind.STRING);
        m("org.jitsi.jicofo.BridgeSelector.MAX_PARTICIPANTS_PER_BRIDGE", "jicofo.bridge.max-bridge-participants", Kind.INT);
        m("org.jitsi.jicofo.BridgeSelector.LOCAL_REGION", "jicofo.local-region", Kind.STRING);
        m("org.jitsi.focus.BRIDGE_FAILURE_RESET_THRESHOLD", "jicofo.bridge.failure-reset-threshold", Kind.MILLIS);
        m("org.jitsi.jicofo.HEALTH_CHECK_2NDTRY_DELAY", "jicofo.bridge.health-checks.retry-delay", Kind.MILLIS);
        m("org.jitsi.jicofo.HOSTNAME", "jicofo.xmpp.client.hostname", Kind.STRING);
        m("org.jitsi.jicofo.XMPP_PORT", "jicofo.xmpp.client.port", Kind.INT);
        m("org.jitsi.jicofo.FOCUS_USER_DOMAIN", "jicofo.xmpp.client.domain", Kind.STRING);
        m("org.jitsi.jicofo.FOCUS_USER_NAME", "jicofo.xmpp.client.username", Kind.STRING);
        m("org.jitsi.jicofo.FOCUS_USER_PASSWORD", "jicofo.xmpp.client.password", Kind.STRING);
        m("org.jitsi.jicofo.XMPP_DOMAIN", "jicofo.xmpp.client.xmpp-domain", Kind.STRING);
        m("org.jitsi.jicofo.ALWAYS_TRUST_MODE_ENABLED", "jicofo.xmpp.client.disable-certificate-verification", Kind.BOOLEAN);
        m("org.jitsi.jicofo.BRIDGE_MUC_XMPP_PORT", "jicofo.xmpp.service.port", Kind.INT);
        m("org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER_DOMAIN", "jicofo.xmpp.service.domain", Kind.STRING);
        m("org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER", "jicofo.xmpp.service.username", Kind.STRING);
        m("org.jitsi.jicofo.BRIDGE_MUC_XMPP_USER_PASS", "jicofo.xmpp.service.password", Kind.STRING);
        m("org.jitsi.jicofo.health.ENABLE_HEALTH_CHECKS", "jicofo.health.enabled", Kind.BOOLEAN);
        m("org.jitsi.jicofo.auth.AUTH_LIFETIME", "jicofo.authentication.authentication-lifetime", Kind.MILLIS);
        m("org.jitsi.jicofo.jibri.BREWERY", "jicofo.jibri.brewery-jid", Kind.STRING);
        m("org.jitsi.jicofo.jigasi.BREWERY", "jicofo.jigasi.brewery-jid", Kind.STRING);
        m("org.jitsi.focus.pubsub.ADDRESS", "focus.pubsub.service", Kind.STRING);
        m("org.jitsi.focus.pubsub.RETRY_INTERVAL", "focus.pubsub.retry-interval", Kind.MILLIS);
    }

    /** Legacy keys with a special rule (handled in {@link #toConfig}). */
    private static final Set<String> SPECIAL = Set.of(
            "org.jitsi.jicofo.HEALTH_CHECK_INTERVAL",
            "org.jitsi.jicofo.BRIDGE_MUC_XMPP_HOST",
            "org.jitsi.jicofo.XMPP_MUC_COMPONENT_PREFIX",
            "org.jitsi.jicofo.STATS_PUBSUB_NODE",
            "org.jitsi.focus.STATS_PUBSUB_NODE",
            "org.jitsi.jicofo.auth.URL",
            "org.jitsi.jicofo.auth.DISABLE_AUTOLOGIN");

    /** Every legacy key the focus reads: what an unknown one is compared with for a suggestion. */
    private static final Set<String> KNOWN = new TreeSet<>();

    static {
        KNOWN.addAll(SIMPLE.keySet());
        KNOWN.addAll(SPECIAL);
    }

    private static void m(String legacy, String target, Kind kind) {
        SIMPLE.put(legacy, new Mapping(target, kind));
    }

    /** The HOCON key a simple legacy key maps to, or null (for tests and the sample's documentation). */
    static String targetOf(String legacyKey) {
        Mapping mapping = SIMPLE.get(legacyKey);
        return mapping == null ? null : mapping.target();
    }

    private final Properties props;
    private final String origin;
    private final List<String> warnings = new ArrayList<>();

    private LegacyProperties(Properties props, String origin) {
        this.props = props;
        this.origin = origin;
    }

    public static LegacyProperties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        return new LegacyProperties(p, file.toString());
    }

    static LegacyProperties of(Properties p, String origin) {
        return new LegacyProperties(p, origin);
    }

    /** Warnings for keys that were ignored (removed by Jicofo, or not ones the focus knows). */
    public List<String> warnings() { return List.copyOf(warnings); }

    /**
     * @param below the configuration the legacy keys override (some legacy keys combine with it, e.g. the MUC
     *     component prefix with the XMPP domain)
     * @return only the keys set by the legacy file, to be layered on top of {@code below}
     */
    public Config toConfig(Config below) throws ConfigError {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key).strip();
            Mapping mapping = SIMPLE.get(key);
            if (mapping != null) {
                out.put(mapping.target(), convert(key, value, mapping.kind()));
            } else if (REMOVED.contains(key)) {
                warnings.add("legacy property " + key + " (" + origin + ") was removed from Jicofo and is ignored");
            } else if (!SPECIAL.contains(key)) {
                if (key.startsWith("org.jitsi.jicofo.") || key.startsWith("org.jitsi.focus.")) {
                    warnings.add("legacy property " + key + " (" + origin + ") is not used by the focus and is ignored"
                            + KeySuggestion.didYouMean(key, KNOWN, '.'));
                }
            }
        }

        String interval = props.getProperty("org.jitsi.jicofo.HEALTH_CHECK_INTERVAL");
        if (interval != null) {
            long ms = (Long) convert("org.jitsi.jicofo.HEALTH_CHECK_INTERVAL", interval.strip(), Kind.INT);
            out.put("jicofo.bridge.health-checks.enabled", ms > 0);
            if (ms > 0) {
                out.put("jicofo.bridge.health-checks.interval", ms + " ms");
            }
        }

        String serviceHost = props.getProperty("org.jitsi.jicofo.BRIDGE_MUC_XMPP_HOST");
        if (serviceHost != null && !serviceHost.isBlank()) {
            out.put("jicofo.xmpp.service.hostname", serviceHost.strip());
            out.put("jicofo.xmpp.service.enabled", true);
        }

        String prefix = props.getProperty("org.jitsi.jicofo.XMPP_MUC_COMPONENT_PREFIX");
        if (prefix != null && !prefix.isBlank()) {
            Object domain = out.get("jicofo.xmpp.client.xmpp-domain");
            if (domain == null && below.hasPath("jicofo.xmpp.client.xmpp-domain")) {
                domain = below.getString("jicofo.xmpp.client.xmpp-domain");
            }
            if (domain == null) {
                throw ConfigError.bad("org.jitsi.jicofo.XMPP_MUC_COMPONENT_PREFIX", prefix, origin,
                        "jicofo.xmpp.client.xmpp-domain (or org.jitsi.jicofo.XMPP_DOMAIN) to be set as well");
            }
            out.put("jicofo.xmpp.client.conference-muc-jid", prefix.strip() + "." + domain);
        }

        String node = props.getProperty("org.jitsi.jicofo.STATS_PUBSUB_NODE");
        if (node == null) {
            node = props.getProperty("org.jitsi.focus.STATS_PUBSUB_NODE");
        }
        if (node != null && !node.isBlank()) {
            out.put("focus.pubsub.node", node.strip());
            // focus-core's focus.discovery.mode: muc | pubsub | both. A legacy pubsub setup adds pubsub; it keeps
            // the brewery MUC as well when one is configured.
            String mode = below.getString("focus.discovery.mode");
            boolean brewery = out.containsKey("jicofo.bridge.brewery-jid") || below.hasPath("jicofo.bridge.brewery-jid");
            out.put("focus.discovery.mode", mode.equals("pubsub") || !brewery ? "pubsub" : "both");
        }

        String authUrl = props.getProperty("org.jitsi.jicofo.auth.URL");
        if (authUrl != null && !authUrl.isBlank()) {
            String u = authUrl.strip();
            out.put("jicofo.authentication.enabled", true);
            if (u.startsWith("XMPP:")) {
                out.put("jicofo.authentication.type", "XMPP");
                out.put("jicofo.authentication.login-url", u.substring("XMPP:".length()));
            } else if (u.startsWith("EXT_JWT:")) {
                out.put("jicofo.authentication.type", "JWT");
                out.put("jicofo.authentication.login-url", u.substring("EXT_JWT:".length()));
            } else {
                out.put("jicofo.authentication.type", "SHIBBOLETH");
                out.put("jicofo.authentication.login-url", u);
            }
        }
        String noAutoLogin = props.getProperty("org.jitsi.jicofo.auth.DISABLE_AUTOLOGIN");
        if (noAutoLogin != null) {
            boolean disabled = (Boolean) convert("org.jitsi.jicofo.auth.DISABLE_AUTOLOGIN", noAutoLogin.strip(), Kind.BOOLEAN);
            out.put("jicofo.authentication.enable-auto-login", !disabled);
        }

        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : out.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), origin + " (legacy)"));
        }
        return c;
    }

    private Object convert(String key, String value, Kind kind) throws ConfigError {
        switch (kind) {
            case STRING:
                return value;
            case BOOLEAN: {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.equals("true") || v.equals("false")) {
                    return Boolean.parseBoolean(v);
                }
                throw ConfigError.bad(key, value, origin, "true or false");
            }
            case INT:
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw ConfigError.bad(key, value, origin, "a whole number");
                }
            case DOUBLE:
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw ConfigError.bad(key, value, origin, "a number");
                }
            case MILLIS:
                try {
                    long ms = Long.parseLong(value);
                    if (ms < 0) {
                        throw new NumberFormatException();
                    }
                    return ms + " ms";
                } catch (NumberFormatException e) {
                    throw ConfigError.bad(key, value, origin, "a duration in milliseconds (a whole number >= 0)");
                }
            default:
                throw new IllegalStateException(kind.toString());
        }
    }
}
