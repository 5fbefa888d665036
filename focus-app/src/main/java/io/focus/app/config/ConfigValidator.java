package io.focus.app.config;

import com.typesafe.config.Config;

/**
 * Checks a merged configuration before it is used (at start-up, by {@code --check-config} and on every reload).
 * Throw {@link ConfigError} with one line naming the key, the value and what is expected.
 *
 * <p>The app's own checks are {@link AppConfigValidator}; the selection and health modules contribute theirs
 * through {@link ConfigValidators#standard()}.
 */
@FunctionalInterface
public interface ConfigValidator {
    void validate(Config config) throws ConfigError;
}
