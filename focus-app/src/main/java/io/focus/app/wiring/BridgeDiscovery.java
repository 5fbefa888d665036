package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.inject.Managed;
import io.focus.core.loop.EventLoops;
import io.focus.health.discovery.BreweryWatcher;
import io.focus.health.discovery.BrewerySettings;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.discovery.PubsubBridgeWatcher;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge registry and what feeds it: the brewery watcher ({@code focus.discovery.mode} muc or both) and the
 * legacy pubsub watcher (pubsub or both), on the service connection. Start-up waits up to
 * {@code focus.startup.brewery-timeout} for the brewery join, because Colibri2 IQs reach a bridge only from another
 * occupant of the brewery. Stopping leaves the brewery, then stops the registry.
 */
@Singleton
public final class BridgeDiscovery implements Managed {
    private static final Logger log = LoggerFactory.getLogger(BridgeDiscovery.class);

    private final BridgeRegistry registry;
    private final BreweryWatcher brewery;
    private final PubsubBridgeWatcher pubsub;
    private final Duration joinTimeout;

    @Inject
    public BridgeDiscovery(Config config, BridgeRegistry registry, XmppService xmpp, Clock clock, EventLoops loops) {
        BrewerySettings s = BrewerySettings.fromConfig(config);
        this.registry = registry;
        this.brewery = s.mode().muc() && s.breweryJid() != null
                ? new BreweryWatcher(s, registry, xmpp.service(), clock, loops) : null;
        this.pubsub = s.mode().pubsub() ? new PubsubBridgeWatcher(s, registry, xmpp.service(), clock, loops) : null;
        this.joinTimeout = config.getDuration("focus.startup.brewery-timeout");
        if (brewery == null && pubsub == null) {
            log.warn("No bridge discovery configured (jicofo.bridge.brewery-jid unset): no bridges will be found");
        }
    }

    @Override public String name() { return "bridge discovery"; }

    @Override
    public void start() throws InterruptedException {
        registry.start();
        if (brewery != null) {
            brewery.start();
        }
        if (pubsub != null) {
            pubsub.start();
        }
        if (brewery != null && !brewery.awaitJoined(joinTimeout)) {
            log.warn("Not in the brewery after {}; starting anyway (joining as soon as the connection is up)",
                    joinTimeout);
        }
    }

    /** True when the brewery (if any) is joined. */
    public boolean breweryJoined() { return brewery == null || brewery.joined(); }

    @Override
    public void stop() {
        if (pubsub != null) {
            pubsub.close();
        }
        if (brewery != null) {
            brewery.close();
        }
        registry.close();
    }
}
