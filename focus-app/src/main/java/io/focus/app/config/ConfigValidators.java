package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.List;

/** The validators that run on every load and reload. */
public final class ConfigValidators {
    private ConfigValidators() {}

    /**
     * BINDING POINT for the other modules' settings: add a validator that builds their typed settings, e.g.
     * {@code c -> SelectionSettings.from(c)} and {@code c -> StrategyLookup.validate(c)} (focus-selection) and the
     * health doctor's settings (focus-health), mapping their {@link ConfigException} with {@link #wrap}. Until
     * then the strategy name is checked for its type only ({@link #strategyType}).
     */
    public static List<ConfigValidator> standard() {
        return List.of(new AppConfigValidator(), ConfigValidators::strategyType);
    }

    /** {@code jicofo.bridge.selection-strategy} must be a non-empty string (its name is checked by focus-selection). */
    static void strategyType(Config c) throws ConfigError {
        String key = "jicofo.bridge.selection-strategy";
        if (!c.hasPath(key)) {
            return;
        }
        if (c.getValue(key).valueType() != ConfigValueType.STRING || c.getString(key).isBlank()) {
            throw ConfigError.bad(key, c.getValue(key).unwrapped(), c.getValue(key).origin().description(),
                    "a strategy name (e.g. SingleBridgeSelectionStrategy, RegionBasedBridgeSelectionStrategy) or a fully qualified class name");
        }
    }

    /** Runs a settings constructor that throws Typesafe's exceptions and turns them into one-line errors. */
    public static ConfigValidator wrap(java.util.function.Consumer<Config> settingsFactory) {
        return c -> {
            try {
                settingsFactory.accept(c);
            } catch (ConfigException e) {
                throw AppConfigValidator.fromTypesafe(e);
            }
        };
    }
}
