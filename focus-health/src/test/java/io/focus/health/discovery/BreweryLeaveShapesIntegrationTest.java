package io.focus.health.discovery;

import io.focus.core.loop.EventLoops;
import io.focus.core.bridge.BridgeEvent;

import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.RegistrySettings;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.packet.MUCInitialPresence;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import io.focus.core.xmpp.connection.StanzaLimits;
import java.time.Clock;
import io.focus.core.xmpp.connection.XmppConnectionManager;

/**
 * What a real Prosody 0.12 sends to the brewery's remaining occupant when a bridge leaves, crashes, or when Prosody
 * itself stops. The watcher's {@link BreweryWatcher#looksLikeServerShutdown} must tell the last apart from the first
 * two, so that real leaves are confirmed at once and only shutdown-like ones wait.
 */
class BreweryLeaveShapesIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();
    static final Duration WAIT = Duration.ofSeconds(15);

    record Seen(long atNanos, String from, Presence presence) {}

    @Test
    void shutdownLeavesAreRecognisableAndCrashesAndCleanLeavesAreNot() throws Exception {
        String brewery = prosody.server().breweryJid();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        List<Long> closedAt = new CopyOnWriteArrayList<>();
        XMPPTCPConnection focus = new XMPPTCPConnection(prosody.server()
                .connectionConfig(ProsodyExtension.FOCUS_USER, prosody.server().authDomain(),
                        ProsodyExtension.FOCUS_PASSWORD, "capture").build());
        try (SimBridge leaver = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "leaver").brewery(brewery));
             SimBridge crasher = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "crasher").brewery(brewery));
             SimBridge stays1 = staying("stays1"); SimBridge stays2 = staying("stays2");
             SimBridge stays3 = staying("stays3"); SimBridge stays4 = staying("stays4");
             SimBridge stays5 = staying("stays5")) {
            focus.addConnectionListener(new ConnectionListener() {
                @Override public void connectionClosedOnError(Exception e) { closedAt.add(System.nanoTime()); }
                @Override public void connectionClosed() { closedAt.add(System.nanoTime()); }
            });
            focus.addSyncStanzaListener(s -> seen.add(new Seen(System.nanoTime(), s.getFrom().toString(), (Presence) s)),
                    StanzaTypeFilter.PRESENCE);
            focus.connect().login();
            focus.sendStanza(focus.getStanzaFactory().buildPresenceStanza()
                    .to(JidCreate.entityFullFrom(JidCreate.entityBareFrom(brewery), Resourcepart.from("capture")))
                    .addExtension(new MUCInitialPresence(null, -1, 0, -1, null)).build());
            await().atMost(WAIT).until(() -> seen.stream().filter(x -> x.presence().isAvailable()).map(Seen::from)
                    .distinct().count() >= 8);

            leaver.leave();
            Presence leave = await().atMost(WAIT).until(() -> unavailableFrom(seen, "/leaver"), p -> p != null);
            crasher.crash();
            Presence crash = await().atMost(WAIT).until(() -> unavailableFrom(seen, "/crasher"), p -> p != null);
            // a killed process: the kernel closes its socket with a FIN (the sim bridge's crash() sends a RST)
            XMPPTCPConnection killed = new XMPPTCPConnection(prosody.server().connectionConfig(ProsodyExtension.JVB_USER,
                    prosody.server().authDomain(), ProsodyExtension.JVB_PASSWORD, "killed").build());
            killed.connect().login();
            killed.sendStanza(killed.getStanzaFactory().buildPresenceStanza()
                    .to(JidCreate.entityFullFrom(JidCreate.entityBareFrom(brewery), Resourcepart.from("killed")))
                    .addExtension(new MUCInitialPresence(null, -1, 0, -1, null)).build());
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(x -> x.from().endsWith("/killed")));
            java.lang.reflect.Field f = XMPPTCPConnection.class.getDeclaredField("socket");
            f.setAccessible(true);
            ((java.net.Socket) f.get(killed)).close();
            Presence fin = await().atMost(WAIT).until(() -> unavailableFrom(seen, "/killed"), p -> p != null);
            killed.instantShutdown();

            prosody.server().restart();
            await().atMost(WAIT).until(() -> !closedAt.isEmpty());
            // Prosody closes its sessions one by one, in no fixed order: the focus hears only of the bridges closed
            // before its own session. Restart again (fresh bridges, fresh focus) until it heard of at least one.
            List<Presence> shutdowns = shutdownLeaves(seen);
            for (int round = 2; round <= 6 && shutdowns.isEmpty(); round++) {
                shutdowns = shutdownRound(brewery, round);
            }
            Presence shutdown = shutdowns.isEmpty() ? null : shutdowns.get(0);

            System.out.println("[leave-shapes] clean leave: " + leave.toXML());
            System.out.println("[leave-shapes] crash:       " + crash.toXML());
            System.out.println("[leave-shapes] crash (FIN): " + fin.toXML());
            System.out.println("[leave-shapes] shutdown:    " + (shutdown == null ? "none" : shutdown.toXML()));
            seen.stream().filter(x -> x.presence() == shutdown).findFirst().ifPresent(x -> System.out.println(
                    "[leave-shapes] shutdown leave arrived " + (closedAt.get(0) - x.atNanos()) / 1_000_000.0
                            + " ms before the focus's own stream closed"));

            assertFalse(LeaveClassifier.looksLikeServerShutdown(MUCUser.from(leave), leave.getStatus()), leave.toXML().toString());
            assertFalse(LeaveClassifier.looksLikeServerShutdown(MUCUser.from(crash), crash.getStatus()), crash.toXML().toString());
            assertFalse(LeaveClassifier.looksLikeServerShutdown(MUCUser.from(fin), fin.getStatus()), fin.toXML().toString());
            assertNotNull(shutdown, "Prosody told the remaining occupant that the bridge went away as it stopped");
            for (Presence p : shutdowns) {
                assertTrue(LeaveClassifier.looksLikeServerShutdown(MUCUser.from(p), p.getStatus()), p.toXML().toString());
            }
        } finally {
            focus.instantShutdown();
        }
    }

    @Test
    void aCrashOrACleanLeaveIsFinalAtOnceWhateverTheLeaveConfirmDelay() throws Exception {
        String brewery = prosody.server().breweryJid();
        List<BridgeEvent> events = new CopyOnWriteArrayList<>();
        // a confirm delay far beyond the wait below: only the plain-leave path can remove the bridges in time
        BrewerySettings s = new BrewerySettings(brewery, Duration.ofSeconds(10), BrewerySettings.Mode.MUC, null,
                "sharedStatsNode", Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ZERO);
        try (BridgeRegistry registry = new BridgeRegistry(RegistrySettings.defaults(), SuspectSettings.defaults(),
                Clock.systemUTC(), EventLoops.unregistered());
             var xmpp = new XmppConnectionManager(
                     BridgeTrackingIntegrationTest.focusSettings(prosody, "focus"),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
             BreweryWatcher watcher = new BreweryWatcher(s, registry, xmpp, Clock.systemUTC(),
                     EventLoops.unregistered());
             SimBridge crasher = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "crasher").brewery(brewery));
             SimBridge leaver = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "leaver").brewery(brewery))) {
            registry.addListener(events::add);
            registry.start();
            watcher.start();
            assertFalse(watcher.awaitJoined(Duration.ofMillis(50)), "not joined before the connection is up");
            xmpp.start();
            assertTrue(watcher.awaitJoined(WAIT));
            String c = crasher.occupantJid().toLowerCase();
            String l = leaver.occupantJid().toLowerCase();
            await().atMost(WAIT).until(() -> registry.snapshot().contains(c) && registry.snapshot().contains(l));
            crasher.crash();
            leaver.leave();
            await().atMost(WAIT).until(() -> !registry.snapshot().contains(c) && !registry.snapshot().contains(l));
            assertTrue(events.stream().anyMatch(e -> e.type() == BridgeEvent.Type.REMOVED && e.bridge().id().equals(c)
                    && e.reason().contains("left the brewery")));
            assertEquals(0, xmpp.losses());
        }
    }

    private static List<Presence> shutdownLeaves(List<Seen> seen) {
        return seen.stream().filter(x -> x.from().contains("/stays")
                && x.presence().getType() == Presence.Type.unavailable).map(Seen::presence).toList();
    }

    private List<Presence> shutdownRound(String brewery, int round) throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        List<Long> closed = new CopyOnWriteArrayList<>();
        XMPPTCPConnection focus = new XMPPTCPConnection(prosody.server()
                .connectionConfig(ProsodyExtension.FOCUS_USER, prosody.server().authDomain(),
                        ProsodyExtension.FOCUS_PASSWORD, "capture" + round).build());
        List<SimBridge> stays = new java.util.ArrayList<>();
        try {
            focus.addConnectionListener(new ConnectionListener() {
                @Override public void connectionClosedOnError(Exception e) { closed.add(System.nanoTime()); }
                @Override public void connectionClosed() { closed.add(System.nanoTime()); }
            });
            focus.addSyncStanzaListener(s -> seen.add(new Seen(System.nanoTime(), s.getFrom().toString(), (Presence) s)),
                    StanzaTypeFilter.PRESENCE);
            focus.connect().login();
            for (int i = 1; i <= 5; i++) {
                stays.add(staying("stays" + round + "x" + i));
            }
            focus.sendStanza(focus.getStanzaFactory().buildPresenceStanza()
                    .to(JidCreate.entityFullFrom(JidCreate.entityBareFrom(brewery), Resourcepart.from("capture" + round)))
                    .addExtension(new MUCInitialPresence(null, -1, 0, -1, null)).build());
            await().atMost(WAIT).until(() -> seen.stream().filter(x -> x.presence().isAvailable()
                    && x.from().contains("/stays")).count() >= 5);
            prosody.server().restart();
            await().atMost(WAIT).until(() -> !closed.isEmpty());
            return shutdownLeaves(seen);
        } finally {
            stays.forEach(SimBridge::close);
            focus.instantShutdown();
        }
    }

    private SimBridge staying(String nick) {
        return SimBridge.start(SimBridgeOptions.forServer(prosody.server(), nick).brewery(prosody.server().breweryJid())
                .autoReconnect(false));
    }

    private static Presence unavailableFrom(List<Seen> seen, String nickSuffix) {
        return seen.stream().filter(x -> x.from().endsWith(nickSuffix) && x.presence().getType() == Presence.Type.unavailable)
                .map(Seen::presence).findFirst().orElse(null);
    }
}
