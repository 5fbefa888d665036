package io.focus.core.conference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.Source;
import io.focus.core.jingle.BridgeSession;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleContent;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.RtpDescription;
import io.focus.core.signalling.JingleIqHandler;
import io.focus.core.signalling.JingleSignaller;
import io.focus.core.signalling.SignallingSettings;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.JingleOptions;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.impl.JidCreate;
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

    XmppFocusHarness f;

    void start(boolean octo, SignallingSettings signalling) throws Exception {
        f = XmppFocusHarness.startWithJingle(prosody.server(), s -> s.withOcto(octo), signalling);
    }

    void start(boolean octo) throws Exception {
        start(octo, SignallingSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    SimParticipant join(String room, String id, String region, JingleOptions options) {
        SimParticipant p = f.track(SimParticipant.anonymous(f.server, id, region, options));
        var reply = p.requestConference(f.focusFullJid(), room, Map.of(), WAIT);
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

    /**
     * The bridge received the participant's full transport from its session-accept in an endpoint update: ufrag,
     * pwd, and the DTLS fingerprint with its hash and setup.
     */
    static boolean bridgeHasTransportOf(SimBridge b, SimParticipant p) {
        JingleSession s = p.session();
        if (s == null || s.localTransport() == null) {
            return false;
        }
        var t = s.localTransport();
        for (String req : b.requests()) {
            String r = req.replace('"', '\'');
            if (r.contains("<endpoint id='" + p.endpointId() + "'") && r.contains("ufrag='" + t.ufrag() + "'")
                    && r.contains("pwd='" + t.pwd() + "'") && r.contains("hash='" + t.hash() + "'")
                    && r.contains("setup='" + t.setup() + "'") && r.contains(">" + t.fingerprint() + "<")) {
                return true;
            }
        }
        return false;
    }

    static int count(SimParticipant p, String action) {
        return (int) p.jingleReceived().stream().filter(r -> r.startsWith(action + " ")).count();
    }

    boolean noneMoving(String room) {
        ConferenceView v = f.manager.conference(room);
        return v != null && !v.anyMoving();
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void threePartyCallThenJoinAndLeaveUpdateEveryone() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("call3");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null, JingleOptions.defaults().withJsonSources(true));
        SimParticipant c = join(room, "c3c3c3c3", null);
        List<SimParticipant> all = new ArrayList<>(List.of(a, b, c));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        for (SimParticipant p : all) {
            JingleSession s = p.session();
            assertEquals(f.manager.conference(room).bridge(jvb1.occupantJid()).sessionId(), s.bridgeSessionId());
            assertNotNull(s.remoteTransport().fingerprint(), "the bridge's DTLS fingerprint was offered");
            assertEquals(f.focusFullJid(), s.initiator());
            await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb1, p));
        }
        assertTrue(b.session().jsonSources(), "b advertises json-encoded-sources and gets JSON");
        assertTrue(!a.session().jsonSources(), "a gets XML");

        Map<String, Integer> addsBefore = new HashMap<>();
        all.forEach(p -> addsBefore.put(p.endpointId(), count(p, "source-add")));
        SimParticipant d = join(room, "d4d4d4d4", null);
        all.add(d);
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb1, d));
        for (SimParticipant p : List.of(a, b, c)) {
            assertEquals(addsBefore.get(p.endpointId()) + 1, count(p, "source-add"),
                    () -> p.endpointId() + " learns of d in one source-add: " + p.jingleReceived());
        }

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
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.5, null);
        String room = f.room("crash");
        List<SimParticipant> all = List.of(join(room, "a1a1a1a1", null), join(room, "b2b2b2b2", null),
                join(room, "c3c3c3c3", null));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        Map<String, String> oldSessions = new HashMap<>();
        all.forEach(p -> oldSessions.put(p.endpointId(), p.session().sid()));
        String oldBridgeSession = all.get(0).session().bridgeSessionId();

        jvb1.crash();
        f.bridges.remove("jvb1");

        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.session() != null && p.session().accepted()
                && !p.session().sid().equals(oldSessions.get(p.endpointId()))));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> noneMoving(room));
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb2", "c3c3c3c3", "jvb2"), f.placement(room));
        String newBridgeSession = f.manager.conference(room).bridge(jvb2.occupantJid()).sessionId();
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
    void afterACrashEachNewOfferCarriesTheOtherTwoAndTheNewBridgeGetsEveryonesMedia() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.5, null);
        String room = f.room("crash3");
        List<SimParticipant> all = List.of(join(room, "a1a1a1a1", null), join(room, "b2b2b2b2", null),
                join(room, "c3c3c3c3", null));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        Map<String, Integer> receivedBefore = new HashMap<>();
        all.forEach(p -> receivedBefore.put(p.endpointId(), p.jingleReceived().size()));

        jvb1.crash();
        f.bridges.remove("jvb1");

        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.sessionsStarted() == 2
                && p.session().accepted()));
        await().atMost(WAIT).until(() -> viewsComplete(all));
        await().atMost(WAIT).until(() -> noneMoving(room));
        for (SimParticipant p : all) {
            // The view is complete without any source update: the new session-initiate carried the other two.
            List<String> after = p.jingleReceived().subList(receivedBefore.get(p.endpointId()),
                    p.jingleReceived().size()).stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
            assertEquals(List.of("session-terminate", "session-initiate"), after, p.endpointId());
            Map<String, Set<Long>> others = new HashMap<>(p.remoteSources());
            others.remove("jvb");
            Map<String, Set<Long>> expected = new HashMap<>();
            all.stream().filter(o -> o != p).forEach(o -> expected.put(o.endpointId(), o.ownSources().ssrcs()));
            assertEquals(expected, others, p.endpointId() + "'s view");
            await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb2, p) && bridgeHasTransportOf(jvb2, p));
        }
    }

    @Test
    void anIceFailedReportMovesOneParticipant() throws Exception {
        start(true);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.5, null);
        String room = f.room("ice");
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
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb1", "c3c3c3c3", "jvb1"), f.placement(room));
        assertEquals(f.manager.conference(room).bridge(jvb2.occupantJid()).sessionId(), a.session().bridgeSessionId());
        await().atMost(WAIT).until(() -> bridgeHasMediaOf(jvb2, a));
        assertEquals(1.0, f.registry.getSampleValue("jitsi_jicofo_participants_ice_failed_total"));
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
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("bad");
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
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("silent");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        SimParticipant mute = join(room, "m0m0m0m0", null, JingleOptions.defaults().withNeverAnswer(true));
        await().atMost(WAIT).until(() -> viewsComplete(List.of(a, b)));
        await().atMost(WAIT).until(() -> f.manager.conference(room).participant("m0m0m0m0").state()
                == ParticipantView.State.WAITING
                && f.manager.conference(room).participant("m0m0m0m0").bridgeId() == null);
        assertEquals(2, mute.jingleReceived().stream().filter(s -> s.startsWith("session-initiate")).count(),
                () -> "one offer and one re-offer: " + mute.jingleReceived());
        await().atMost(WAIT).until(() -> jvb1.model().conferences().values().stream()
                .allMatch(cs -> !cs.endpoints().contains("m0m0m0m0")));
        assertEquals(1.0, f.registry.getSampleValue("focus_jingle_participants_given_up_total"));
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
