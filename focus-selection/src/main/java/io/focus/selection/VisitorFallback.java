package io.focus.selection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Optional;

/**
 * Jicofo's {@code VisitorSelectionStrategy} without visitors. Jicofo's strategy picks bridges for participants with
 * {@code jicofo.bridge.participant-selection-strategy} and for visitors with
 * {@code jicofo.bridge.visitor-selection-strategy}; the focus has no visitors (its conference answers say
 * {@code visitors-supported=false}), so every participant is a participant. A configuration naming it is accepted
 * and the focus selects with {@code participant-selection-strategy} when that is set, else with the default
 * {@code selection-strategy} of this module's {@code reference.conf}; the app warns once at start-up naming the
 * strategy used ({@link #warning}).
 */
public final class VisitorFallback {
    public static final String NAME = "VisitorSelectionStrategy";
    public static final String PARTICIPANT_STRATEGY = "jicofo.bridge.participant-selection-strategy";
    public static final String VISITOR_STRATEGY = "jicofo.bridge.visitor-selection-strategy";
    private static final String JICOFO_NAME = "org.jitsi.jicofo.bridge." + NAME;

    private VisitorFallback() {}

    /** True when {@code strategyName} is Jicofo's visitor strategy (simple or fully qualified, any case). */
    public static boolean names(String strategyName) {
        String n = strategyName == null ? "" : strategyName.trim();
        return n.equalsIgnoreCase(NAME) || n.equalsIgnoreCase(JICOFO_NAME);
    }

    /** The configured strategy name, or (for the visitor strategy) the one the focus uses instead. */
    static String effectiveName(String configured, Config config) {
        return names(configured) ? fallback(config) : configured;
    }

    /** True when the fallback comes from {@value #PARTICIPANT_STRATEGY} (so a bad name there names that key). */
    static boolean fromParticipantKey(String configured, Config config) {
        return names(configured) && participantStrategy(config) != null;
    }

    /**
     * The strategy used in place of the visitor strategy: {@value #PARTICIPANT_STRATEGY} when set, else the
     * default selection strategy.
     */
    static String fallback(Config config) {
        String p = participantStrategy(config);
        return p != null ? p : defaultStrategy();
    }

    /** The start-up warning for a configuration that names the visitor strategy, or empty. */
    public static Optional<String> warning(Config config) {
        String configured = config.getString(SelectionSettings.STRATEGY);
        if (!names(configured)) {
            return Optional.empty();
        }
        String p = participantStrategy(config);
        String used = p != null ? p + " (" + PARTICIPANT_STRATEGY + ")"
                : defaultStrategy() + " (the default; " + PARTICIPANT_STRATEGY + " is not set)";
        String visitors = config.hasPath(VISITOR_STRATEGY)
                ? "; " + VISITOR_STRATEGY + " = " + config.getString(VISITOR_STRATEGY) + " is not used" : "";
        return Optional.of(SelectionSettings.STRATEGY + " = " + configured + ": the focus has no visitors, so it "
                + "selects bridges for every participant with " + used + visitors);
    }

    private static String participantStrategy(Config config) {
        if (!config.hasPath(PARTICIPANT_STRATEGY)) {
            return null;
        }
        if (config.getValue(PARTICIPANT_STRATEGY).valueType() != ConfigValueType.STRING) {
            throw SelectionSettings.bad(config, PARTICIPANT_STRATEGY, "expected a strategy name", null);
        }
        String p = config.getString(PARTICIPANT_STRATEGY).trim();
        if (p.isEmpty()) {
            return null;
        }
        if (names(p)) {
            throw SelectionSettings.bad(config, PARTICIPANT_STRATEGY,
                    "expected the strategy for participants, not " + NAME + " itself", null);
        }
        return p;
    }

    private static String defaultStrategy() {
        try {
            return ConfigFactory.defaultReference(VisitorFallback.class.getClassLoader())
                    .getString(SelectionSettings.STRATEGY);
        } catch (ConfigException e) {
            throw new IllegalStateException("focus-selection's reference.conf has no " + SelectionSettings.STRATEGY, e);
        }
    }
}
