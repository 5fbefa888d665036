package io.focus.health;

import io.focus.core.loop.EventLoops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.health.discovery.BreweryWatcher;
import io.focus.health.discovery.BrewerySettings;
import io.focus.core.bridge.BridgeEvent;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.sim.bridge.HealthMode;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyExtension;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.core.xmpp.connection.StanzaLimits;

/** The doctor with real health-check IQs to simulated bridges through a real Prosody, on short settings. */
class HealthDoctorIntegrationTest {
    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension();
    static final AtomicInteger rooms = new AtomicInteger();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration RESET = Duration.ofSeconds(1);

    String brewery;
    XmppConnectionManager xmpp;
    BridgeRegistry registry;
    BreweryWatcher watcher;
    HealthDoctor doctor;
    final CollectorRegistry metrics = new CollectorRegistry();
    final List<BridgeEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Instant> eventTimes = new ConcurrentHashMap<>();
    final List<SimBridge> bridges = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        int n = rooms.incrementAndGet();
        brewery = "jvbbrewery" + n + "@" + prosody.server().internalMucDomain();
        registry = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20), RESET,
                Duration.ofMillis(100)), SuspectSettings.defaults(),
                Clock.systemUTC(), EventLoops.unregistered());
        registry.addListener(e -> {
            events.add(e);
            eventTimes.put(e.type() + " " + e.bridge().id(), Instant.now());
        });
        registry.start();
        xmpp = new XmppConnectionManager(XmppSettings.builder(XmppSettings.SERVICE).hostname(prosody.host())
                .port(prosody.port()).domain(prosody.server().authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource("focus-h" + n).useTls(false).build(),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
        watcher = new BreweryWatcher(new BrewerySettings(brewery, Duration.ofSeconds(10), BrewerySettings.Mode.MUC,
                null, "n", Duration.ofSeconds(30), Duration.ofMillis(100)), registry, xmpp, Clock.systemUTC(),
                EventLoops.unregistered());
        watcher.start();
        xmpp.start();
        assertTrue(xmpp.awaitFirstLogin(WAIT));
        await().atMost(WAIT).until(watcher::joined);
        HealthSettings s = new HealthSettings(true, Duration.ofMillis(200), Duration.ofMillis(100), false,
                Duration.ofSeconds(45), Duration.ofMillis(400), 2, Duration.ofMillis(200), 0.5);
        registry.setOwnLink(xmpp);
        doctor = new HealthDoctor(s, registry, new SmackHealthCheckSender(xmpp), xmpp, EventLoops.unregistered(),
                Clock.systemUTC(),
                metrics, new io.focus.core.bridge.RoundTrips());
        doctor.start();
    }

    @AfterEach
    void tearDown() {
        bridges.forEach(SimBridge::close);
        doctor.close();
        watcher.close();
        xmpp.close();
        registry.close();
    }

    SimBridge bridge(String nick) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), nick).brewery(brewery)
                .resource(nick + "-h" + rooms.get()).statsInterval(Duration.ofMillis(500)));
        bridges.add(b);
        String id = id(b);
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        return b;
    }

    static String id(SimBridge b) { return b.occupantJid().toLowerCase(); }

    List<BridgeEvent.Type> types(String id) {
        return events.stream().filter(e -> e.bridge().id().equals(id)).map(BridgeEvent::type).toList();
    }

    double checks(SimBridge b, String outcome) {
        Double v = metrics.getSampleValue("focus_health_checks_total", new String[] {"bridge", "outcome"},
                new String[] {b.nick(), outcome});
        return v == null ? 0 : v;
    }

    @Test
    void healthyBridgesPassTheirChecks() {
        SimBridge jvb1 = bridge("jvb1");
        await().atMost(WAIT).until(() -> jvb1.healthChecks() >= 3 && checks(jvb1, "passed") >= 3);
        assertTrue(registry.snapshot().get(id(jvb1)).operational());
        assertEquals(List.of(BridgeEvent.Type.ADDED), types(id(jvb1)));
    }

    @Test
    void anErrorReplyFailsTheBridgeAtOnceAndRecoveryWaitsForTheResetPeriod() {
        SimBridge jvb1 = bridge("jvb1");
        SimBridge jvb2 = bridge("jvb2");
        jvb1.setHealthMode(HealthMode.FAILING);
        await().atMost(WAIT).until(() -> types(id(jvb1)).contains(BridgeEvent.Type.FAILED));
        BridgeEvent failed = events.stream().filter(e -> e.type() == BridgeEvent.Type.FAILED).findFirst().orElseThrow();
        assertTrue(failed.reason().contains("internal-server-error"), failed.reason());
        assertEquals(1.0, checks(jvb1, "failed"), "failed on the first error reply");
        assertTrue(registry.snapshot().get(id(jvb2)).operational());

        double passedBefore = checks(jvb1, "passed");
        jvb1.setHealthMode(HealthMode.HEALTHY);
        await().atMost(WAIT).until(() -> types(id(jvb1)).contains(BridgeEvent.Type.RECOVERED));
        assertTrue(checks(jvb1, "passed") > passedBefore, "recovered after passing a check");
        Instant lastFailure = registry.snapshot().get(id(jvb1)).lastFailure();
        Instant recoveredAt = eventTimes.get("RECOVERED " + id(jvb1));
        assertFalse(recoveredAt.isBefore(lastFailure.plus(RESET)), "not before the failure-reset period");
    }

    /**
     * The hung bridge's next check goes unanswered; the probe goes out while that check is still out (overdue); the
     * check's timeout makes the bridge suspect, the probe's fails it.
     */
    @Test
    void aHungBridgeIsProbedWhileItsCheckIsOverdueAndFailed() {
        SimBridge jvb1 = bridge("jvb1");
        bridge("jvb2");
        bridge("jvb3");
        await().atMost(WAIT).until(() -> checks(jvb1, "passed") >= 1);
        jvb1.hang();
        await().atMost(WAIT).until(() -> types(id(jvb1)).contains(BridgeEvent.Type.FAILED));
        List<BridgeEvent.Type> seen = types(id(jvb1));
        assertTrue(seen.indexOf(BridgeEvent.Type.SUSPECTED) >= 0
                && seen.indexOf(BridgeEvent.Type.SUSPECTED) < seen.indexOf(BridgeEvent.Type.FAILED), seen.toString());
        BridgeEvent failed = events.stream().filter(e -> e.type() == BridgeEvent.Type.FAILED).findFirst().orElseThrow();
        assertTrue(failed.reason().startsWith("health check unanswered within")
                && failed.reason().contains("and a probe sent"), failed.reason());
        assertTrue(failed.requiresMove());
        assertEquals(1, events.stream().filter(e -> e.type() == BridgeEvent.Type.FAILED).count(),
                "only the hung bridge failed");
    }

    @Test
    void aCrashedBridgeIsRemovedAndNoLongerChecked() throws Exception {
        SimBridge jvb1 = bridge("jvb1");
        await().atMost(WAIT).until(() -> checks(jvb1, "passed") >= 1);
        jvb1.crash();
        await().atMost(WAIT).until(() -> types(id(jvb1)).contains(BridgeEvent.Type.REMOVED));
        doctor.flush().get();
        assertEquals("unknown bridge", doctor.checkNow(id(jvb1)).get().detail());
        assertFalse(types(id(jvb1)).contains(BridgeEvent.Type.FAILED), "a crash is a removal, not a failure");
    }
}
