package io.focus.app.config;

import com.typesafe.config.Config;

/**
 * Something whose settings can change without a restart (selection, health, the admin token...). A reload runs in
 * two steps so that a bad value anywhere leaves everything on the old configuration:
 * <ol>
 *   <li>{@link #prepare} parses and validates the new settings and returns how to apply them; throwing
 *       {@link ConfigError} (or Typesafe's {@code ConfigException}) refuses the whole reload;</li>
 *   <li>only when every listener accepted, each returned action runs (it must not fail; typically it swaps one
 *       volatile reference to an immutable settings object).</li>
 * </ol>
 */
public interface Reloadable {
    /** Shown in logs: "reload: applied selection settings". */
    String name();

    Runnable prepare(Config next) throws ConfigError;
}
