package io.focus.selection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selection settings, typed and validated once from the loaded configuration. Jicofo's keys under
 * {@code jicofo.bridge}, {@code jicofo.local-region} and {@code jicofo.octo}; ours under {@code focus.selection}.
 * Defaults come from this module's {@code reference.conf}, which is layered under whatever the app passes in, so
 * a partial config (e.g. in a test) still works. A bad value throws {@link ConfigException.BadValue} naming the key.
 */
public final class SelectionSettings {
    public static final String STRATEGY = "jicofo.bridge.selection-strategy";
    public static final String STRESS_THRESHOLD = "jicofo.bridge.stress-threshold";
    public static final String MAX_BRIDGE_PARTICIPANTS = "jicofo.bridge.max-bridge-participants";
    public static final String MAX_PER_INTERVAL = "jicofo.bridge.max-bridge-participants-per-interval";
    public static final String MAX_INTERVAL = "jicofo.bridge.max-bridge-participants-interval";
    public static final String AVERAGE_PARTICIPANT_STRESS = "jicofo.bridge.average-participant-stress";
    public static final String RAMPUP_INTERVAL = "jicofo.bridge.participant-rampup-interval";
    public static final String REGION_GROUPS = "jicofo.bridge.region-groups";
    public static final String LOCAL_REGION = "jicofo.local-region";
    public static final String OCTO_ENABLED = "jicofo.octo.enabled";
    public static final String ALLOW_MIXED_VERSIONS = "jicofo.octo.allow-mixed-versions";
    public static final String MAX_PARTICIPANTS_PER_BRIDGE = "focus.selection.max-participants-per-bridge";
    public static final String MAX_CONFERENCES_PER_BRIDGE = "focus.selection.max-conferences-per-bridge";
    public static final String LOG_INTERVAL = "focus.selection.log-interval";

    private final String strategyName;
    private final double stressThreshold;
    private final int maxBridgeParticipants;
    private final int maxParticipantsPerInterval;
    private final Duration maxParticipantsInterval;
    private final double averageParticipantStress;
    private final Duration participantRampupInterval;
    private final Map<String, Set<String>> regionGroups;
    private final String localRegion;
    private final boolean octoEnabled;
    private final boolean allowMixedVersions;
    private final int maxParticipantsPerBridge;
    private final int maxConferencesPerBridge;
    private final Duration logInterval;

    private SelectionSettings(Config raw) {
        Config c = raw.withFallback(ConfigFactory.defaultReference(SelectionSettings.class.getClassLoader())).resolve();
        strategyName = nonBlankString(c, STRATEGY);
        stressThreshold = positiveDouble(c, STRESS_THRESHOLD);
        maxBridgeParticipants = limit(c, MAX_BRIDGE_PARTICIPANTS);
        maxParticipantsPerInterval = limit(c, MAX_PER_INTERVAL);
        maxParticipantsInterval = positiveDuration(c, MAX_INTERVAL);
        averageParticipantStress = nonNegativeDouble(c, AVERAGE_PARTICIPANT_STRESS);
        participantRampupInterval = positiveDuration(c, RAMPUP_INTERVAL);
        regionGroups = regionGroups(c);
        localRegion = optionalString(c, LOCAL_REGION);
        octoEnabled = bool(c, OCTO_ENABLED);
        allowMixedVersions = bool(c, ALLOW_MIXED_VERSIONS);
        maxParticipantsPerBridge = limit(c, MAX_PARTICIPANTS_PER_BRIDGE);
        maxConferencesPerBridge = limit(c, MAX_CONFERENCES_PER_BRIDGE);
        logInterval = positiveDuration(c, LOG_INTERVAL);
    }

    /** Reads and validates the settings; the module's defaults fill what {@code config} does not set. */
    public static SelectionSettings from(Config config) {
        return new SelectionSettings(config);
    }

    /** The defaults alone. */
    public static SelectionSettings defaults() {
        return new SelectionSettings(ConfigFactory.empty());
    }

    /** The configured strategy name, as written ({@value #STRATEGY}). */
    public String strategyName() { return strategyName; }
    public double stressThreshold() { return stressThreshold; }
    /** Per conference per bridge; 0 when there is no maximum (configured as -1). */
    public int maxBridgeParticipants() { return maxBridgeParticipants; }
    /** Per conference per bridge per interval; 0 when off (configured as -1). */
    public int maxParticipantsPerInterval() { return maxParticipantsPerInterval; }
    public Duration maxParticipantsInterval() { return maxParticipantsInterval; }
    public double averageParticipantStress() { return averageParticipantStress; }
    public Duration participantRampupInterval() { return participantRampupInterval; }
    public String localRegion() { return localRegion; }
    public boolean octoEnabled() { return octoEnabled; }
    public boolean allowMixedVersions() { return allowMixedVersions; }
    /** Absolute cap on endpoints per bridge; 0 when there is none (configured as -1). */
    public int maxParticipantsPerBridge() { return maxParticipantsPerBridge; }
    /** Absolute cap on conferences per bridge; 0 when there is none (configured as -1). */
    public int maxConferencesPerBridge() { return maxConferencesPerBridge; }
    public Duration logInterval() { return logInterval; }

    /**
     * The region group of {@code region}, as Jicofo defines it: null gives the empty set, a region in no group gives
     * a set of itself.
     */
    public Set<String> regionGroup(String region) {
        if (region == null) {
            return Set.of();
        }
        Set<String> g = regionGroups.get(region);
        return g != null ? g : Set.of(region);
    }

    /** Every configured group, keyed by each of its members. */
    public Map<String, Set<String>> regionGroups() { return regionGroups; }

    @Override public String toString() {
        return "SelectionSettings[strategy=" + strategyName + ", stress-threshold=" + stressThreshold
                + ", max-bridge-participants=" + maxBridgeParticipants
                + ", max-bridge-participants-per-interval=" + maxParticipantsPerInterval + "/" + maxParticipantsInterval
                + ", region-groups=" + new LinkedHashSet<>(regionGroups.values()) + ", local-region=" + localRegion
                + ", octo=" + octoEnabled + ", allow-mixed-versions=" + allowMixedVersions
                + ", max-participants-per-bridge=" + maxParticipantsPerBridge
                + ", max-conferences-per-bridge=" + maxConferencesPerBridge + "]";
    }

    // ---- validation ------------------------------------------------------------------------------------------

    static ConfigException.BadValue bad(Config c, String path, String expected, Throwable cause) {
        String msg = expected;
        if (c.hasPathOrNull(path)) {
            ConfigValue v = c.getValue(path);
            msg = expected + ", got " + v.render();
            return new ConfigException.BadValue(v.origin(), path, msg, cause);
        }
        return new ConfigException.BadValue(path, msg, cause);
    }

    private static String nonBlankString(Config c, String path) {
        String s = optionalString(c, path);
        if (s == null) {
            throw bad(c, path, "expected a strategy name or class name", null);
        }
        return s;
    }

    private static String optionalString(Config c, String path) {
        if (!c.hasPath(path)) {
            return null;
        }
        ConfigValue v = c.getValue(path);
        if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER
                && v.valueType() != ConfigValueType.BOOLEAN) {
            throw bad(c, path, "expected a string", null);
        }
        String s = String.valueOf(v.unwrapped()).trim();
        return s.isEmpty() ? null : s;
    }

    private static double positiveDouble(Config c, String path) {
        double d = dbl(c, path, "expected a number greater than 0");
        if (!(d > 0) || !Double.isFinite(d)) {
            throw bad(c, path, "expected a number greater than 0", null);
        }
        return d;
    }

    private static double nonNegativeDouble(Config c, String path) {
        double d = dbl(c, path, "expected a number at least 0");
        if (!(d >= 0) || !Double.isFinite(d)) {
            throw bad(c, path, "expected a number at least 0", null);
        }
        return d;
    }

    private static double dbl(Config c, String path, String expected) {
        try {
            return c.getDouble(path);
        } catch (ConfigException.WrongType | ConfigException.Null e) {
            throw bad(c, path, expected, e);
        }
    }

    /** A limit: a positive integer, or -1 (also 0, as Jicofo treats it) for none; returned as 0 for none. */
    private static int limit(Config c, String path) {
        String expected = "expected a positive integer, or -1 for no limit";
        int v;
        try {
            ConfigValue cv = c.getValue(path);
            if (cv.valueType() != ConfigValueType.NUMBER && cv.valueType() != ConfigValueType.STRING) {
                throw bad(c, path, expected, null);
            }
            double d = c.getDouble(path);
            if (d != Math.rint(d) || d > Integer.MAX_VALUE) {
                throw bad(c, path, expected, null);
            }
            v = (int) d;
        } catch (ConfigException.WrongType | ConfigException.Null e) {
            throw bad(c, path, expected, e);
        }
        if (v < -1) {
            throw bad(c, path, expected, null);
        }
        return Math.max(0, v);
    }

    private static Duration positiveDuration(Config c, String path) {
        String expected = "expected a positive duration such as \"20 seconds\"";
        Duration d;
        try {
            d = c.getDuration(path);
        } catch (ConfigException.WrongType | ConfigException.BadValue | ConfigException.Null e) {
            throw bad(c, path, expected, e);
        }
        if (d.isZero() || d.isNegative()) {
            throw bad(c, path, expected, null);
        }
        return d;
    }

    private static boolean bool(Config c, String path) {
        try {
            return c.getBoolean(path);
        } catch (ConfigException.WrongType | ConfigException.Null e) {
            throw bad(c, path, "expected true or false", e);
        }
    }

    private static Map<String, Set<String>> regionGroups(Config c) {
        String expected = "expected a list of lists of region names, e.g. [[\"us-east\", \"us-west\"], [\"eu-west\"]],"
                + " each region in at most one group";
        List<?> outer;
        try {
            outer = c.getList(REGION_GROUPS).unwrapped();
        } catch (ConfigException.WrongType e) {
            throw bad(c, REGION_GROUPS, expected, e);
        }
        Map<String, Set<String>> byRegion = new HashMap<>();
        for (Object g : outer) {
            if (!(g instanceof List<?> members)) {
                throw bad(c, REGION_GROUPS, expected, null);
            }
            Set<String> group = new LinkedHashSet<>();
            for (Object m : members) {
                if (!(m instanceof String s) || s.isBlank()) {
                    throw bad(c, REGION_GROUPS, expected, null);
                }
                group.add(s.trim());
            }
            Set<String> frozen = Collections.unmodifiableSet(group);
            for (String r : frozen) {
                if (byRegion.put(r, frozen) != null) {
                    throw bad(c, REGION_GROUPS, expected + " (\"" + r + "\" is in two groups)", null);
                }
            }
        }
        return Collections.unmodifiableMap(byRegion);
    }
}
