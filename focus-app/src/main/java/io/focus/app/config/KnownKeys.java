package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code jicofo.*} and {@code focus.*} keys the focus reads: every key a module's {@code reference.conf} defines,
 * every key {@link AppConfigValidator} checks, and the few that are read without a default ({@link #WITHOUT_DEFAULT}).
 * A key outside these is read by nobody ({@link UnknownKeys}).
 */
final class KnownKeys {
    /**
     * Keys read by some module that no {@code reference.conf} defines, because they have no default (Jicofo has
     * none either) or their default is derived from another key. A key added to the code without a default belongs
     * here, or start-up warns that nobody reads it.
     */
    static final List<String> WITHOUT_DEFAULT = List.of(
            "jicofo.bridge.brewery-jid",
            // the brewery is always watched on the service connection (= the client one unless it is enabled), which
            // is Jicofo's default "Service"; the key is accepted because Jicofo's sample sets it
            "jicofo.bridge.xmpp-connection-name",
            // read when selection-strategy = VisitorSelectionStrategy (see io.focus.selection.VisitorFallback)
            "jicofo.bridge.participant-selection-strategy",
            "jicofo.local-region",
            "jicofo.octo.sctp-datachannels",
            "jicofo.authentication.login-url",
            "jicofo.xmpp.client.enabled",
            "jicofo.xmpp.client.domain",
            "jicofo.xmpp.client.xmpp-domain",
            "jicofo.xmpp.client.password",
            "jicofo.xmpp.client.client-proxy",
            "jicofo.xmpp.client.conference-muc-jid",
            "jicofo.xmpp.service.domain",
            "jicofo.xmpp.service.password",
            "focus.pubsub.service");

    private final Set<String> leaves;
    private final Set<String> objects;

    private KnownKeys(Set<String> leaves) {
        this.leaves = Collections.unmodifiableSet(leaves);
        Set<String> above = new TreeSet<>();
        for (String k : leaves) {
            List<String> parts = ConfigUtil.splitPath(k);
            for (int i = 1; i < parts.size(); i++) {
                above.add(ConfigUtil.joinPath(parts.subList(0, i)));
            }
        }
        this.objects = Collections.unmodifiableSet(above);
    }

    /**
     * What the focus reads, with the defaults of every {@code reference.conf} the app's class loader sees (read as
     * files: {@code ConfigFactory.defaultReference()} would add the JVM's system properties, and a mistyped
     * {@code -Djicofo...} would count as known).
     */
    static KnownKeys standard() {
        return of(ConfigFactory.parseResources(KnownKeys.class.getClassLoader(), "reference.conf").resolve());
    }

    /** The leaves of {@code reference} (its {@code jicofo} and {@code focus} trees) and the app's own lists. */
    static KnownKeys of(Config reference) {
        Set<String> leaves = new TreeSet<>();
        for (String root : List.of("jicofo", "focus")) {
            if (reference.hasPath(root)) {
                for (Map.Entry<String, ConfigValue> e : reference.getConfig(root).entrySet()) {
                    leaves.add(root + "." + e.getKey());
                }
            }
        }
        leaves.addAll(AppConfigValidator.DURATIONS);
        leaves.addAll(AppConfigValidator.PORTS);
        leaves.addAll(AppConfigValidator.INTS);
        leaves.addAll(AppConfigValidator.NUMBERS);
        leaves.addAll(AppConfigValidator.BOOLEANS);
        leaves.addAll(WITHOUT_DEFAULT);
        return new KnownKeys(leaves);
    }

    /** A key that holds a value the focus reads. */
    boolean leaf(String key) { return leaves.contains(key); }

    /** A key above known keys ({@code jicofo.bridge}, {@code jicofo.bridge.health-checks}). */
    boolean object(String key) { return objects.contains(key); }

    /** Every known key, leaves and the objects above them: what a suggestion is picked from. */
    Set<String> all() {
        Set<String> all = new TreeSet<>(leaves);
        all.addAll(objects);
        return all;
    }
}
