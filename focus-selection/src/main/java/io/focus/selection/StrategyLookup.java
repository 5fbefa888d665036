package io.focus.selection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the strategy {@code jicofo.bridge.selection-strategy} names. Accepted, in this order:
 * <ol>
 *   <li>the name or an alias of a {@link StrategyProvider} found through {@link ServiceLoader} (the built-ins, e.g.
 *       {@code least-stress} or Jicofo's {@code SingleBridgeSelectionStrategy}, and any plug-in jar on the class
 *       path); names are compared without regard to case;</li>
 *   <li>Jicofo's fully qualified names, {@code org.jitsi.jicofo.bridge.<Name>}, as their simple name;</li>
 *   <li>the fully qualified name of a class with a public no-arg constructor that implements
 *       {@link StrategyProvider} or {@link BridgeSelectionStrategy}.</li>
 * </ol>
 * Anything else is a {@link ConfigException.BadValue} on the key listing the known names.
 */
public final class StrategyLookup {
    private static final Logger log = LoggerFactory.getLogger(StrategyLookup.class);
    private static final String JICOFO_PACKAGE = "org.jitsi.jicofo.bridge.";

    private final ClassLoader loader;
    private final Map<String, StrategyProvider> byName;
    private final List<String> broken;

    private StrategyLookup(ClassLoader loader) {
        this.loader = loader;
        Map<String, StrategyProvider> m = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        Iterator<StrategyProvider> it = ServiceLoader.load(StrategyProvider.class, loader).iterator();
        while (true) {
            StrategyProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                // A broken plug-in must not take the built-ins down with it; it is named if someone asks for it.
                log.warn("Skipping a selection strategy provider that cannot be loaded: {}", e.getMessage());
                failed.add(e.getMessage());
                continue;
            }
            register(m, p.name(), p);
            for (String alias : p.aliases()) {
                register(m, alias, p);
            }
        }
        this.byName = Collections.unmodifiableMap(m);
        this.broken = List.copyOf(failed);
    }

    private static void register(Map<String, StrategyProvider> m, String name, StrategyProvider p) {
        StrategyProvider earlier = m.putIfAbsent(name.toLowerCase(Locale.ROOT), p);
        if (earlier != null && earlier.getClass() != p.getClass()) {
            log.warn("Two selection strategy providers are called '{}': {} and {}; using the first",
                    name, earlier.getClass().getName(), p.getClass().getName());
        }
    }

    /** Providers visible to this module's class loader. */
    public static StrategyLookup standard() {
        return new StrategyLookup(StrategyLookup.class.getClassLoader());
    }

    /** Providers (and classes) visible to {@code loader}, e.g. one that also sees a plug-in directory. */
    public static StrategyLookup using(ClassLoader loader) {
        return new StrategyLookup(loader);
    }

    /** Every accepted name (short names and aliases, lower case). */
    public Set<String> knownNames() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /**
     * Creates the configured strategy; its provider validates its own settings. Jicofo's
     * {@code VisitorSelectionStrategy} stands for the strategy {@link VisitorFallback} names.
     */
    public BridgeSelectionStrategy create(Config config) {
        String configured = SelectionSettings.from(config).strategyName();
        String key = VisitorFallback.fromParticipantKey(configured, config)
                ? VisitorFallback.PARTICIPANT_STRATEGY : SelectionSettings.STRATEGY;
        return provider(VisitorFallback.effectiveName(configured, config), config, key).create(config);
    }

    /**
     * The provider for {@code name}.
     *
     * @param config used only to name where the bad value came from in the exception
     */
    public StrategyProvider provider(String name, Config config) {
        return provider(name, config, SelectionSettings.STRATEGY);
    }

    /** The provider for {@code name}, read from {@code key} (named in the exception). */
    private StrategyProvider provider(String name, Config config, String key) {
        String n = name.trim();
        StrategyProvider p = byName.get(n.toLowerCase(Locale.ROOT));
        if (p == null && n.startsWith(JICOFO_PACKAGE)) {
            p = byName.get(n.substring(JICOFO_PACKAGE.length()).toLowerCase(Locale.ROOT));
        }
        if (p == null && n.indexOf('.') > 0) {
            p = fromClass(n, config, key);
        }
        if (p == null) {
            String msg = "unknown selection strategy '" + n + "'; known: " + String.join(", ", knownNames())
                    + ", or the fully qualified name of a StrategyProvider or BridgeSelectionStrategy class";
            if (!broken.isEmpty()) {
                msg += " (providers that failed to load: " + String.join("; ", broken) + ")";
            }
            throw SelectionSettings.bad(config, key, msg, null);
        }
        return p;
    }

    private StrategyProvider fromClass(String className, Config config, String key) {
        Class<?> c;
        try {
            c = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        Object instance;
        try {
            if (!StrategyProvider.class.isAssignableFrom(c) && !BridgeSelectionStrategy.class.isAssignableFrom(c)) {
                throw SelectionSettings.bad(config, key, "class " + className
                        + " is neither a StrategyProvider nor a BridgeSelectionStrategy", null);
            }
            instance = c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw SelectionSettings.bad(config, key,
                    "cannot create " + className + " with a public no-arg constructor: " + e, e);
        }
        if (instance instanceof StrategyProvider sp) {
            return sp;
        }
        BridgeSelectionStrategy strategy = (BridgeSelectionStrategy) instance;
        return new StrategyProvider() {
            @Override public String name() { return strategy.name(); }
            @Override public Set<String> aliases() { return Set.of(); } // a bare strategy has only its name
            @Override public BridgeSelectionStrategy create(Config cfg) { return strategy; }
        };
    }
}
