package io.focus.core.selection;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * Makes a strategy from configuration. Built-ins and plug-ins are found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.focus.core.selection.StrategyProvider}); a plug-in jar on the class path is enough.
 */
public interface StrategyProvider {
    /** The short name operators use, e.g. {@code least-stress}. */
    String name();

    /**
     * Other accepted names, e.g. Jicofo's {@code SingleBridgeSelectionStrategy}; empty when there are none. Abstract
     * on purpose: a provider (or a wrapper around one) says what its aliases are instead of inheriting "none".
     */
    Set<String> aliases();

    /**
     * Parses and validates this strategy's settings up front.
     *
     * @param config the whole loaded configuration ({@code jicofo.*} and {@code focus.*})
     * @throws com.typesafe.config.ConfigException with the key and the reason when a value is bad
     */
    BridgeSelectionStrategy create(Config config);
}
