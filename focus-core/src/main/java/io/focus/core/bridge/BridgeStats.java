package io.focus.core.bridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The colibri stats a bridge published (in its brewery presence, or as a pubsub item), as name → raw string value.
 * Typed accessors return null when a stat is absent <em>or</em> unparseable; {@link #unparseable(String)} tells the
 * two apart so the registry can log a bad value once per bridge.
 */
public final class BridgeStats {
    public static final String STRESS_LEVEL = "stress_level";
    public static final String AVERAGE_PARTICIPANT_STRESS = "average_participant_stress";
    public static final String REGION = "region";
    public static final String RELAY_ID = "relay_id";
    public static final String VERSION = "version";
    public static final String RELEASE = "release";
    public static final String DRAIN = "drain";
    public static final String GRACEFUL_SHUTDOWN = "graceful_shutdown";
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String HEALTHY = "healthy";
    public static final String CURRENT_TIMESTAMP = "current_timestamp";
    public static final String UPTIME = "uptime";
    public static final String CONFERENCES = "conferences";
    public static final String PARTICIPANTS = "participants";

    private final Map<String, String> values;

    public BridgeStats(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, String> asMap() { return values; }
    public String raw(String name) { return values.get(name); }
    public boolean has(String name) { return values.containsKey(name); }

    public Double stressLevel() { return dbl(STRESS_LEVEL); }
    public Double averageParticipantStress() { return dbl(AVERAGE_PARTICIPANT_STRESS); }
    public String region() { return str(REGION); }
    public String relayId() { return str(RELAY_ID); }
    public String version() { return str(VERSION); }
    public String release() { return str(RELEASE); }
    public Boolean drain() { return bool(DRAIN); }
    public Boolean gracefulShutdown() { return bool(GRACEFUL_SHUTDOWN); }
    public Boolean shuttingDown() { return bool(SHUTTING_DOWN); }
    public Boolean healthy() { return bool(HEALTHY); }
    /** Seconds the bridge has been up, when it reports it (used to notice a restart). */
    public Double uptime() { return dbl(UPTIME); }

    /** {@code version-release} if both are known, else the version, else null (as Jicofo's fullVersion). */
    public String fullVersion() {
        String v = version();
        String r = release();
        return v != null && r != null ? v + "-" + r : v;
    }

    /** The stat is present but its value cannot be read as the type the focus expects. */
    public boolean unparseable(String name) {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        switch (name) {
            case STRESS_LEVEL, AVERAGE_PARTICIPANT_STRESS, UPTIME:
                return parseDouble(v) == null;
            case DRAIN, GRACEFUL_SHUTDOWN, SHUTTING_DOWN, HEALTHY:
                return parseBool(v) == null;
            default:
                return false;
        }
    }

    private String str(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private Double dbl(String name) {
        String v = values.get(name);
        return v == null ? null : parseDouble(v);
    }

    private Boolean bool(String name) {
        String v = values.get(name);
        return v == null ? null : parseBool(v);
    }

    static Double parseDouble(String v) {
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Boolean parseBool(String v) {
        String t = v.trim();
        if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (t.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    @Override public String toString() { return "BridgeStats" + values; }
}
