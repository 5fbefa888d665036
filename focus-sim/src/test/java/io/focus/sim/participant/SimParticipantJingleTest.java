package io.focus.sim.participant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.Xml;

/**
 * A simulated participant against a fake focus (raw Smack sending the captured Jicofo stanzas) over a real Prosody.
 */
class SimParticipantJingleTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();
    static final AtomicInteger ROOMS = new AtomicInteger();

    static final String XML_OFFER = "jingle-session-initiate.xml";
    static final String JSON_OFFER = "jingle-session-initiate-json-sources.xml";
    static final Set<Long> JVB_XML = Set.of(450492729L, 1458505769L);
    static final Set<Long> JVB_JSON = Set.of(2855227197L, 1967725967L);

    static String newRoom() {
        return "jingle" + ROOMS.incrementAndGet() + "@" + prosody.server().conferenceMucDomain();
    }

    static SimParticipant joined(String room, String ep, JingleOptions o) {
        SimParticipant p = SimParticipant.anonymous(prosody.server(), ep, "us-east", o);
        p.join(room);
        return p;
    }

    static Element only(List<Element> l) {
        assertEquals(1, l.size(), () -> "expected one, got " + l.size());
        return l.get(0);
    }

    static String shapeWithoutOwner(Element e) {
        return JingleTemplatesTest.shapeWithoutOwner(e);
    }

    @Test
    void xmlOfferIsAcceptedAndSourceAddRemoveUpdateTheView() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            IQ ack = focus.send(XML_OFFER, "e5f6a7b8", "sid-x1");
            assertNotNull(ack, "session-initiate acked");
            assertEquals(IQ.Type.result, ack.getType());
            await().until(() -> b.session() != null && b.session().accepted());

            JingleSession s = b.session();
            assertEquals("sid-x1", s.sid());
            assertEquals(room + "/focus", s.focus());
            assertEquals("focus@auth.meet.test/focus", s.initiator());
            assertEquals("aeab3801-7eba-4df9-b45c-1973257b3553", s.bridgeSessionId());
            assertEquals("eu-west", s.region());
            assertEquals("1g80q1k801tg7r", s.remoteTransport().ufrag());
            assertTrue(s.remoteTransport().webSocketUrl().contains("/colibri-ws/jvb2/"));
            assertEquals(2, s.remoteTransport().candidates().size());
            assertFalse(s.jsonSources());
            assertEquals(1, b.sessionsStarted());
            assertEquals(Map.of("jvb", JVB_XML), b.remoteSources());

            // the session-accept the focus got: same sid, responder, own transport (setup=active) and own sources
            Element accept = only(focus.received("session-accept"));
            assertEquals("sid-x1", accept.getAttribute("sid"));
            assertEquals(b.jid(), accept.getAttribute("responder"));
            assertEquals("focus@auth.meet.test/focus", accept.getAttribute("initiator"));
            IceTransport t = JingleCodec.transport(accept);
            assertEquals(s.localTransport().ufrag(), t.ufrag());
            assertEquals("active", t.setup());
            assertNotEquals(s.remoteTransport().ufrag(), t.ufrag());
            Map<String, EndpointSources> sent = JingleCodec.sourcesFromXml(accept);
            // like the recorded clients: no ssrc-info owner (the focus knows the sender) and no candidates
            assertEquals(Set.of(JingleCodec.UNKNOWN_OWNER), sent.keySet());
            assertEquals(b.ownSources().ssrcs(), sent.get(JingleCodec.UNKNOWN_OWNER).ssrcs());
            assertEquals(List.of("FID"), sent.get(JingleCodec.UNKNOWN_OWNER).groups().stream().map(SsrcGroup::semantics).toList());
            assertTrue(t.candidates().isEmpty());

            // source-add (XML): A's sources
            assertEquals(IQ.Type.result, focus.send("jingle-source-add.xml", "e5f6a7b8", "sid-x1").getType());
            await().until(() -> b.remoteSources().containsKey("a1b2c3d4"));
            assertEquals(Map.of("jvb", JVB_XML, "a1b2c3d4", Set.of(2126583482L, 1634046611L, 702218162L)), b.remoteSources());

            // source-remove (XML), the captured remove with owner and SSRCs substituted: A's video goes
            IQ rm = focus.send("jingle-source-remove.xml", "e5f6a7b8", Map.of("sid", "sid-x1"),
                    x -> x.replace("c9d0e1f2", "a1b2c3d4").replace("447674469", "1634046611").replace("2040014909", "702218162"), 5000);
            assertEquals(IQ.Type.result, rm.getType());
            await().until(() -> b.remoteSources().get("a1b2c3d4").size() == 1);
            assertEquals(Map.of("jvb", JVB_XML, "a1b2c3d4", Set.of(2126583482L)), b.remoteSources());
            assertTrue(b.remoteSourceDetails().get("a1b2c3d4").groups().isEmpty());
            assertEquals(0, b.jingleRefused());
        }
    }

    @Test
    void jsonParticipantAdvertisesTheFeatureAndReadsJsonSources() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant a = joined(room, "a1b2c3d4", JingleOptions.defaults());
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults().withJsonSources(false))) {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(focus.connection);
            // as Jicofo learnt it in the capture: disco#info to the occupant
            assertTrue(disco.discoverInfo(JidCreate.from(room + "/a1b2c3d4")).containsFeature(JingleOptions.JSON_SOURCES_FEATURE));
            assertFalse(disco.discoverInfo(JidCreate.from(room + "/e5f6a7b8")).containsFeature(JingleOptions.JSON_SOURCES_FEATURE));
            assertTrue(disco.discoverInfo(JidCreate.from(room + "/e5f6a7b8")).containsFeature("urn:xmpp:jingle:1"));

            assertEquals(IQ.Type.result, focus.send(JSON_OFFER, "a1b2c3d4", "sid-j1").getType());
            await().until(() -> a.session() != null && a.session().accepted());
            assertTrue(a.session().jsonSources());
            assertEquals("us-east", a.session().region());
            assertEquals(Map.of("jvb", JVB_JSON), a.remoteSources());

            focus.send("jingle-source-add-json.xml", "a1b2c3d4", "sid-j1");
            await().until(() -> a.remoteSources().containsKey("e5f6a7b8"));
            assertEquals(Set.of(1774102663L, 1546830553L, 1112786975L), a.remoteSources().get("e5f6a7b8"));

            // the captured JSON remove, substituted to B's video
            focus.send("jingle-source-remove-json.xml", "a1b2c3d4", Map.of("sid", "sid-j1"),
                    x -> x.replace("c9d0e1f2", "e5f6a7b8").replace("447674469", "1774102663").replace("2040014909", "1546830553"), 5000);
            await().until(() -> a.remoteSources().get("e5f6a7b8").size() == 1);
            assertEquals(Set.of(1112786975L), a.remoteSources().get("e5f6a7b8"));

            // bridge loss: every source of B goes
            focus.send("jingle-source-remove-bridge-loss-json.xml", "a1b2c3d4", "sid-j1");
            await().until(() -> !a.remoteSources().containsKey("e5f6a7b8"));
            assertEquals(Map.of("jvb", JVB_JSON), a.remoteSources());
        }
    }

    @Test
    void terminateThenANewSessionWithANewSid() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            focus.send(XML_OFFER, "e5f6a7b8", "sid-t1");
            await().until(() -> b.session() != null && b.session().accepted());
            focus.send("jingle-source-add.xml", "e5f6a7b8", "sid-t1");
            await().until(() -> b.remoteSources().size() == 2);

            assertEquals(IQ.Type.result, focus.send("jingle-session-terminate-move.xml", "e5f6a7b8", "sid-t1").getType());
            await().until(() -> b.session() == null);
            assertEquals(Map.of(), b.remoteSources());
            assertEquals("success moving", b.lastTerminateReason());

            // a source-add for the old session is refused and changes nothing
            IQ stale = focus.send("jingle-source-add.xml", "e5f6a7b8", "sid-t1");
            assertEquals(IQ.Type.error, stale.getType());
            assertEquals(StanzaError.Condition.item_not_found, stale.getError().getCondition());
            assertEquals(Map.of(), b.remoteSources());

            focus.send("jingle-session-initiate-after-move.xml", "e5f6a7b8", "sid-t2");
            await().until(() -> b.session() != null && b.session().accepted());
            assertEquals("sid-t2", b.session().sid());
            assertEquals(2, b.sessionsStarted());
            Element offer = Fixtures.child("jingle-session-initiate-after-move.xml");
            assertEquals(JingleCodec.bridgeSession(offer).orElseThrow().getAttribute("id"), b.session().bridgeSessionId());
            assertEquals(List.of("sid-t1", "sid-t2"), focus.received("session-accept").stream().map(j -> j.getAttribute("sid")).toList());
            assertEquals(List.of("session-initiate sid-t1", "source-add sid-t1", "session-terminate sid-t1", "source-add sid-t1",
                    "session-initiate sid-t2"), b.jingleReceived());
        }
    }

    @Test
    void transportReplaceIsAnsweredWithTransportAccept() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            focus.send(XML_OFFER, "e5f6a7b8", "sid-r1");
            await().until(() -> b.session() != null && b.session().accepted());
            String firstLocal = b.session().localTransport().ufrag();

            // the after-move offer re-sent as a transport-replace on the same session, with a new ufrag
            IQ r = focus.send("jingle-session-initiate-after-move.xml", "e5f6a7b8",
                    Map.of("sid", "sid-r1", "action", "transport-replace"), x -> x.replaceAll("ufrag='[^']*'", "ufrag='newufrag1'")
                            .replaceAll("ufrag=\"[^\"]*\"", "ufrag=\"newufrag1\""), 5000);
            assertEquals(IQ.Type.result, r.getType());
            await().until(() -> b.session().transportReplaces() == 1);
            assertEquals("newufrag1", b.session().remoteTransport().ufrag());
            assertEquals("sid-r1", b.session().sid());
            assertEquals(1, b.sessionsStarted());
            Element offer = Fixtures.child("jingle-session-initiate-after-move.xml");
            assertEquals(JingleCodec.bridgeSession(offer).orElseThrow().getAttribute("id"), b.session().bridgeSessionId());

            await().until(() -> focus.received("transport-accept").size() == 1);
            Element accept = only(focus.received("transport-accept"));
            assertEquals("sid-r1", accept.getAttribute("sid"));
            IceTransport t = JingleCodec.transport(accept);
            assertEquals(b.session().localTransport().ufrag(), t.ufrag());
            assertNotEquals(firstLocal, t.ufrag());
            assertEquals("active", t.setup());
        }
    }

    @Test
    void iceFailureReportAndRestartReachTheFocusWithTheBridgeSession() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            focus.send(XML_OFFER, "e5f6a7b8", "sid-i1");
            await().until(() -> b.session() != null && b.session().accepted());
            String bs = b.session().bridgeSessionId();

            JingleReply r = b.reportIceFailed().get(10, TimeUnit.SECONDS);
            assertTrue(r.isResult(), r::toString);
            Element info = only(focus.received("session-info"));
            assertEquals("sid-i1", info.getAttribute("sid"));
            assertEquals("failed", Xml.child(info, "ice-state", JingleCodec.FOCUS_NS).orElseThrow().getTextContent());
            assertEquals(bs, JingleCodec.bridgeSession(info).orElseThrow().getAttribute("id"));
            assertEquals(Xml.shape(Xml.parse("<jingle xmlns='urn:xmpp:jingle:1' action='a' initiator='i' sid='s'>"
                    + "<ice-state xmlns='http://jitsi.org/protocol/focus'>failed</ice-state>"
                    + "<bridge-session xmlns='http://jitsi.org/protocol/focus' id='b'/></jingle>")), Xml.shape(info));

            // a focus that finds the bridge session stale answers item-not-found: the participant reports it
            focus.responder = j -> "session-info".equals(j.getAttribute("action")) ? StanzaError.Condition.item_not_found : null;
            JingleReply stale = b.reportIceFailed().get(10, TimeUnit.SECONDS);
            assertTrue(stale.isError());
            assertEquals("item-not-found", stale.errorCondition());
            assertNotNull(b.session(), "an error reply does not end the session");

            JingleReply t = b.requestRestart().get(10, TimeUnit.SECONDS);
            assertTrue(t.isResult(), t::toString);
            Element term = only(focus.received("session-terminate"));
            assertEquals("sid-i1", term.getAttribute("sid"));
            Element bridgeSession = JingleCodec.bridgeSession(term).orElseThrow();
            assertEquals(bs, bridgeSession.getAttribute("id"));
            assertEquals("true", bridgeSession.getAttribute("restart"));
            assertTrue(Xml.child(Xml.child(term, "reason").orElseThrow(), "connectivity-error").isPresent());
            assertNull(b.session());
            assertEquals(Map.of(), b.remoteSources());

            // the focus re-invites: a new session
            focus.send("jingle-session-initiate-after-move.xml", "e5f6a7b8", "sid-i2");
            await().until(() -> b.session() != null && b.session().accepted() && b.sessionsStarted() == 2);
        }
    }

    /** The captured source-add (A's sources) with A's SSRCs replaced by {@code a}'s own. */
    static IQ sendSourcesOf(FakeFocus focus, SimParticipant a, String to, String sid) throws Exception {
        List<Long> mine = List.copyOf(a.ownSources().ssrcs());
        List<String> captured = List.of("2126583482", "1634046611", "702218162");
        return focus.send("jingle-source-add.xml", to, Map.of("sid", sid), x -> {
            String y = x;
            for (int i = 0; i < captured.size(); i++) {
                y = y.replace(captured.get(i), Long.toString(mine.get(i)));
            }
            return y;
        }, 5000);
    }

    @Test
    void callViewFollowsSourcesSessionsAndLeavers() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant a = joined(room, "a1b2c3d4", JingleOptions.defaults());
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            List<SimParticipant> both = List.of(a, b);
            focus.send(XML_OFFER, "e5f6a7b8", "sid-c1");
            await().until(() -> b.session() != null && b.session().accepted());
            assertFalse(b.callComplete(both), "A's sources not there yet");
            assertTrue(b.callComplete(List.of(b)), "alone: an accepted session is a complete call");

            assertEquals(IQ.Type.result, sendSourcesOf(focus, a, "e5f6a7b8", "sid-c1").getType());
            await().until(() -> b.callComplete(both));
            assertEquals(Set.of("a1b2c3d4"), b.seenEndpoints());

            // session-terminate clears the view; a new session-initiate starts from its own sources
            focus.send("jingle-session-terminate-move.xml", "e5f6a7b8", "sid-c1");
            await().until(() -> b.session() == null);
            assertTrue(b.seenEndpoints().isEmpty());
            assertFalse(b.callComplete(List.of(b)), "no session");
            focus.send(XML_OFFER, "e5f6a7b8", "sid-c2");
            await().until(() -> b.session() != null && b.session().accepted());
            assertFalse(b.callComplete(both));
            sendSourcesOf(focus, a, "e5f6a7b8", "sid-c2");
            await().until(() -> b.callComplete(both));

            // A leaves the room: its sources go (no source-remove, as from Jicofo), and a call with A is incomplete
            a.leave();
            await().until(() -> b.seenEndpoints().isEmpty());
            assertTrue(b.callComplete(List.of(b)));
            assertFalse(b.callComplete(both));
            assertTrue(b.callProblems(both).get(0).contains("lacks"), () -> b.callProblems(both).toString());
        }
    }

    @Test
    void ownSourcesCanBeRemovedAndAddedAgain() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant c = joined(room, "c9d0e1f2", JingleOptions.defaults().withSignalOwner(false))) {
            focus.send(XML_OFFER, "c9d0e1f2", "sid-o1");
            await().until(() -> c.session() != null && c.session().accepted());
            EndpointSources before = c.ownSources();
            Set<Long> video = Set.copyOf(before.sources().stream().filter(s -> s.media().equals("video")).map(MediaSource::ssrc).toList());

            assertTrue(c.removeOwnSources("video").get(10, TimeUnit.SECONDS).isResult());
            Element rm = only(focus.received("source-remove"));
            assertEquals(Xml.shape(Fixtures.child("sim-jingle-source-remove.xml")), Xml.shape(rm));
            assertEquals("sid-o1", rm.getAttribute("sid"));
            assertEquals(Map.of(JingleCodec.UNKNOWN_OWNER, video), Map.of(JingleCodec.UNKNOWN_OWNER,
                    JingleCodec.sourcesFromXml(rm).get(JingleCodec.UNKNOWN_OWNER).ssrcs()));
            assertEquals(List.of("audio"), c.ownSources().sources().stream().map(MediaSource::media).toList());
            assertTrue(c.ownSources().groups().isEmpty());

            assertTrue(c.addOwnSources("video").get(10, TimeUnit.SECONDS).isResult());
            Element add = only(focus.received("source-add"));
            Set<Long> added = JingleCodec.sourcesFromXml(add).get(JingleCodec.UNKNOWN_OWNER).ssrcs();
            assertEquals(2, added.size());
            assertTrue(added.stream().noneMatch(video::contains), "fresh SSRCs");
            assertEquals(3, c.ownSources().ssrcs().size());
        }
    }

    @Test
    void withoutAutoAcceptTheOfferIsHeldAndWithNeverAnswerNothingIsSent() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant held = joined(room, "aaaa0001", JingleOptions.defaults().withAutoAccept(false));
             SimParticipant mute = joined(room, "aaaa0002", JingleOptions.defaults().withNeverAnswer(true))) {
            assertEquals(IQ.Type.result, focus.send(XML_OFFER, "aaaa0001", "sid-h1").getType());
            // the state is set before the ack goes out
            assertEquals(JingleSession.State.OFFERED, held.session().state());
            assertTrue(focus.received("session-accept").isEmpty());
            assertTrue(held.accept().get(10, TimeUnit.SECONDS).isResult());
            assertEquals("sid-h1", only(focus.received("session-accept")).getAttribute("sid"));
            await().until(() -> held.session().accepted());

            IQ none = focus.send(XML_OFFER, "aaaa0002", Map.of("sid", "sid-n1"), x -> x, 1500);
            assertNull(none, "no ack at all");
            await().until(() -> mute.session() != null);
            assertEquals(JingleSession.State.OFFERED, mute.session().state());
            assertEquals("sid-n1", mute.session().sid());
            assertEquals(1, focus.received("session-accept").size());
        }
    }

    @Test
    void badJingleIsRefusedWithoutSideEffects() throws Exception {
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            focus.send(XML_OFFER, "e5f6a7b8", "sid-b1");
            await().until(() -> b.session() != null && b.session().accepted());
            JingleSession s = b.session();

            // unparseable SSRC in a source-add
            IQ bad = focus.send("jingle-source-add.xml", "e5f6a7b8", Map.of("sid", "sid-b1"), x -> x.replace("2126583482", "12ab"), 5000);
            assertEquals(IQ.Type.error, bad.getType());
            assertEquals(StanzaError.Condition.bad_request, bad.getError().getCondition());
            // broken JSON
            IQ badJson = focus.sendRaw("e5f6a7b8", Map.of("action", "source-add", "sid", "sid-b1"),
                    "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":</json-message>", 5000);
            assertEquals(StanzaError.Condition.bad_request, badJson.getError().getCondition());
            // an offer without a transport does not replace the session
            IQ noTransport = focus.sendRaw("e5f6a7b8", Map.of("action", "session-initiate", "sid", "sid-b2"),
                    "<content name='audio'/>", 5000);
            assertEquals(StanzaError.Condition.bad_request, noTransport.getError().getCondition());
            // an action a client does not know
            IQ unknown = focus.sendRaw("e5f6a7b8", Map.of("action", "content-frobnicate", "sid", "sid-b1"), "", 5000);
            assertEquals(StanzaError.Condition.feature_not_implemented, unknown.getError().getCondition());

            assertEquals(4, b.jingleRefused());
            assertEquals(s, b.session());
            assertEquals(Map.of("jvb", JVB_XML), b.remoteSources());
            assertEquals(1, b.sessionsStarted());
            // and the participant still works
            focus.send("jingle-source-add.xml", "e5f6a7b8", "sid-b1");
            await().until(() -> b.remoteSources().containsKey("a1b2c3d4"));
        }
    }

    @Test
    void worksWhateverJingleProviderTheJvmHas() throws Exception {
        // the focus (same JVM) registers its own Jingle provider; one that fails on everything must not matter
        org.jivesoftware.smack.provider.ProviderManager.addIQProvider("jingle", JingleCodec.JINGLE_NS,
                new org.jivesoftware.smack.provider.IQProvider<IQ>() {
                    @Override
                    public IQ parse(org.jivesoftware.smack.xml.XmlPullParser parser, int depth,
                                    org.jivesoftware.smack.packet.XmlEnvironment env) {
                        throw new IllegalStateException("foreign provider used");
                    }
                });
        String room = newRoom();
        try (FakeFocus focus = new FakeFocus(prosody.server(), room);
             SimParticipant b = joined(room, "e5f6a7b8", JingleOptions.defaults())) {
            assertEquals(IQ.Type.result, focus.send(XML_OFFER, "e5f6a7b8", "sid-p1").getType());
            await().until(() -> b.session() != null && b.session().accepted());
            assertEquals("aeab3801-7eba-4df9-b45c-1973257b3553", b.session().bridgeSessionId());
            assertEquals(Map.of("jvb", JVB_XML), b.remoteSources());
        } finally {
            org.jivesoftware.smack.provider.ProviderManager.addIQProvider("jingle", JingleCodec.JINGLE_NS,
                    new org.jivesoftware.smackx.jingle.provider.JingleProvider());
        }
    }
}
