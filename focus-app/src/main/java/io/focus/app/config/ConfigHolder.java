package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current configuration and its reload. Read {@link #current()} for the latest; register a {@link Reloadable}
 * to be told. A reload (SIGHUP, {@code POST /config/reload}) re-reads every file; a bad file or a value a
 * listener refuses keeps the old configuration and says why.
 *
 * <p>What a reload applies is what the registered listeners say they apply ({@link Reloadable#keys()}); every other
 * changed key is listed, in a WARN line and in the result, as taking effect only after a restart. Nothing is claimed
 * reloadable by prefix alone: e.g. the registry's {@code jicofo.bridge.failure-reset-threshold},
 * {@code participant-rampup-interval}, {@code average-participant-stress} and the conferences'
 * {@code max-bridge-participants-interval} are read once at start-up, so a reload reports them as needing a restart.
 */
public final class ConfigHolder {
    private static final Logger log = LoggerFactory.getLogger(ConfigHolder.class);

    /** Where a reload reads the configuration from. */
    @FunctionalInterface
    public interface Source {
        LoadedConfig load() throws ConfigError;
    }

    /**
     * The outcome of one reload.
     *
     * @param applied false when the old configuration was kept
     * @param error why it was refused (null when applied)
     * @param changed keys whose value changed (secret values are never listed, only their keys)
     * @param needRestart the changed keys that take effect only after a restart
     */
    public record ReloadResult(boolean applied, String error, List<String> changed, List<String> needRestart) {}

    private final Source source;
    private final List<Reloadable> listeners = new CopyOnWriteArrayList<>();
    private volatile LoadedConfig current;

    public ConfigHolder(LoadedConfig initial, Source source) {
        this.current = Objects.requireNonNull(initial);
        this.source = Objects.requireNonNull(source);
    }

    public Config current() { return current.config(); }

    public LoadedConfig loaded() { return current; }

    public void addListener(Reloadable r) { listeners.add(r); }

    public void removeListener(Reloadable r) { listeners.remove(r); }

    public synchronized ReloadResult reload() {
        LoadedConfig next;
        try {
            next = source.load();
        } catch (ConfigError e) {
            log.error("reload refused, keeping the old configuration: {}", e.getMessage());
            return new ReloadResult(false, e.getMessage(), List.of(), List.of());
        } catch (RuntimeException e) {
            log.error("reload failed, keeping the old configuration", e);
            return new ReloadResult(false, String.valueOf(e.getMessage()), List.of(), List.of());
        }
        List<String> changed = changedKeys(current.config(), next.config());
        List<String> needRestart = changed.stream().filter(k -> !reloadable(k)).toList();

        List<Runnable> commits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Reloadable r : listeners) {
            try {
                commits.add(r.prepare(next.config()));
                names.add(r.name());
            } catch (ConfigError e) {
                log.error("reload refused by {}, keeping the old configuration: {}", r.name(), e.getMessage());
                return new ReloadResult(false, e.getMessage(), changed, needRestart);
            } catch (ConfigException e) {
                String msg = AppConfigValidator.fromTypesafe(e).getMessage();
                log.error("reload refused by {}, keeping the old configuration: {}", r.name(), msg);
                return new ReloadResult(false, msg, changed, needRestart);
            } catch (RuntimeException e) {
                log.error("reload refused by {}, keeping the old configuration", r.name(), e);
                return new ReloadResult(false, r.name() + ": " + e, changed, needRestart);
            }
        }
        current = next;
        for (Runnable commit : commits) {
            commit.run();
        }
        next.warnings().forEach(w -> log.warn("config: {}", w));
        if (changed.isEmpty()) {
            log.info("reload: configuration unchanged");
        } else {
            log.info("reload: applied; changed keys {}; applied by {}", changed, names);
        }
        if (!needRestart.isEmpty()) {
            log.warn("reload: NOT applied until the focus is restarted (no running component re-reads them): {}",
                    needRestart);
        }
        return new ReloadResult(true, null, changed, needRestart);
    }

    /** True when a registered listener applies {@code key} on reload. */
    public boolean reloadable(String key) {
        for (Reloadable r : listeners) {
            for (String k : r.keys()) {
                if (k.endsWith(".") ? key.startsWith(k) : key.equals(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code jicofo.*} and {@code focus.*} keys that were added, removed or changed. */
    static List<String> changedKeys(Config before, Config after) {
        Map<String, ConfigValue> a = flatten(before);
        Map<String, ConfigValue> b = flatten(after);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            ConfigValue x = a.get(k);
            ConfigValue y = b.get(k);
            Object ux = x == null ? null : x.unwrapped();
            Object uy = y == null ? null : y.unwrapped();
            if (!Objects.equals(ux, uy)) {
                out.add(k);
            }
        }
        return out;
    }

    private static Map<String, ConfigValue> flatten(Config c) {
        Map<String, ConfigValue> m = new java.util.HashMap<>();
        for (String root : List.of("jicofo", "focus")) {
            if (c.hasPath(root)) {
                for (Map.Entry<String, ConfigValue> e : c.getConfig(root).entrySet()) {
                    m.put(root + "." + e.getKey(), e.getValue());
                }
            }
        }
        return m;
    }
}
