package io.focus.app.config;

import com.typesafe.config.Config;
import java.util.List;

/**
 * A loaded, validated configuration and what it was made of.
 *
 * @param config the resolved configuration (all layers merged)
 * @param sources the files read, lowest precedence first
 * @param warnings things an operator should know but that do not stop start-up (ignored legacy keys...)
 */
public record LoadedConfig(Config config, List<String> sources, List<String> warnings) {
    public LoadedConfig {
        sources = List.copyOf(sources);
        warnings = List.copyOf(warnings);
    }
}
