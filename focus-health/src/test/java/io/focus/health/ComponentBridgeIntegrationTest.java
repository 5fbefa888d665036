package io.focus.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.health.discovery.BrewerySettings;
import io.focus.health.discovery.PubsubBridgeWatcher;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.bridge.StatsTemplate;
import io.focus.sim.prosody.ExternalComponent;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawExtension;
import io.prometheus.client.CollectorRegistry;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.core.xmpp.connection.StanzaLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, the older set-up of seed 002: videobridges as external components of a real Prosody (XEP-0114), their
 * stats on a pubsub node with the component's JID as the item id. A component bridge that is not connected gets every
 * health check answered by Prosody at once: {@code remote-server-timeout} "Component unavailable" with
 * {@code <not-connected xmlns='xmpp:prosody.im/protocol/component'/>}. That is evidence: the bridge is failed within
 * seconds, not kept as a candidate until its pubsub stats time out (30 s here, as in the run), and not logged
 * as "an unexpected answer (no state change)". Healthy bridges on the same Prosody (a connected component, a client
 * bridge in pubsub mode) are not failed.
 */
class ComponentBridgeIntegrationTest {
    static final String JVB1 = "jvb1.meet.test";
    static final String JVB3 = "jvb3.meet.test";
    static final String SECRET = "componentsecret";
    /** The run: the pubsub stats timeout that dropped the dead bridge after ~32 s. */
    static final Duration STATS_TIMEOUT = Duration.ofSeconds(30);
    /** Well below the stats timeout: only the health checks can fail the bridge this soon. */
    static final Duration FAIL_WITHIN = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final AtomicInteger runs = new AtomicInteger();

    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults()
            // the seed's step 1: the bridges are admins, so they may create and publish to the stats node
            .withAdmins(List.of("focus@auth.meet.test", JVB1, JVB3))
            .withExternalComponents(Map.of(JVB1, SECRET, JVB3, SECRET)));

    String node;
    XmppConnectionManager xmpp;
    BridgeRegistry registry;
    PubsubBridgeWatcher watcher;
    HealthDoctor doctor;
    XMPPTCPConnection publisher;
    LeafNode leaf;
    final CollectorRegistry metrics = new CollectorRegistry();
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Instant> eventTimes = new ConcurrentHashMap<>();
    final List<SimBridge> bridges = new ArrayList<>();
    final ListAppender<ILoggingEvent> doctorLog = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        int n = runs.incrementAndGet();
        node = "sharedStatsNode" + n;
        ProsodyServer s = prosody.server();
        doctorLog.start();
        ((Logger) LoggerFactory.getLogger(HealthDoctor.class)).addAppender(doctorLog);
        publisher = new XMPPTCPConnection(s.connectionConfig(ProsodyExtension.JVB_USER, s.authDomain(),
                ProsodyExtension.JVB_PASSWORD, "publisher" + n).build());
        publisher.connect().login();
        // the stats node exists before the focus subscribes (the bridges made it; the focus's getLeafNode needs it)
        leaf = PubSubManager.getInstanceFor(publisher, JidCreate.bareFrom(s.pubsubDomain())).getOrCreateLeafNode(node);
        registry = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofSeconds(1),
                Duration.ofMillis(100)), SuspectSettings.defaults(), Clock.systemUTC(), EventLoops.unregistered());
        registry.addListener(e -> {
            events.add(e);
            eventTimes.putIfAbsent(e.type() + " " + e.bridge().id(), Instant.now());
        });
        registry.start();
        xmpp = new XmppConnectionManager(XmppSettings.builder(XmppSettings.SERVICE).hostname(s.host())
                .port(s.port()).domain(s.authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource("focus-c" + n).useTls(false).build(),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()), StanzaLimits.none(),
                EventLoops.unregistered());
        watcher = new PubsubBridgeWatcher(new BrewerySettings(null, Duration.ofSeconds(10),
                BrewerySettings.Mode.PUBSUB, s.pubsubDomain(), node, STATS_TIMEOUT, Duration.ofMillis(100)),
                registry, xmpp, Clock.systemUTC(), EventLoops.unregistered());
        watcher.start();
        xmpp.start();
        assertTrue(xmpp.awaitFirstLogin(WAIT));
        await().atMost(WAIT).until(watcher::subscribed);
        // the legacy health checks: an IQ every second (the run saw 32 bounces in ~32 s)
        HealthSettings hs = new HealthSettings(true, Duration.ofSeconds(1), Duration.ofMillis(500), false,
                Duration.ofSeconds(45), Duration.ofSeconds(2), 2, Duration.ofMillis(500), 0.5);
        registry.setOwnLink(xmpp);
        doctor = new HealthDoctor(hs, registry, new SmackHealthCheckSender(xmpp), xmpp, EventLoops.unregistered(),
                Clock.systemUTC(), metrics, new io.focus.core.bridge.RoundTrips());
        doctor.start();
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(HealthDoctor.class)).detachAppender(doctorLog);
        bridges.forEach(SimBridge::close);
        for (AutoCloseable c : new AutoCloseable[] {doctor, watcher, xmpp, registry}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (publisher != null) {
            publisher.disconnect();
        }
    }

    /** A healthy bridge on the same Prosody: a client bridge publishing to the same node (the reverse guard). */
    SimBridge healthyClientBridge() {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb2")
                .resource("jvb2-c" + runs.get()).pubsub(prosody.server().pubsubDomain(), node)
                .statsInterval(Duration.ofMillis(500)));
        bridges.add(b);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(b.jid()));
        return b;
    }

    static String statsXml(String region) {
        LinkedHashMap<String, String> stats = StatsTemplate.defaults();
        stats.put("region", region);
        return StatsTemplate.extension(stats).xml();
    }

    List<BridgeEvent.Type> types(String id) {
        return events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList();
    }

    List<String> unexpectedAnswers(String id) {
        return doctorLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(id) && m.contains("unexpected answer")).toList();
    }

    double checks(String nick, String outcome) {
        Double v = metrics.getSampleValue("focus_health_checks_total", new String[] {"bridge", "outcome"},
                new String[] {nick, outcome});
        return v == null ? 0 : v;
    }

    /**
     * A component bridge that is gone while its last stats item is still on the node (published by the bridge before
     * it went away; here by another publisher with the component's JID as the item id, as the legacy node holds it).
     */
    @Test
    void aComponentBridgeThatIsNotConnectedIsFailedOnProsodysBounceNotKeptUntilItsStatsTimeOut() throws Exception {
        SimBridge jvb2 = healthyClientBridge();
        Instant published = Instant.now();
        leaf.publish(new PayloadItem<>(JVB1, new RawExtension(StatsTemplate.ELEMENT,
                StatsTemplate.NAMESPACE, statsXml("us-east"))));
        await().atMost(WAIT).until(() -> registry.snapshot().contains(JVB1));

        await().atMost(FAIL_WITHIN).until(() -> types(JVB1).contains(BridgeEvent.Type.FAILED));
        Duration toFail = Duration.between(published, eventTimes.get("FAILED " + JVB1));
        assertTrue(toFail.compareTo(STATS_TIMEOUT) < 0, "failed by its health check, not the stats timeout: " + toFail);
        assertTrue(registry.snapshot().contains(JVB1), "still known (its stats have not timed out), but failed");
        assertFalse(registry.snapshot().get(JVB1).operational(), "no candidate for new conferences");
        String reason = registry.snapshot().get(JVB1).lastFailureReason();
        assertTrue(reason.contains("Component unavailable") && reason.contains("unreachable"), reason);
        assertEquals(List.of(), unexpectedAnswers(JVB1), "Prosody's bounce is evidence, not an unexpected answer");

        // the reverse guard: the healthy bridge on the same Prosody keeps passing and is never failed
        String nick2 = BridgeState.nickOf(jvb2.jid());
        double passed = checks(nick2, "passed");
        int received = jvb2.healthChecks();
        await().atMost(WAIT).until(() -> checks(nick2, "passed") >= passed + 2 && jvb2.healthChecks() >= received + 2);
        assertTrue(registry.snapshot().get(jvb2.jid()).operational());
        assertFalse(types(jvb2.jid()).contains(BridgeEvent.Type.FAILED), types(jvb2.jid()).toString());
        System.out.printf("component bridge not connected: failed %d ms after its stats were published "
                + "(stats timeout %d s)%n", toFail.toMillis(), STATS_TIMEOUT.toSeconds());
    }

    /**
     * A component bridge that connects (XEP-0114 handshake), publishes its stats, passes its health checks, then
     * disconnects: failed within seconds of the disconnect; another connected component bridge is not.
     */
    @Test
    void aComponentBridgeThatDisconnectsIsFailedWithinSecondsAndAConnectedOneIsNot() {
        ProsodyServer s = prosody.server();
        SimBridge jvb2 = healthyClientBridge();
        try (ExternalComponent jvb1 = ExternalComponent.connect(s, JVB1, SECRET);
             ExternalComponent jvb3 = ExternalComponent.connect(s, JVB3, SECRET)) {
            jvb1.publish(s.pubsubDomain(), node, statsXml("us-east"));
            jvb3.publish(s.pubsubDomain(), node, statsXml("us-west"));
            await().atMost(WAIT).until(() -> registry.snapshot().contains(JVB1) && registry.snapshot().contains(JVB3));
            await().atMost(WAIT).until(() -> jvb1.iqsAnswered() >= 2 && jvb3.iqsAnswered() >= 2);
            assertTrue(registry.snapshot().get(JVB3).operational());
            assertTrue(registry.snapshot().get(JVB1).operational());

            Instant disconnected = Instant.now();
            jvb3.disconnect();
            await().atMost(FAIL_WITHIN).until(() -> types(JVB3).contains(BridgeEvent.Type.FAILED));
            Duration toFail = Duration.between(disconnected, eventTimes.get("FAILED " + JVB3));
            assertFalse(registry.snapshot().get(JVB3).operational(), "no candidate for new conferences");
            String reason = registry.snapshot().get(JVB3).lastFailureReason();
            assertTrue(reason.contains("Component unavailable"), reason);
            assertEquals(List.of(), unexpectedAnswers(JVB3));

            // the connected component and the client bridge keep passing and are never failed
            int answered = jvb1.iqsAnswered();
            await().atMost(WAIT).until(() -> jvb1.iqsAnswered() >= answered + 2);
            assertTrue(registry.snapshot().get(JVB1).operational());
            assertTrue(registry.snapshot().get(jvb2.jid()).operational());
            assertFalse(types(JVB1).contains(BridgeEvent.Type.FAILED), types(JVB1).toString());
            assertFalse(types(jvb2.jid()).contains(BridgeEvent.Type.FAILED), types(jvb2.jid()).toString());
            System.out.printf("component bridge disconnected: failed %d ms after the disconnect (stats timeout %d s)%n",
                    toFail.toMillis(), STATS_TIMEOUT.toSeconds());
        }
    }
}
