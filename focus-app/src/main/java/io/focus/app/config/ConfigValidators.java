package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import io.focus.health.discovery.BrewerySettings;
import io.focus.health.registry.RegistrySettings;
import io.focus.health.registry.SuspectSettings;
import io.focus.conference.ConferenceSettings;
import io.focus.core.xmpp.connection.StanzaLimits;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.health.HealthSettings;
import io.focus.selection.SelectionSettings;
import io.focus.selection.StrategyLookup;
import java.util.List;

/** The validators that run on every load and reload. */
public final class ConfigValidators {
    private ConfigValidators() {}

    /**
     * The app's own checks, the strategy name's type, then every module's settings ({@link #modules()}).
     */
    public static List<ConfigValidator> standard() {
        return List.of(new AppConfigValidator(), ConfigValidators::strategyType, modules());
    }

    /**
     * Every module's typed settings, built once from the candidate configuration so that a bad value stops start-up
     * (or refuses a reload) naming its key: the XMPP connections, discovery, the registry, the health doctor, the
     * selection settings and the strategy (looked up by name through {@link StrategyLookup}), the conferences, the
     * admin API's drain defaults.
     */
    static ConfigValidator modules() {
        ConfigValidator all = wrap(c -> {
            Config x = XmppDomain.withDomainDefault(c);
            XmppSettings.fromConfig(x, XmppSettings.CLIENT);
            XmppSettings.fromConfig(x, XmppSettings.SERVICE);
            StanzaLimits.fromConfig(c);
            BrewerySettings.fromConfig(c);
            RegistrySettings.fromConfig(c);
            SuspectSettings.fromConfig(c);
            HealthSettings.fromConfig(c);
            SelectionSettings.from(c);
            StrategyLookup.standard().create(c);
            ConferenceSettings.fromConfig(c);
            io.focus.conference.RecoverySettings.fromConfig(c);
            io.focus.core.jingle.CodecSettings.fromConfig(c);
            io.focus.core.jingle.JingleSettings.fromConfig(c);
            io.focus.conference.signalling.SignallingSettings.fromConfig(c);
            io.focus.health.registry.IceFailureSettings.fromConfig(c);
            io.focus.conference.LoadRedistributionSettings.fromConfig(c);
            DrainSettings.fromConfig(c);
        });
        return c -> {
            try {
                all.validate(c);
            } catch (ConfigError e) {
                throw oneLine(c, e);
            }
        };
    }

    private static final java.util.regex.Pattern[] KEY_PATTERNS = {
        java.util.regex.Pattern.compile("Invalid value at '([^']+)': (.*)"),
        java.util.regex.Pattern.compile("Bad configuration: ([a-z][a-z0-9.-]+) (.*)"),
        java.util.regex.Pattern.compile("^([a-z][a-z0-9-]*\\.[a-z0-9.-]+):? (.*)"),
    };

    /**
     * The modules' own messages in the app's shape, {@code KEY = 'VALUE' (ORIGIN): expected ...}, when the key they
     * name is set; otherwise their message as it is (it names the key already).
     */
    static ConfigError oneLine(Config c, ConfigError e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s*\\n\\s*", " ");
        for (java.util.regex.Pattern p : KEY_PATTERNS) {
            java.util.regex.Matcher m = p.matcher(msg);
            if (m.find()) {
                String key = m.group(1);
                String why = m.group(2).replaceAll(",? got \\S+$", "");
                if (c.hasPathOrNull(key) && !c.getIsNull(key)) {
                    return ConfigError.bad(key, c.getValue(key).unwrapped(), c.getValue(key).origin().description(),
                            "a valid value: " + why);
                }
                return new ConfigError(key, key + ": expected a valid value: " + why, e);
            }
        }
        return e;
    }

    /** {@code jicofo.bridge.selection-strategy} must be a non-empty string (its name is checked by focus-selection). */
    static void strategyType(Config c) throws ConfigError {
        String key = "jicofo.bridge.selection-strategy";
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
            } catch (IllegalArgumentException e) {
                throw new ConfigError(null, e.getMessage(), e);
            }
        };
    }
}
