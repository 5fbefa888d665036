package io.focus.app.config;

import com.typesafe.config.Config;
import java.util.List;

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

    /**
     * The keys whose new value this listener really puts to use on reload: a full key
     * ({@code jicofo.bridge.stress-threshold}) or a prefix ending in a dot ({@code focus.health.}). A changed key
     * that no listener names is reported as needing a restart ({@link ConfigHolder.ReloadResult#needRestart()}), so
     * list only what {@link #prepare}'s action applies.
     */
    List<String> keys();

    Runnable prepare(Config next) throws ConfigError;
}
