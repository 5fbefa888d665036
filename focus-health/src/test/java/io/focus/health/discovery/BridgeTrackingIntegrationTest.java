package io.focus.health.discovery;

import io.focus.core.loop.EventLoops;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;

import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import io.focus.core.xmpp.connection.StanzaLimits;

/**
 * Brewery and pubsub discovery against a real Prosody with simulated bridges (focus-sim). Each test uses its own
 * brewery room so the tests do not see each other's bridges.
 */
class BridgeTrackingIntegrationTest {
    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension();
    static final AtomicInteger rooms = new AtomicInteger();
    static final Duration WAIT = Duration.ofSeconds(10);

    String brewery;
    XmppConnectionManager xmpp;
    BridgeRegistry registry;
    BreweryWatcher watcher;
    PubsubBridgeWatcher pubsub;
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    final List<SimBridge> bridges = new ArrayList<>();

    static XmppSettings focusSettings(ProsodyExtension p, String resource) {
        return XmppSettings.builder(XmppSettings.SERVICE).hostname(p.host()).port(p.port())
                .domain(p.server().authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource(resource).useTls(false)
                .reconnectInitialDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofSeconds(1)).build();
    }

    @BeforeEach
    void setUp() throws Exception {
        brewery = "JvbBrewery" + rooms.incrementAndGet() + "@" + prosody.server().internalMucDomain();
        registry = new BridgeRegistry(RegistrySettings.defaults(), SuspectSettings.defaults(), Clock.systemUTC(),
                EventLoops.unregistered());
        registry.addListener(events::add);
        registry.start();
        xmpp = new XmppConnectionManager(focusSettings(prosody, "focus-" + rooms.get()),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
        BrewerySettings s = new BrewerySettings(brewery, Duration.ofSeconds(10), BrewerySettings.Mode.BOTH,
                prosody.server().pubsubDomain(), "stats" + rooms.get(), Duration.ofSeconds(1), Duration.ofMillis(250));
        watcher = new BreweryWatcher(s, registry, xmpp, Clock.systemUTC(), EventLoops.unregistered());
        pubsub = new PubsubBridgeWatcher(s, registry, xmpp, Clock.systemUTC(), EventLoops.unregistered());
        watcher.start();
        xmpp.start();
        assertTrue(xmpp.awaitFirstLogin(WAIT));
        await().atMost(WAIT).until(watcher::joined);
    }

    @AfterEach
    void tearDown() {
        bridges.forEach(SimBridge::close);
        pubsub.close();
        watcher.close();
        xmpp.close();
        registry.close();
    }

    SimBridge bridge(SimBridgeOptions o) {
        SimBridge b = SimBridge.start(o);
        bridges.add(b);
        return b;
    }

    SimBridgeOptions opts(String nick) {
        return SimBridgeOptions.forServer(prosody.server(), nick).brewery(brewery).resource(nick + "-" + rooms.get())
                .statsInterval(Duration.ofMillis(200));
    }

    /** Occupant id as the focus sees it: the room lower-cased, as Prosody does. */
    String id(SimBridge b) { return b.occupantJid().toLowerCase(); }

    List<BridgeEvent.Type> typesFor(String id) {
        return events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList();
    }

    @Test
    void joinMakesTheBridgeKnownWithItsStats() {
        SimBridge jvb1 = bridge(opts("jvb1").region("us-east").version("2.3.0").release("abc"));
        String id = id(jvb1);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        BridgeState b = registry.snapshot().get(id);
        assertEquals("jvb1", b.nick());
        assertEquals("us-east", b.region());
        assertEquals("2.3.0-abc", b.version());
        assertEquals("jvb1", b.relayId());
        assertFalse(b.draining());
        assertEquals(List.of(BridgeEvent.Type.ADDED), typesFor(id));
    }

    @Test
    void statsUpdatesAreTrackedAbsentKeepsAndGarbageIsIgnored() {
        SimBridge jvb1 = bridge(opts("jvb1").region("us-east"));
        String id = id(jvb1);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));

        jvb1.setStress(0.42);
        await().atMost(WAIT).until(() -> registry.snapshot().get(id).reportedStress() == 0.42);

        jvb1.setStat("region", null);            // the region stat is no longer published
        jvb1.setStress(0.43);
        await().atMost(WAIT).until(() -> registry.snapshot().get(id).reportedStress() == 0.43);
        assertEquals("us-east", registry.snapshot().get(id).region(), "an absent stat keeps its value");

        jvb1.setStat("stress_level", "very high"); // garbage
        jvb1.setStat("region", "eu-west");         // arrives in the same presence
        await().atMost(WAIT).until(() -> "eu-west".equals(registry.snapshot().get(id).region()));
        assertEquals(0.43, registry.snapshot().get(id).reportedStress(), 1e-9, "garbage is ignored");

        jvb1.setDrain(true);
        await().atMost(WAIT).until(() -> registry.snapshot().get(id).draining());
        jvb1.setShuttingDown(true);
        await().atMost(WAIT).until(() -> registry.snapshot().get(id).shuttingDown());
        jvb1.setShuttingDown(false);
        await().atMost(WAIT).until(() -> !registry.snapshot().get(id).shuttingDown());
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.DRAINING_CHANGED, BridgeEvent.Type.SHUTTING_DOWN),
                typesFor(id));
    }

    @Test
    void cleanLeaveRemovesTheBridge() {
        SimBridge jvb1 = bridge(opts("jvb1"));
        SimBridge jvb2 = bridge(opts("jvb2"));
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id(jvb1)) && registry.snapshot().contains(id(jvb2)));
        jvb1.leave();
        await().atMost(WAIT).until(() -> !registry.snapshot().contains(id(jvb1)));
        BridgeEvent removed = events.stream().filter(e -> e.type() == BridgeEvent.Type.REMOVED).findFirst().orElseThrow();
        assertEquals(id(jvb1), removed.bridge().id());
        assertEquals("left the brewery", removed.reason());
        assertTrue(registry.snapshot().contains(id(jvb2)));
    }

    @Test
    void crashRemovesTheBridge() {
        SimBridge jvb1 = bridge(opts("jvb1"));
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id(jvb1)));
        jvb1.crash();
        await().atMost(WAIT).until(() -> !registry.snapshot().contains(id(jvb1)));
        assertEquals(List.of(BridgeEvent.Type.ADDED, BridgeEvent.Type.REMOVED), typesFor(id(jvb1)));
    }

    @Test
    void hungBridgeStaysInTheBrewery() throws Exception {
        SimBridge jvb1 = bridge(opts("jvb1"));
        String id = id(jvb1);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        jvb1.hang();
        // it publishes nothing more: its stats age while it stays a member (the doctor judges it, not discovery)
        var before = registry.snapshot().get(id).lastStatsAt();
        await().atMost(WAIT).until(() -> java.time.Duration.between(before, java.time.Instant.now()).toMillis() > 1000);
        assertTrue(registry.snapshot().contains(id));
        assertEquals(List.of(BridgeEvent.Type.ADDED), typesFor(id));
        assertTrue(registry.snapshot().get(id).lastStatsAt().isBefore(before.plusMillis(600)));
    }

    @Test
    void uptimeGoingDownIsARestart() {
        SimBridge jvb1 = bridge(opts("jvb1").publishUptime(true));
        String id = id(jvb1);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        await().atMost(WAIT).until(() -> Integer.parseInt(jvb1.lastPublishedStats().getOrDefault("uptime", "0")) >= 1);
        jvb1.publishStatsNow();
        jvb1.forgetConferences();
        await().atMost(WAIT).until(() -> typesFor(id).contains(BridgeEvent.Type.RESTARTED));
        assertFalse(typesFor(id).contains(BridgeEvent.Type.REMOVED));
    }

    @Test
    void pubsubDiscoveryFindsBridgesAndExpiresSilentOnes() {
        pubsub.start(); // the node does not exist yet: the watcher retries until the bridge has created it
        String node = "stats" + rooms.get();
        SimBridge legacy = bridge(SimBridgeOptions.forServer(prosody.server(), "legacy1")
                .resource("legacy1-" + rooms.get()).pubsub(prosody.server().pubsubDomain(), node)
                .region("eu-central").statsInterval(Duration.ofMillis(200)));
        String id = legacy.jid();
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        assertTrue(pubsub.subscribed());
        assertEquals("eu-central", registry.snapshot().get(id).region());
        legacy.setRegion("eu-north"); // a live notification, not the items read at subscribe time
        await().atMost(WAIT).until(() -> "eu-north".equals(registry.snapshot().get(id).region()));
        legacy.hang(); // stops publishing
        await().atMost(WAIT).until(() -> !registry.snapshot().contains(id));
        BridgeEvent removed = events.stream().filter(e -> e.type() == BridgeEvent.Type.REMOVED).findFirst().orElseThrow();
        assertTrue(removed.reason().contains("no pubsub stats"), removed.reason());
    }
}
