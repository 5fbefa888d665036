package io.focus.core.conference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Source;
import io.focus.core.jingle.BridgeSession;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleContent;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.RtpDescription;
import io.focus.core.jingle.SourceValidator;
import io.focus.core.jingle.JingleSettings;
import io.focus.core.signalling.JingleIqHandler;
import io.focus.core.signalling.JingleSignaller;
import io.focus.core.signalling.SignallingSettings;
import io.focus.core.signalling.XmppFeatureDiscovery;
import io.focus.core.signalling.XmppJingleSender;
import io.focus.core.xmpp.FocusProviders;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.JingleOptions;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The focus signalling Jingle over a real Prosody: simulated bridges in the brewery answer Colibri2, simulated
 * participants (focus-sim, templates written from the captured Jitsi Meet stanzas) answer the offers and keep their
 * own view of the call. The focus side is assembled as the app does it: {@link JingleSignaller} with the XMPP sender
 * and disco, {@link JingleIqHandler} on the connection, {@link ConferenceManager} with the real Colibri2 backend and
 * MUC rooms (the registry and selector are the test fakes, as in {@link ConferenceXmppTest}).
 */
class JingleXmppTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    static final Duration WAIT = Duration.ofSeconds(20);

    ProsodyServer server;
    XMPPTCPConnection focus;
    ExecutorService io;
    ExecutorEventLoop loop;
    FakeBridges bridges;
    ConferenceManager manager;
    ConferenceIqHandler conferenceHandler;
    JingleIqHandler jingleHandler;
    CollectorRegistry registry;
    final Map<String, SimBridge> sims = new LinkedHashMap<>();
    final Map<String, SimParticipant> participants = new LinkedHashMap<>();

    void start(boolean octo, SignallingSettings signalling) throws Exception {
        server = prosody.server();
        FocusProviders.registerAll();
        focus = new XMPPTCPConnection(server.connectionConfig(ProsodyExtension.FOCUS_USER, server.authDomain(),
                ProsodyExtension.FOCUS_PASSWORD, "focus").build());
        focus.connect().login();
        MultiUserChat brewery = MultiUserChatManager.getInstanceFor(focus)
                .getMultiUserChat(JidCreate.entityBareFrom(server.breweryJid()));
        brewery.join(Resourcepart.from("focus"));
        io = Executors.newFixedThreadPool(2);
        loop = new ExecutorEventLoop("jingle-test-loop");
        bridges = new FakeBridges();
        registry = new CollectorRegistry();
        CodecSettings codecs = CodecSettings.defaults();
        JingleSignaller signaller = new JingleSignaller(new JingleOffers(codecs),
                new SourceValidator(JingleSettings.defaults()), signalling,
                new XmppJingleSender(() -> focus, Duration.ofSeconds(5)),
                new XmppFeatureDiscovery(() -> focus, signalling.discoTimeout()), Clock.systemUTC(), registry);
        ConferenceSettings settings = ConferenceSettings.defaults(server.conferenceMucDomain()).withOcto(octo);
        manager = ConferenceManager.builder().settings(settings).bridges(bridges).selector(new TestSelector())
                .backend(new XmppColibriBackend(() -> focus, Duration.ofSeconds(3), true,
                        codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT)))
                .rooms(MucConferenceRoom.factory(() -> focus, "focus", io)).signaller(signaller)
                .loop(loop).clock(Clock.systemUTC()).metrics(registry).build().start();
        conferenceHandler = ConferenceIqHandler.register(manager, focus, "focus@" + server.authDomain());
        jingleHandler = JingleIqHandler.register(signaller, focus);
    }

    void start(boolean octo) throws Exception {
        start(octo, SignallingSettings.defaults());
    }

    SimBridge bridge(String nick, double stress, String region) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region(region).relayId(nick)
                .statsInterval(Duration.ofSeconds(1)));
        b.setStress(stress);
        sims.put(nick, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.state() == SimBridge.State.JOINED);
        bridges.addExact(BridgeState.builder(b.occupantJid()).nick(nick).region(region).relayId(nick)
                .reportedStress(stress).build());
        return b;
    }

    @AfterEach
    void stop() {
        participants.values().forEach(SimParticipant::close);
        if (jingleHandler != null) {
            jingleHandler.unregister();
        }
        if (conferenceHandler != null) {
            conferenceHandler.unregister();
        }
        if (manager != null) {
            manager.close();
        }
        sims.values().forEach(SimBridge::close);
        if (focus != null) {
            focus.disconnect();
        }
        if (loop != null) {
            loop.close();
        }
        if (io != null) {
            io.shutdownNow();
        }
    }

    String room(String name) { return name + "@" + server.conferenceMucDomain(); }

    SimParticipant join(String room, String id, String region, JingleOptions options) {
        SimParticipant p = SimParticipant.anonymous(server, id, region, options);
        participants.put(id, p);
        var reply = p.requestConference("focus@" + server.authDomain() + "/focus", room, Map.of(), WAIT);
        assertEquals("result", reply.type(), () -> "conference request answered " + reply);
        p.join(room);
        return p;
    }

    SimParticipant join(String room, String id, String region) {
        return join(room, id, region, JingleOptions.defaults());
    }

    /** Every participant's view: exactly the other participants' own SSRCs (plus the bridge's feedback). */
    boolean viewsComplete(List<SimParticipant> ps) {
        for (SimParticipant p : ps) {
            JingleSession s = p.session();
            if (s == null || !s.accepted()) {
                return false;
            }
            Map<String, Set<Long>> expected = new HashMap<>();
            for (SimParticipant o : ps) {
                if (o != p) {
                    expected.put(o.endpointId(), o.ownSources().ssrcs());
                }
            }
            Map<String, Set<Long>> actual = new HashMap<>(p.remoteSources());
            Set<Long> jvb = actual.remove("jvb");
            if (jvb == null || jvb.isEmpty() || !expected.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    /** The bridge received the participant's transport (its ufrag) and every one of its SSRCs for that endpoint. */
    static boolean bridgeHasMediaOf(SimBridge b, SimParticipant p) {
        JingleSession s = p.session();
        if (s == null || s.localTransport() == null) {
            return false;
        }
        String ufrag = s.localTransport().ufrag();
        for (String req : b.requests()) {
            String r = req.replace('"', '\'');
            if (r.contains("<endpoint id='" + p.endpointId() + "'") && r.contains("ufrag='" + ufrag + "'")
                    && p.ownSources().ssrcs().stream().allMatch(x -> r.contains("ssrc='" + x + "'"))) {
                return true;
            }
        }
        return false;
    }

    Map<String, String> placement(String room) {
        ConferenceView v = manager.conference(room);
        Map<String, String> m = new HashMap<>();
        if (v != null) {
            v.placement().forEach((ep, b) -> m.put(ep, BridgeState.nickOf(b)));
        }
        return m;
    }

    boolean noneMoving(String room) {
        ConferenceView v = manager.conference(room);
        return v != null && !v.anyMoving();
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void threePartyCallThenJoinAndLeaveUpdateEveryone() throws Exception {
        start(false);
        SimBridge jvb1 = bridge("jvb1", 0.1, null);
        String room = room("call3");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null, JingleOptions.defaults().withJsonSources(true));
        SimParticipant c = join(room, "c3c3c3c3", null);
        List<SimParticipant> all = new ArrayList<>(List.of(a, b, c));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        for (SimParticipant p : all) {
            JingleSession s = p.session();
            assertEquals(manager.conference(room).bridge(jvb1.occupantJid()).sessionId(), s.bridgeSessionId());
            assertNotNull(s.remoteTransport().fingerprint(), "the bridge's DTLS fingerprint was offered");
            assertEquals("focus@" + server.authDomain() + "/focus", s.initiator());
            await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb1, p));
        }
        assertTrue(b.session().jsonSources(), "b advertises json-encoded-sources and gets JSON");
        assertTrue(!a.session().jsonSources(), "a gets XML");

        SimParticipant d = join(room, "d4d4d4d4", null);
        all.add(d);
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb1, d));

        c.leave();
        all.remove(c);
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> !jvb1.model().conferences().values().iterator().next().endpoints()
                .contains("c3c3c3c3"));
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void aBridgeCrashReSignalsEveryAffectedParticipantOnAnotherBridge() throws Exception {
        start(false);
        SimBridge jvb1 = bridge("jvb1", 0.1, null);
        SimBridge jvb2 = bridge("jvb2", 0.5, null);
        String room = room("crash");
        List<SimParticipant> all = List.of(join(room, "a1a1a1a1", null), join(room, "b2b2b2b2", null),
                join(room, "c3c3c3c3", null));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        Map<String, String> oldSessions = new HashMap<>();
        all.forEach(p -> oldSessions.put(p.endpointId(), p.session().sid()));
        String oldBridgeSession = all.get(0).session().bridgeSessionId();

        jvb1.crash();
        bridges.remove("jvb1");

        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.session() != null && p.session().accepted()
                && !p.session().sid().equals(oldSessions.get(p.endpointId()))));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> noneMoving(room));
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb2", "c3c3c3c3", "jvb2"), placement(room));
        String newBridgeSession = manager.conference(room).bridge(jvb2.occupantJid()).sessionId();
        for (SimParticipant p : all) {
            assertEquals(newBridgeSession, p.session().bridgeSessionId());
            assertNotEquals(oldBridgeSession, p.session().bridgeSessionId());
            assertTrue(p.session().remoteTransport().webSocketUrl().contains("/jvb2/"),
                    () -> "a transport of jvb2: " + p.session().remoteTransport());
            assertEquals("success moving", p.lastTerminateReason());
            await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb2, p));
        }
    }

    @Test
    void anIceFailedReportMovesOneParticipant() throws Exception {
        start(true);
        SimBridge jvb1 = bridge("jvb1", 0.1, null);
        SimBridge jvb2 = bridge("jvb2", 0.5, null);
        String room = room("ice");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        SimParticipant c = join(room, "c3c3c3c3", null);
        List<SimParticipant> all = List.of(a, b, c);
        await().atMost(WAIT).until(() -> viewsComplete(all));
        String oldSid = a.session().sid();

        var reply = a.reportIceFailed().get();
        assertTrue(reply.isResult(), () -> "session-info answered " + reply);

        await().atMost(WAIT).until(() -> a.session() != null && a.session().accepted()
                && !a.session().sid().equals(oldSid));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> noneMoving(room));
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb1", "c3c3c3c3", "jvb1"), placement(room));
        assertEquals(manager.conference(room).bridge(jvb2.occupantJid()).sessionId(), a.session().bridgeSessionId());
        await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb2, a));
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_participants_ice_failed_total"));
        // b and c kept their sessions; a's relay endpoint on jvb1 carries its sources.
        assertEquals(1, b.sessionsStarted());
        await().atMost(WAIT).until(() -> jvb1.requests().stream().anyMatch(r -> r.contains("<relay")
                && r.contains("a1a1a1a1") && a.ownSources().ssrcs().stream()
                .allMatch(x -> r.replace('"', '\'').contains("ssrc='" + x + "'"))));
        // A report for the old bridge session is stale now.
        JingleIQ stale = JingleIQ.builder(JingleAction.SESSION_INFO, a.session().sid()).iceState("failed")
                .bridgeSession(BridgeSession.of("not-the-current-one", null)).build();
        assertEquals(StanzaError.Condition.item_not_found, errorOf(a, stale, room));
    }

    @Test
    void badJingleInputIsRefusedWithoutSideEffects() throws Exception {
        start(false);
        SimBridge jvb1 = bridge("jvb1", 0.1, null);
        String room = room("bad");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        List<SimParticipant> all = List.of(a, b);
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb1, a) && bridgeHasMediaOf(jvb1, b));
        Map<String, Set<Long>> aView = Map.copyOf(a.remoteSources());
        Map<String, Set<Long>> bView = Map.copyOf(b.remoteSources());
        int bridgeRequests = jvb1.requests().size();
        int bReceived = b.jingleReceived().size();

        long taken = b.ownSources().ssrcs().iterator().next();
        // a claims b's SSRC; then far too many SSRCs; then a source-remove of something it never had; a wrong sid.
        assertEquals(StanzaError.Condition.bad_request, errorOf(a, sourceAdd(a.session().sid(), taken), room));
        long[] many = new long[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = 9_000_000L + i;
        }
        assertEquals(StanzaError.Condition.bad_request, errorOf(a, sourceAdd(a.session().sid(), many), room));
        JingleIQ remove = JingleIQ.builder(JingleAction.SOURCE_REMOVE, a.session().sid())
                .content(audio(12345L)).build();
        assertEquals(StanzaError.Condition.bad_request, errorOf(a, remove, room));
        assertEquals(StanzaError.Condition.item_not_found, errorOf(a, sourceAdd("wrongsid", 777L), room));

        // Nothing changed anywhere: a legitimate change afterwards is the next thing everyone sees.
        assertEquals(bridgeRequests, jvb1.requests().size());
        assertEquals(bReceived, b.jingleReceived().size());
        assertEquals(aView, a.remoteSources());
        assertEquals(bView, b.remoteSources());
        assertTrue(a.removeOwnSources("video").get().isResult());
        await().atMost(WAIT).until(() -> viewsComplete(all));
        assertEquals(bReceived + 1, b.jingleReceived().size());
    }

    @Test
    void aParticipantThatNeverAnswersIsReOfferedThenTakenOffItsBridge() throws Exception {
        start(false, SignallingSettings.defaults().withOfferTimeout(Duration.ofSeconds(1), 1));
        SimBridge jvb1 = bridge("jvb1", 0.1, null);
        String room = room("silent");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        SimParticipant mute = join(room, "m0m0m0m0", null, JingleOptions.defaults().withNeverAnswer(true));
        await().atMost(WAIT).until(() -> viewsComplete(List.of(a, b)));
        await().atMost(WAIT).until(() -> manager.conference(room).participant("m0m0m0m0").state()
                == ParticipantView.State.WAITING && manager.conference(room).participant("m0m0m0m0").bridgeId() == null);
        assertEquals(2, mute.jingleReceived().stream().filter(s -> s.startsWith("session-initiate")).count(),
                () -> "one offer and one re-offer: " + mute.jingleReceived());
        await().atMost(WAIT).until(() -> jvb1.model().conferences().values().stream()
                .allMatch(cs -> !cs.endpoints().contains("m0m0m0m0")));
        assertEquals(1.0, registry.getSampleValue("focus_jingle_participants_given_up_total"));
        assertTrue(viewsComplete(List.of(a, b)), "the others never saw the silent participant");
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    // ---------------------------------------------------------------------------------------------------------

    static JingleContent audio(long... ssrcs) {
        RtpDescription.Builder d = RtpDescription.builder("audio");
        for (long s : ssrcs) {
            d.source(new Source(s, "bad-" + s));
        }
        return JingleContent.sourcesOnly("audio", d.build());
    }

    static JingleIQ sourceAdd(String sid, long... ssrcs) {
        return JingleIQ.builder(JingleAction.SOURCE_ADD, sid).content(audio(ssrcs)).build();
    }

    /** Sends the IQ from the participant's own connection to the focus in the room; returns the error condition. */
    StanzaError.Condition errorOf(SimParticipant p, JingleIQ iq, String room) throws Exception {
        iq.setTo(JidCreate.from(room + "/focus"));
        iq.setType(IQ.Type.set);
        try {
            IQ reply = p.connection().sendIqRequestAndWaitForResponse(iq);
            throw new AssertionError("expected an error, got " + reply.toXML());
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
    }
}
