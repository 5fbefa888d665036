package io.focus.conference;

import static io.focus.sim.testing.CallAssertions.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.colibri.Source;
import io.focus.core.jingle.BridgeSession;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleContent;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.RtpDescription;
import io.focus.conference.signalling.JingleIqHandler;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.signalling.SignallingSettings;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.ColibriFault;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.JingleOptions;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Every call is asserted at its far end with {@link CallAssertions}: each participant sees exactly the others'
 * own sources, and on the bridge it is placed on its endpoint is connected with its current transport, holds exactly
 * its own SSRCs and can receive everyone else's (over a connected relay when they are on another bridge); leavers and
 * moved endpoints are expired.
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
        // a and c as older clients that do not ask for JSON sources; b as the recorded clients do
        SimParticipant a = join(room, "a1a1a1a1", null, JingleOptions.defaults().withJsonSources(false));
        SimParticipant b = join(room, "b2b2b2b2", null, JingleOptions.defaults());
        SimParticipant c = join(room, "c3c3c3c3", null, JingleOptions.defaults().withJsonSources(false));
        List<SimParticipant> all = List.of(a, b, c);
        call(room).on(jvb1, a, b, c).await();
        for (SimParticipant p : all) {
            JingleSession s = p.session();
            assertEquals(f.manager.conference(room).bridge(jvb1.occupantJid()).sessionId(), s.bridgeSessionId());
            assertNotNull(s.remoteTransport().fingerprint(), "the bridge's DTLS fingerprint was offered");
            assertEquals(f.focusFullJid(), s.initiator());
        }
        assertTrue(b.session().jsonSources(), "b advertises json-encoded-sources and gets JSON");
        assertTrue(!a.session().jsonSources(), "a gets XML");

        Map<String, Integer> addsBefore = new HashMap<>();
        all.forEach(p -> addsBefore.put(p.endpointId(), count(p, "source-add")));
        SimParticipant d = join(room, "d4d4d4d4", null);
        call(room).on(jvb1, a, b, c, d).await();
        for (SimParticipant p : List.of(a, b, c)) {
            assertEquals(addsBefore.get(p.endpointId()) + 1, count(p, "source-add"),
                    () -> p.endpointId() + " learns of d in one source-add: " + p.jingleReceived());
        }

        // c is gone from everyone's view and its endpoint expired on jvb1
        c.leave();
        call(room).on(jvb1, a, b, d).await();
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
        call(room).on(jvb1, all).andNothingOn(jvb2).await();
        Map<String, String> oldSessions = new HashMap<>();
        all.forEach(p -> oldSessions.put(p.endpointId(), p.session().sid()));
        String oldBridgeSession = all.get(0).session().bridgeSessionId();

        jvb1.crash();
        f.bridges.remove("jvb1");

        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.session() != null && p.session().accepted()
                && !p.session().sid().equals(oldSessions.get(p.endpointId()))));
        call(room).on(jvb2, all).andNothingOn(jvb1).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb2", "c3c3c3c3", "jvb2"), f.placement(room));
        String newBridgeSession = f.manager.conference(room).bridge(jvb2.occupantJid()).sessionId();
        for (SimParticipant p : all) {
            assertEquals(newBridgeSession, p.session().bridgeSessionId());
            assertNotEquals(oldBridgeSession, p.session().bridgeSessionId());
            assertTrue(p.session().remoteTransport().webSocketUrl().contains("/jvb2/"),
                    () -> "a transport of jvb2: " + p.session().remoteTransport());
            assertEquals("success moving", p.lastTerminateReason());
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
        call(room).on(jvb1, all).andNothingOn(jvb2).await();
        Map<String, Integer> receivedBefore = new HashMap<>();
        all.forEach(p -> receivedBefore.put(p.endpointId(), p.jingleReceived().size()));

        jvb1.crash();
        f.bridges.remove("jvb1");

        await().atMost(WAIT).until(() -> all.stream().allMatch(p -> p.sessionsStarted() == 2
                && p.session().accepted()));
        // jvb2 has every endpoint connected with the new session's transport and everyone's sources
        call(room).on(jvb2, all).andNothingOn(jvb1).await();
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
        call(room).on(jvb1, a, b, c).andNothingOn(jvb2).await();
        String oldSid = a.session().sid();

        var reply = a.reportIceFailed().get();
        assertTrue(reply.isResult(), () -> "session-info answered " + reply);

        await().atMost(WAIT).until(() -> a.session() != null && a.session().accepted()
                && !a.session().sid().equals(oldSid));
        // a's endpoint on jvb1 is expired, jvb2 has it connected, and the relay between them is connected and
        // carries a's sources to jvb1 and b's and c's to jvb2
        call(room).on(jvb2, a).on(jvb1, b, c).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
        assertEquals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb1", "c3c3c3c3", "jvb1"), f.placement(room));
        assertEquals(f.manager.conference(room).bridge(jvb2.occupantJid()).sessionId(), a.session().bridgeSessionId());
        assertEquals(1.0, f.registry.getSampleValue("jitsi_jicofo_participants_ice_failed_total"));
        // b and c kept their sessions.
        assertEquals(1, b.sessionsStarted());
        assertEquals(1, c.sessionsStarted());
        // A report for the old bridge session is stale now.
        JingleIQ stale = JingleIQ.builder(JingleAction.SESSION_INFO, a.session().sid()).iceState("failed")
                .bridgeSession(BridgeSession.of("not-the-current-one", null)).build();
        assertEquals(StanzaError.Condition.item_not_found, errorOf(a, stale, room));
    }

    @Test
    void aRegionCallSpansTwoBridgesOverAConnectedRelayAndLeaversAreExpiredOnBoth() throws Exception {
        start(true);
        SimBridge east = f.bridge("jvb1", 0.1, "us-east");
        SimBridge west = f.bridge("jvb2", 0.1, "eu-west");
        String room = f.room("regions");
        SimParticipant a = join(room, "a1a1a1a1", "us-east");
        SimParticipant b = join(room, "b2b2b2b2", "eu-west");
        SimParticipant c = join(room, "c3c3c3c3", "eu-west");
        // each bridge's relay towards the other is connected and announces the other side's participants
        call(room).on(east, a).on(west, b, c).await();
        assertEquals(Map.of("a1a1a1a1", "jvb1", "b2b2b2b2", "jvb2", "c3c3c3c3", "jvb2"), f.placement(room));
        SimParticipant d = join(room, "d4d4d4d4", "us-east");
        call(room).on(east, a, d).on(west, b, c).await();

        // a leave on one side reaches both bridges: the endpoint on west, the relay's announcement on east
        b.leave();
        call(room).on(east, a, d).on(west, c).await();
        // the last ones leave east: nothing of the call stays there, and west's relay towards it is expired
        a.leave();
        d.leave();
        call(room).on(west, c).andNothingOn(east).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void aRestartRequestGivesTheBridgeTheParticipantsNewTransport() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("restart");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        CallAssertions call = call(room).on(jvb1, a, b);
        call.await();
        String oldSid = a.session().sid();
        String oldUfrag = jvb1.endpoint(room, "a1a1a1a1").orElseThrow().ufrag();

        var reply = a.requestRestart().get();
        assertTrue(reply.isResult(), () -> "session-terminate answered " + reply);
        await().atMost(WAIT).until(() -> a.session() != null && a.session().accepted()
                && !a.session().sid().equals(oldSid));
        // the bridge has the new session's transport (not the old one), and b still gets a's media
        call.await();
        assertNotEquals(oldUfrag, jvb1.endpoint(room, "a1a1a1a1").orElseThrow().ufrag());
        assertEquals(1, b.sessionsStarted(), "b keeps its session");
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void anAdminMoveSplitsTheCallOverAConnectedRelayAndADrainTakesTheRestAlong() throws Exception {
        start(true);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.5, null);
        String room = f.room("admin");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        SimParticipant c = join(room, "c3c3c3c3", null);
        call(room).on(jvb1, a, b, c).andNothingOn(jvb2).await();

        MoveResult moved = f.manager.moveEndpoint(room, "a1a1a1a1", jvb1.occupantJid()).get(10, TimeUnit.SECONDS);
        assertEquals(1, moved.movedEndpoints(), moved::toString);
        // a is connected on jvb2, expired on jvb1, and gets b's and c's media over the relay (and they a's)
        call(room).on(jvb2, a).on(jvb1, b, c).await();
        await().atMost(WAIT).until(() -> noneMoving(room));

        // a drain with moves empties jvb1 step by step: the whole call ends on jvb2, nothing of it on jvb1
        f.manager.drain(jvb1.occupantJid(), true, 1, Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
        call(room).on(jvb2, a, b, c).andNothingOn(jvb1).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void aColibriErrorAtJoinEndsInACompleteCallOnTheOtherBridge() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        jvb1.setColibriFault(ColibriFault.error("internal-server-error"));
        String room = f.room("colibri-error");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        call(room).on(jvb2, a, b).andNothingOn(jvb1).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void aShuttingDownBridgesCallMovesWithItsMedia() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        String room = f.room("shutdown");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        call(room).on(jvb1, a, b).andNothingOn(jvb2).await();

        jvb1.setShuttingDown(true);
        f.bridges.update("jvb1", x -> x.shuttingDown(true));
        f.bridges.fire(BridgeEvent.Type.SHUTTING_DOWN, jvb1.occupantJid(), "shutting_down");
        // jvb1 is still up: its endpoints must be expired there, and jvb2 must have both connected
        call(room).on(jvb2, a, b).andNothingOn(jvb1).await();
        await().atMost(WAIT).until(() -> noneMoving(room));
    }

    @Test
    void badJingleInputIsRefusedWithoutSideEffects() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("bad");
        SimParticipant a = join(room, "a1a1a1a1", null);
        SimParticipant b = join(room, "b2b2b2b2", null);
        CallAssertions call = call(room).on(jvb1, a, b);
        call.await();
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
        // b no longer has a's video, and neither has jvb1
        call.await();
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
        await().atMost(WAIT).until(() -> a.callComplete(List.of(b)) && b.callComplete(List.of(a)));
        await().atMost(WAIT).until(() -> f.manager.conference(room).participant("m0m0m0m0").state()
                == ParticipantView.State.WAITING
                && f.manager.conference(room).participant("m0m0m0m0").bridgeId() == null);
        assertEquals(2, mute.jingleReceived().stream().filter(s -> s.startsWith("session-initiate")).count(),
                () -> "one offer and one re-offer: " + mute.jingleReceived());
        // the silent one's endpoint is expired on jvb1; a and b do not see it and still carry each other's media
        call(room).on(jvb1, a, b).await();
        assertEquals(1.0, f.registry.getSampleValue("focus_jingle_participants_given_up_total"));
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
