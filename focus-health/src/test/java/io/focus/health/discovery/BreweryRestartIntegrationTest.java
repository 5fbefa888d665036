package io.focus.health.discovery;

import io.focus.core.loop.EventLoops;
import io.focus.core.bridge.BridgeEvent;

import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import io.focus.core.xmpp.connection.StanzaLimits;

/** A Prosody restart ("blink") with the reconnect grace period; a server of its own for each test. */
class BreweryRestartIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();
    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void bridgesBackWithinTheGracePeriodAreKeptAndMissingOnesRemovedAfterIt() throws Exception {
        List<BridgeEvent> events = new CopyOnWriteArrayList<>();
        String brewery = prosody.server().breweryJid();
        try (BridgeRegistry registry = new BridgeRegistry(RegistrySettings.defaults(), SuspectSettings.defaults(),
                Clock.systemUTC(), EventLoops.unregistered());
             XmppConnectionManager xmpp = new XmppConnectionManager(
                     BridgeTrackingIntegrationTest.focusSettings(prosody, "focus"),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered())) {
            registry.addListener(events::add);
            BrewerySettings s = new BrewerySettings(brewery, Duration.ofSeconds(6), BrewerySettings.Mode.MUC, null,
                    "sharedStatsNode", Duration.ofSeconds(30), Duration.ofMillis(250));
            try (BreweryWatcher watcher = new BreweryWatcher(s, registry, xmpp, Clock.systemUTC(),
                    EventLoops.unregistered());
                 SimBridge comesBack = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb1")
                         .brewery(brewery).statsInterval(Duration.ofMillis(200)));
                 SimBridge staysAway = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb2")
                         .brewery(brewery).statsInterval(Duration.ofMillis(200)).autoReconnect(false))) {
                watcher.start();
                xmpp.start();
                String id1 = comesBack.occupantJid().toLowerCase();
                String id2 = staysAway.occupantJid().toLowerCase();
                await().atMost(WAIT).until(() -> registry.snapshot().contains(id1) && registry.snapshot().contains(id2));
                long joinsBefore = watcher.joinCount();

                prosody.server().restart();

                // the focus and jvb1 reconnect; jvb1 is back in the room: the same bridge, no REMOVED
                await().atMost(WAIT).until(() -> watcher.joinCount() > joinsBefore);
                var statsBefore = registry.snapshot().get(id1).lastStatsAt();
                await().atMost(WAIT).until(() -> registry.snapshot().get(id1).lastStatsAt().isAfter(statsBefore));
                assertEquals(List.of(BridgeEvent.Type.ADDED), types(events, id1));

                // jvb2 never comes back: removed once the grace period is over, and only then
                assertTrue(registry.snapshot().contains(id2), "still inside the grace period");
                await().atMost(WAIT).until(() -> !registry.snapshot().contains(id2));
                BridgeEvent removed = events.stream().filter(e -> e.bridge().id().equals(id2)
                        && e.type() == BridgeEvent.Type.REMOVED).findFirst().orElseThrow();
                assertTrue(removed.reason().contains("grace period"), removed.reason());

                assertTrue(registry.snapshot().contains(id1));
                assertEquals(List.of(BridgeEvent.Type.ADDED), types(events, id1));
                assertTrue(xmpp.losses() >= 1);
            }
        }
    }

    static List<BridgeEvent.Type> types(List<BridgeEvent> events, String id) {
        return events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList();
    }
}
