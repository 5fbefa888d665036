package io.focus.conference;

import io.focus.health.HealthDoctor;
import io.focus.health.HealthSettings;
import io.focus.health.SmackHealthCheckSender;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.focus.health.discovery.BreweryWatcher;
import io.focus.health.discovery.BrewerySettings;
import io.focus.core.bridge.BridgeEvent;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.health.registry.RegistrySettings;
import io.focus.health.registry.SuspectSettings;
import io.focus.conference.BridgeFeedback;
import io.focus.conference.ColibriDeadlineWatch;
import io.focus.core.bridge.RoundTrips;
import io.focus.conference.ConferenceIqHandler;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceSettings;
import io.focus.conference.ConferenceView;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.conference.MucConferenceRoom;
import io.focus.conference.XmppColibriBackend;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.xmpp.ConferenceIq;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.selection.FilteringBridgeSelector;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.net.FreezableRelay;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.core.xmpp.connection.StanzaLimits;

/**
 * Detection of silent bridges with the focus's real pieces (registry, brewery watcher, health doctor at the default
 * settings, the real selector, conferences over Colibri2 with the deadline watch) on a real Prosody with stream
 * management ({@code smacks_hibernation_time = 15}, as stock installs have it), SimBridges publishing stats every 5 s
 * as real JVBs do, and participants that join conference rooms. The focus talks to Prosody through a
 * {@link FreezableRelay}, so its own link can be frozen.
 */
class BridgeSuspicionIntegrationTest {
    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults().withStreamManagement(true)
            .withExtraGlobalConfig("smacks_hibernation_time = 15"));
    static final AtomicInteger runs = new AtomicInteger();
    static final Duration WAIT = Duration.ofSeconds(15);
    /** As in production: the Colibri2 reply timeout the detection must beat. */
    static final Duration COLIBRI_REPLY_TIMEOUT = Duration.ofSeconds(15);

    record Seen(BridgeEvent.Type type, String nick, String reason, long nanos) {}

    final int n = runs.incrementAndGet();
    final String brewery = "jvbbrewery" + n + "@" + prosody.server().internalMucDomain();
    final List<Seen> events = new CopyOnWriteArrayList<>();
    final CollectorRegistry metrics = new CollectorRegistry();
    final List<SimBridge> bridges = new ArrayList<>();
    final List<XMPPTCPConnection> clients = new ArrayList<>();
    FreezableRelay relay;
    XmppConnectionManager xmpp;
    BridgeRegistry registry;
    BreweryWatcher watcher;
    HealthDoctor doctor;
    ExecutorEventLoop loop;
    ExecutorEventLoop deadlines;
    ExecutorService io;
    ConferenceManager manager;
    ConferenceIqHandler iqHandler;
    ColibriDeadlineWatch watch;

    void startFocus() throws Exception {
        relay = new FreezableRelay(prosody.host(), prosody.port());
        xmpp = new XmppConnectionManager(XmppSettings.builder(XmppSettings.SERVICE).hostname("127.0.0.1")
                .port(relay.port()).domain(prosody.server().authDomain()).username(ProsodyExtension.FOCUS_USER)
                .password(ProsodyExtension.FOCUS_PASSWORD).resource("focus" + n).useTls(false).build(),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
        registry = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1),
                Duration.ofSeconds(1)), SuspectSettings.defaults(), Clock.systemUTC(), EventLoops.unregistered());
        registry.setOwnLink(xmpp);
        registry.addListener(e -> events.add(new Seen(e.type(), e.bridge().nick(), e.reason(), System.nanoTime())));
        registry.start();
        watcher = new BreweryWatcher(new BrewerySettings(brewery, Duration.ofSeconds(30), BrewerySettings.Mode.MUC,
                null, "n", Duration.ofSeconds(30), Duration.ZERO), registry, xmpp, Clock.systemUTC(),
                EventLoops.unregistered());
        watcher.start();
        xmpp.start();
        assertTrue(xmpp.awaitFirstLogin(WAIT));
        await().atMost(WAIT).until(watcher::joined);
        RoundTrips roundTrips = new RoundTrips(); // one per focus: its doctor's and its Colibri2 requests' order
        doctor = new HealthDoctor(HealthSettings.fromConfig(ConfigFactory.load()), registry,
                new SmackHealthCheckSender(xmpp), xmpp, EventLoops.unregistered(), Clock.systemUTC(), metrics,
                roundTrips);
        doctor.start();

        EventLoops loops = EventLoops.unregistered();
        loop = loops.create("detection-test-conferences");
        deadlines = loops.create("detection-test-deadlines");
        io = Executors.newFixedThreadPool(2);
        watch = new ColibriDeadlineWatch(registry, xmpp,
                SuspectSettings.defaults().colibriDeadline(), deadlines, roundTrips);
        manager = ConferenceManager.builder()
                .settings(ConferenceSettings.defaults(prosody.server().conferenceMucDomain()))
                .bridges(registry)
                .selector(FilteringBridgeSelector.create(ConfigFactory.load(), metrics, Clock.systemUTC()))
                .backend(new XmppColibriBackend(xmpp.requests(), COLIBRI_REPLY_TIMEOUT,
                        CodecSettings.defaults().colibriAudio(OfferOptions.DEFAULT),
                        CodecSettings.defaults().colibriVideo(OfferOptions.DEFAULT), watch))
                .rooms(MucConferenceRoom.factory(xmpp::connection, "focus", io))
                .feedback(new Feedback(registry))
                .signaller(ParticipantSignaller.NONE)
                .loop(loop).clock(Clock.systemUTC()).metrics(metrics)
                .build().start();
        iqHandler = ConferenceIqHandler.register(manager, xmpp.requests(), focusJid());
    }

    String focusJid() { return ProsodyExtension.FOCUS_USER + "@" + prosody.server().authDomain(); }

    @AfterEach
    void tearDown() throws Exception {
        for (XMPPTCPConnection c : clients) c.disconnect();
        if (iqHandler != null) iqHandler.unregister();
        if (manager != null) manager.close();
        bridges.forEach(SimBridge::close);
        if (doctor != null) doctor.close();
        if (watcher != null) watcher.close();
        if (xmpp != null) xmpp.close();
        if (registry != null) registry.close();
        if (loop != null) loop.close();
        if (deadlines != null) deadlines.close();
        if (io != null) io.shutdownNow();
        if (relay != null) relay.close();
    }

    SimBridge bridge(String nick, double stress, boolean streamManagement) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), nick).brewery(brewery)
                .resource(nick + "-d" + n).relayId(nick).streamManagement(streamManagement));
        b.setStress(stress);
        bridges.add(b);
        String id = b.occupantJid().toLowerCase();
        await().atMost(WAIT).until(() -> registry.snapshot().contains(id));
        return b;
    }

    String room(String name) { return name + n + "@" + prosody.server().conferenceMucDomain(); }

    /** A client asks the focus for the conference and joins its room (it is placed once two are in). */
    void participant(String room, String nick) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(prosody.server().anonymousConfig().build());
        c.connect().login();
        clients.add(c);
        ConferenceIq iq = ConferenceIq.builder().room(room).property("rtcstatsEnabled", "false").build();
        iq.setType(IQ.Type.set);
        iq.setTo(JidCreate.from(focusJid() + "/focus" + n));
        IQ reply = c.sendIqRequestAndWaitForResponse(iq);
        assertEquals(IQ.Type.result, reply.getType());
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(room));
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from(nick)).build());
    }

    Map<String, String> placement(String room) {
        ConferenceView v = manager.conference(room);
        Map<String, String> m = new HashMap<>();
        if (v != null) {
            v.placement().forEach((ep, b) -> m.put(ep, BridgeState.nickOf(b)));
        }
        return m;
    }

    Seen first(BridgeEvent.Type type, String nick) {
        return events.stream().filter(e -> e.type() == type && e.nick().equals(nick)).findFirst().orElse(null);
    }

    double metric(String name) {
        Double v = metrics.getSampleValue(name);
        return v == null ? 0 : v;
    }

    @Test
    void aFrozenBridgeIsFailedAndItsParticipantsMoveBeforeTheColibriTimeout() throws Exception {
        startFocus();
        SimBridge jvb1 = bridge("jvb1", 0.1, false);
        SimBridge jvb2 = bridge("jvb2", 0.4, false);
        bridge("jvb3", 0.5, false);
        String room = room("frozen");
        participant(room, "p1");
        participant(room, "p2");
        await().atMost(WAIT).until(() -> Map.of("p1", "jvb1", "p2", "jvb1").equals(placement(room)));

        long frozenAt = System.nanoTime();
        jvb1.hang();
        await().atMost(COLIBRI_REPLY_TIMEOUT.minusSeconds(1))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(placement(room)));
        Seen suspected = first(BridgeEvent.Type.SUSPECTED, "jvb1");
        Seen failed = first(BridgeEvent.Type.FAILED, "jvb1");
        assertNotNull(suspected, "suspect first");
        assertNotNull(failed);
        assertTrue(suspected.nanos() <= failed.nanos());
        assertTrue(failed.nanos() > frozenAt);
        assertTrue(failed.reason().contains("probe unanswered"), failed.reason());
        assertNull(first(BridgeEvent.Type.REMOVED, "jvb1"), "the frozen bridge is still in the brewery");
        // the far end: the healthy bridge has both participants in its conference
        await().atMost(WAIT).until(() -> jvb2.model().endpoints().containsAll(List.of("p1", "p2")));
    }

    @Test
    void aParticipantJoiningWhileABridgeIsFrozenGoesToAHealthyOne() throws Exception {
        startFocus();
        SimBridge jvb1 = bridge("jvb1", 0.1, false);
        SimBridge jvb2 = bridge("jvb2", 0.4, false);
        jvb1.hang();
        // jvb1 is the least loaded: the first allocation goes there, is unanswered past the deadline, jvb1 becomes
        // suspect and is probed; nobody waits for the 15 s Colibri2 reply timeout
        String room = room("joining");
        participant(room, "p1");
        participant(room, "p2");
        await().atMost(COLIBRI_REPLY_TIMEOUT.minusSeconds(2))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(placement(room)));
        assertTrue(jvb2.model().endpoints().containsAll(List.of("p1", "p2")));
        assertTrue(registry.snapshot().get(jvb1.occupantJid().toLowerCase()).suspect());

        // a later conference is not even tried on the suspect bridge
        String later = room("later");
        participant(later, "q1");
        participant(later, "q2");
        await().atMost(WAIT).until(() -> Map.of("q1", "jvb2", "q2", "jvb2").equals(placement(later)));
        await().atMost(WAIT).until(() -> jvb2.model().endpoints().containsAll(List.of("q1", "q2")));
    }

    @Test
    void aKilledBridgeWhoseSessionHibernatesIsFailedBeforeProsodyDropsIt() throws Exception {
        startFocus();
        SimBridge jvb1 = bridge("jvb1", 0.1, true);
        SimBridge jvb2 = bridge("jvb2", 0.4, false);
        String room = room("killed");
        participant(room, "p1");
        participant(room, "p2");
        await().atMost(WAIT).until(() -> Map.of("p1", "jvb1", "p2", "jvb1").equals(placement(room)));

        jvb1.kill(); // socket reset; Prosody keeps its session (stream management) for 15 s
        await().atMost(COLIBRI_REPLY_TIMEOUT.minusSeconds(1))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(placement(room)));
        Seen failed = first(BridgeEvent.Type.FAILED, "jvb1");
        assertNotNull(failed);
        Seen removed = first(BridgeEvent.Type.REMOVED, "jvb1");
        assertTrue(removed == null || removed.nanos() > failed.nanos(), "failed before Prosody dropped it");
        assertTrue(jvb2.model().endpoints().containsAll(List.of("p1", "p2")));
    }

    /**
     * Prosody bounces what it queued for a killed bridge once the bridge's hibernation ends ({@code
     * recipient-unavailable}, no {@code jitsi:colibri2} reason): that is not the bridge answering. The request fails
     * as a server bounce (an expire is owed, not settled), and the bridge is not cleared of suspicion by it.
     */
    @Test
    void prosodysBounceForAKilledBridgeIsNotTheBridgeAnswering() throws Exception {
        startFocus();
        SimBridge jvb1 = bridge("jvb1", 0.1, true);
        bridge("jvb2", 0.4, false);
        BridgeState b1 = registry.snapshot().get(jvb1.occupantJid().toLowerCase());
        jvb1.kill(); // Prosody keeps its session hibernating for 15 s: what is sent to it is queued
        // longer than the hibernation: the reply is Prosody's bounce, not a timeout
        XmppColibriBackend backend = new XmppColibriBackend(xmpp.requests(), Duration.ofSeconds(30),
                CodecSettings.defaults().colibriAudio(OfferOptions.DEFAULT),
                CodecSettings.defaults().colibriVideo(OfferOptions.DEFAULT), watch);
        java.util.concurrent.CompletableFuture<Void> expire = backend.expireConference(b1,
                new ConferenceSpec("m-killed", room("killed-bounce"), false));
        ColibriException e = ColibriException.of(assertThrows(Exception.class,
                () -> expire.get(25, java.util.concurrent.TimeUnit.SECONDS)));
        assertTrue(e.serverBounce(), e.toString());
        assertTrue(e.unanswered(), "an expire bounced by the server is owed");
        assertEquals("recipient-unavailable", e.condition());
        // Prosody bounces the queued stanzas before the brewery reports the bridge gone: by REMOVED (events come in
        // order) anything the bounce did to the bridge's suspicion has been seen
        await().atMost(WAIT).until(() -> first(BridgeEvent.Type.REMOVED, "jvb1") != null);
        assertTrue(events.stream().noneMatch(x -> x.type() == BridgeEvent.Type.SUSPICION_CLEARED
                && x.nick().equals("jvb1") && x.reason().contains("Colibri2")),
                "the bounce did not clear jvb1's suspicion: " + events);
    }

    @Test
    void theFocussOwnLinkFrozenFailsNoBridge() throws Exception {
        startFocus();
        bridge("jvb1", 0.1, false);
        bridge("jvb2", 0.4, false);
        bridge("jvb3", 0.5, false);
        relay.freeze();
        // every bridge's stats become overdue (7.5 s) and each is probed; the focus's own server does not answer its
        // ping either, so nothing is failed
        await().atMost(WAIT).until(() -> metrics.getSampleValue("focus_health_own_link_suspect_total") != null
                && metric("focus_health_own_link_suspect_total") >= 1);
        assertNull(events.stream().filter(e -> e.type() == BridgeEvent.Type.FAILED).findFirst().orElse(null));
        relay.unfreeze();
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.snapshot().bridges().stream()
                .noneMatch(BridgeState::suspect) && registry.snapshot().size() == 3);
        assertNull(events.stream().filter(e -> e.type() == BridgeEvent.Type.FAILED).findFirst().orElse(null),
                "no bridge was failed for the focus's own trouble");
    }

    /** The registry as the conferences' feedback (what the app's RegistryFeedback does). */
    private record Feedback(BridgeRegistry r) implements BridgeFeedback {
        @Override public void endpointAdded(String id) { r.endpointAdded(id); }
        @Override public void endpointRemoved(String id) { r.endpointRemoved(id); }
        @Override public void conferenceAdded(String id) { r.conferenceAdded(id); }
        @Override public void conferenceRemoved(String id) { r.conferenceRemoved(id); }
        @Override public void bridgeFailed(String id, String reason) { r.markFailed(id, reason); }
        @Override public void gracefulShutdown(String id) {
            r.onStats(id, new BridgeStats(Map.of(BridgeStats.GRACEFUL_SHUTDOWN,
                    "true")));
        }
        @Override public void bridgeRestarted(String id) { r.bridgeRestarted(id, "conference_not_found"); }
        @Override public void participantTrouble(String id, String participant) { r.participantTrouble(id, participant); }
    }
}
