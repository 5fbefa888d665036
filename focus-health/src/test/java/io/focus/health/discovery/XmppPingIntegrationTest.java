package io.focus.health.discovery;

import io.focus.core.loop.EventLoops;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.net.FreezableRelay;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import io.focus.core.xmpp.connection.StanzaLimits;

/**
 * Dead-peer detection against a real Prosody: the focus connects through a relay that can go silent without closing
 * TCP (a host that lost its network). Pings notice, the connection is dropped and re-established, and the bridges in
 * the brewery ride it out on the reconnect grace period.
 */
class XmppPingIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();
    static final Duration WAIT = Duration.ofSeconds(20);

    private XmppSettings throughRelay(FreezableRelay relay, Duration pingInterval) {
        return XmppSettings.builder(XmppSettings.SERVICE).hostname("127.0.0.1").port(relay.port())
                .domain(prosody.server().authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource("focus-ping").useTls(false)
                .replyTimeout(Duration.ofSeconds(2))
                .pingInterval(pingInterval).pingTimeout(Duration.ofMillis(700))
                .reconnectInitialDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofSeconds(1)).build();
    }

    @Test
    void closeLeavesNoConnectionThreadBehindWhileAPingIsScheduled() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(prosody.host(), prosody.port())) {
            XmppConnectionManager xmpp = new XmppConnectionManager(throughRelay(relay, Duration.ofSeconds(30)),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
            xmpp.start();
            assertTrue(xmpp.awaitFirstLogin(WAIT));
            // the next ping is now queued 30 s ahead; close() must not leave it holding the manager's thread
            xmpp.close();
            // the executor may report termination a moment before its thread has exited; a queued ping would
            // keep it alive for the whole 30 s. The connection's requester (its sender and its deadlines,
            // focus-xmpp-service-*) goes with it.
            await("the connection manager's threads end after close()").atMost(Duration.ofSeconds(3))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("focus-xmpp-service") && t.isAlive()));
        }
    }

    @Test
    void aSilentServerIsDetectedByPingAndTheConnectionIsReestablishedWithinTheGracePeriod() throws Exception {
        List<String> lostCauses = new CopyOnWriteArrayList<>();
        List<Boolean> reconnects = new CopyOnWriteArrayList<>();
        List<BridgeEvent> events = new CopyOnWriteArrayList<>();
        String brewery = prosody.server().breweryJid();
        try (FreezableRelay relay = new FreezableRelay(prosody.host(), prosody.port());
             BridgeRegistry registry = new BridgeRegistry(RegistrySettings.defaults(), SuspectSettings.defaults(),
                     Clock.systemUTC(), EventLoops.unregistered());
             XmppConnectionManager xmpp = new XmppConnectionManager(throughRelay(relay, Duration.ofMillis(500)),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered())) {
            registry.addListener(events::add);
            registry.start();
            xmpp.addListener(new XmppConnectionListener() {
                @Override public void disconnected(XmppConnectionManager m, Exception cause) {
                    lostCauses.add(String.valueOf(cause));
                }

                @Override public void reconnected(XmppConnectionManager m, XMPPTCPConnection c, boolean resumed) {
                    reconnects.add(resumed);
                }
            });
            BrewerySettings bs = new BrewerySettings(brewery, Duration.ofSeconds(30), BrewerySettings.Mode.MUC, null,
                    "sharedStatsNode", Duration.ofSeconds(30), Duration.ofMillis(250));
            try (BreweryWatcher watcher = new BreweryWatcher(bs, registry, xmpp, Clock.systemUTC(),
                    EventLoops.unregistered());
                 SimBridge bridge = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb1")
                         .brewery(brewery).statsInterval(Duration.ofSeconds(2)))) {
                watcher.start();
                xmpp.start();
                assertTrue(xmpp.awaitFirstLogin(WAIT));
                String id = bridge.occupantJid().toLowerCase();
                await().atMost(WAIT).until(() -> registry.snapshot().contains(id));

                // a live but idle connection: pings are answered, nothing is dropped
                await().atMost(WAIT).until(() -> xmpp.pingsAnswered() >= 2);
                assertEquals(0, xmpp.losses());
                assertEquals(0, xmpp.pingFailures());
                long joins = watcher.joinCount();

                relay.freeze();
                long frozenAt = System.nanoTime();
                // detected within ping-interval + ping-timeout (+ scheduling slack), not Smack's 30 minutes
                await().atMost(Duration.ofSeconds(5)).until(() -> xmpp.losses() == 1);
                long detectedMs = (System.nanoTime() - frozenAt) / 1_000_000;
                assertEquals(1, xmpp.pingFailures());
                assertFalse(xmpp.isReady(), "a dead connection is not ready: the health doctor pauses");
                // the manager counts the loss, then tells its listeners: wait for that, then there is exactly one
                await().atMost(Duration.ofSeconds(5)).until(() -> !lostCauses.isEmpty());
                assertEquals(1, lostCauses.size());
                assertTrue(lostCauses.get(0).contains("did not answer"), lostCauses.get(0));
                // the watcher hears of the loss on its own thread, a moment after the manager counted it
                await().atMost(Duration.ofSeconds(5)).until(() -> !watcher.joined());
                // the bridge is missing, not removed: the grace period applies
                assertTrue(registry.snapshot().contains(id));

                relay.unfreeze();
                await().atMost(WAIT).until(() -> !reconnects.isEmpty() && xmpp.isReady());
                await().atMost(WAIT).until(() -> watcher.joinCount() > joins);
                var statsBefore = registry.snapshot().get(id).lastStatsAt();
                await().atMost(WAIT).until(() -> registry.snapshot().get(id).lastStatsAt().isAfter(statsBefore));
                assertEquals(List.of(BridgeEvent.Type.ADDED),
                        events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList());
                assertEquals(1, xmpp.losses(), "one loss, reported once");
                System.out.println("[ping] silent server detected after " + detectedMs
                        + " ms (ping-interval 500 ms, ping-timeout 700 ms)");
            }
        }
    }

    @Test
    void withPingsOffASilentServerGoesUnnoticed() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(prosody.host(), prosody.port());
             XmppConnectionManager xmpp = new XmppConnectionManager(throughRelay(relay, Duration.ZERO),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered())) {
            xmpp.start();
            assertTrue(xmpp.awaitFirstLogin(WAIT));
            relay.freeze();
            // the control case of the test above: 3 s is several ping-interval + ping-timeout periods
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> xmpp.isReady() && xmpp.losses() == 0);
            assertEquals(0, xmpp.pingsAnswered() + xmpp.pingFailures());
        }
    }
}
