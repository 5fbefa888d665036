package io.focus.conference;

import io.focus.core.testing.ManualLoop;

import io.focus.core.testing.RequiresRecordings;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.ConferenceModifiedIQ;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.EndpointSources;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleRequests;
import io.focus.core.jingle.JingleSettings;
import io.focus.core.jingle.SourceValidator;
import io.focus.conference.signalling.JingleSender;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.signalling.SignallingSettings;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.Stanzas;
import io.focus.core.testing.XmlAssert;
import io.focus.core.providers.FocusProviders;
import io.prometheus.client.CollectorRegistry;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What {@link JingleSignaller} actually sends, compared with what the real Jicofo sent in the captured run
 * ({@code ../shared/fixtures/real-jitsi/}). The scenario mirrors fixture1: room {@code fixture1}, A = a1b2c3d4
 * (us-east, advertises json-encoded-sources) on jvb1, B = e5f6a7b8 (eu-west, XML) on jvb2, octo on. The conference
 * manager runs with the real signaller; the Colibri2 answers are the bridges' captured {@code conference-modified}
 * responses, turned into allocations by the same code as {@link XmppColibriBackend} (so the transports, feedback
 * sources and fingerprints the participants are offered come from the real bridges); the participants' answers are
 * the captured simulated {@code session-accept} and {@code source-remove}. The recording sender keeps every stanza.
 *
 * <p>Compared structurally ({@link XmlAssert}: names, namespaces, attributes, child order, text). Differences with
 * a reason, applied before comparing:
 * <ul>
 *   <li>{@code sid} and the {@code bridge-session id} are random per run: the focus's values are replaced by the
 *       fixture's (the helper ignores only the root's {@code id}/{@code to}/{@code from}).</li>
 *   <li>Jicofo adds a W3C {@code <traceparent>} child to its offers; with no tracer configured it is all zeros
 *       (see the fixtures' caveats) and carries nothing. The focus does no tracing and sends none, so the
 *       {@code traceparent} elements are removed from the expected stanza.</li>
 * </ul>
 * Deliberate differences from Jicofo's recorded stanzas:
 * <ul>
 *   <li>On a move (bridge loss) Jicofo sends the others a {@code source-remove} of the mover's sources before the
 *       mover's {@code session-terminate}, and adds them again after the mover's new {@code session-accept}. The
 *       focus keeps the mover in the others' views (a move is not a leave; clients that keep their SSRCs need no
 *       update at all, and the movers' new offers carry each other): the same {@code source-remove} goes out only
 *       when the mover's new accept changes its SSRCs, together with the {@code source-add} of the new ones.</li>
 * </ul>
 * Not compared: the after-move {@code session-initiate}: in the captured run jvb1 had expired the conference and
 * Jicofo re-invited A as well, so its offer to B carried no other participant; the focus keeps A's session and
 * offers B A's sources (the builder-level golden test compares that stanza). And Jicofo sends no
 * {@code source-remove} when a participant leaves the MUC (the leave is the signal); the focus does (clients handle
 * both), so C's leave sends extra stanzas that have no captured counterpart.
 */
@RequiresRecordings
class SignallerGoldenTest {
    static final String ROOM = "fixture1@conference.meet.test";
    static final String A = "a1b2c3d4";
    static final String B = "e5f6a7b8";
    static final String C = "c9d0e1f2";

    final ManualLoop loop = new ManualLoop();
    final FakeBridges bridges = new FakeBridges();
    final FakeRooms rooms = new FakeRooms();
    final Recorder sender = new Recorder();
    JingleSignaller signaller;
    ConferenceManager manager;
    FakeRooms.Room room;

    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    @BeforeEach
    void setUp() {
        signaller = new JingleSignaller(new JingleOffers(CodecSettings.defaults()),
                new SourceValidator(JingleSettings.defaults()),
                SignallingSettings.defaults(), sender,
                (jid, node) -> CompletableFuture.completedFuture(jid.endsWith("/" + A)
                        ? Set.of(JingleSignaller.JSON_SOURCES_FEATURE) : Set.of()),
                loop.clock, new CollectorRegistry());
        manager = ConferenceManager.builder().settings(ConferenceSettings.defaults("conference.meet.test")
                        .withOcto(true))
                .bridges(bridges).selector(new TestSelector()).backend(new CapturedBridges()).rooms(rooms)
                .signaller(signaller).feedback(BridgeFeedback.NONE).loop(loop).clock(loop.clock).metrics(new CollectorRegistry()).build().start();
        bridges.add("jvb1", 0.1, "us-east");
        bridges.add("jvb2", 0.1, "eu-west");
        var f = manager.requestConference(ROOM, Map.of());
        loop.runPending();
        assertTrue(f.join().ready());
        room = rooms.room(ROOM);
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void offersAreJicofosSessionInitiates() throws Exception {
        twoParticipantsOffered();
        compare("jingle-session-initiate.xml", sender.last(B, "session-initiate"));
        compare("jingle-session-initiate-json-sources.xml", sender.last(A, "session-initiate"));
    }

    @Test
    void acceptsAnnounceTheSourcesAsJicofosSourceAdds() throws Exception {
        twoParticipantsOffered();
        accept(A);
        accept(B);
        compare("jingle-source-add.xml", sender.last(B, "source-add"));
        compare("jingle-source-add-json.xml", sender.last(A, "source-add"));
        assertEquals(1, sender.count(A, "source-add"));
        assertEquals(1, sender.count(B, "source-add"));
    }

    @Test
    void aParticipantsSourceRemoveIsForwardedAsJicofoDid() throws Exception {
        twoParticipantsOffered();
        accept(A);
        accept(B);
        room.join(C, "us-east");
        loop.runPending();
        assertEquals(FakeBridges.id("jvb1"), manager.conference(ROOM).placement().get(C));
        accept(C);
        sender.clear();
        IQ reply = handle(fromFixture("sim-jingle-source-remove.delivered.xml", C));
        assertEquals(IQ.Type.result, reply.getType());
        compare("jingle-source-remove.xml", sender.last(B, "source-remove"));
        compare("jingle-source-remove-json.xml", sender.last(A, "source-remove"));
    }

    @Test
    void aBridgeLossTerminatesAsJicofoDidAndTheOthersKeepTheMoversSources() throws Exception {
        twoParticipantsOffered();
        accept(A);
        accept(B);
        sender.clear();
        bridges.remove("jvb2");
        loop.runPending();
        compare("jingle-session-terminate-move.xml", sender.first(B, "session-terminate"));
        // Deliberate difference: Jicofo first sent A a source-remove of B's sources (the fixture
        // jingle-source-remove-bridge-loss-json.xml); the focus keeps B in A's view while B moves (see
        // JingleSignaller#onMoving), and B's fresh offer on jvb1 carries A's sources.
        List<String> order = sender.sent.stream().map(i -> nickOf(i) + " " + i.actionName()).toList();
        assertEquals(List.of(B + " session-terminate", B + " session-initiate"), order);
        JingleIQ reoffer = sender.last(B, "session-initiate");
        assertTrue(reoffer.bridgeSession().id() != null);
        assertTrue(EndpointSources.fromContents(reoffer.contents()).ssrcs().containsAll(A_SSRCS),
                () -> "B's new offer carries A's sources: " + EndpointSources.fromContents(reoffer.contents()));
        // A real client answers its new session with new SSRCs (real-call sequence d): A then gets Jicofo's
        // source-remove of B's old sources, at B's accept rather than at the bridge loss, then the new ones.
        accept(B, Map.of("1112786975", "1112786976", "1774102663", "1774102664", "1546830553", "1546830554"));
        compare("jingle-source-remove-bridge-loss-json.xml", sender.first(A, "source-remove"));
        assertEquals(List.of("source-remove", "source-add"), sender.to(A).stream().map(JingleIQ::actionName).toList());
        assertEquals(Set.of(1112786976L, 1774102664L, 1546830554L),
                JingleRequests.sources(sender.last(A, "source-add")).ssrcs());
    }

    @Test
    void theComparisonCanFail() throws Exception {
        twoParticipantsOffered();
        // B's XML offer is not A's JSON offer
        assertThrows(AssertionError.class,
                () -> compare("jingle-session-initiate-json-sources.xml", sender.last(B, "session-initiate")));
    }

    // ---------------------------------------------------------------------------------------------------------

    private void twoParticipantsOffered() {
        room.join(A, "us-east");
        room.join(B, "eu-west");
        loop.runPending();
        assertEquals(Map.of(A, FakeBridges.id("jvb1"), B, FakeBridges.id("jvb2")),
                manager.conference(ROOM).placement());
        assertNotNull(sender.last(A, "session-initiate"));
        assertNotNull(sender.last(B, "session-initiate"));
    }

    /** A's SSRCs in its session-accept (see {@link #accept(String)}). */
    static final Set<Long> A_SSRCS = Set.of(2126583482L, 1634046611L, 702218162L);

    /** The captured simulated session-accept of B, re-addressed to the participant (its sources renamed). */
    private void accept(String ep) throws Exception {
        accept(ep, Map.of());
    }

    /** As {@link #accept(String)}, with further replacements in the stanza (e.g. new SSRCs). */
    private void accept(String ep, Map<String, String> replace) throws Exception {
        String xml = Fixtures.read("sim-jingle-session-accept.delivered.xml");
        for (Map.Entry<String, String> r : replace.entrySet()) {
            xml = xml.replace(r.getKey(), r.getValue());
        }
        if (ep.equals(A)) {
            xml = xml.replace("1112786975", "2126583482").replace("1774102663", "1634046611")
                    .replace("1546830553", "702218162");
        } else if (ep.equals(C)) {
            xml = xml.replace("1112786975", "3735928559").replace("1774102663", "447674469")
                    .replace("1546830553", "2040014909");
        }
        IQ reply = handle(fromFixture(xml.replace(B, ep), ep, true));
        assertEquals(IQ.Type.result, reply.getType(), () -> reply.toXML().toString());
    }

    private JingleIQ fromFixture(String name, String ep) throws Exception {
        return fromFixture(Fixtures.read(name), ep, true);
    }

    /** Parses a participant's stanza with the sid of the participant's current session. */
    private JingleIQ fromFixture(String xml, String ep, boolean currentSid) throws Exception {
        JingleIQ parsed = Stanzas.parse(xml);
        String sid = sender.sids.get(ep);
        assertNotNull(sid, "no offer to " + ep);
        JingleIQ iq = Stanzas.parse(xml.replace("sid='" + parsed.sid() + "'", "sid='" + sid + "'"));
        iq.setFrom(JidCreate.from(ROOM + "/" + ep));
        return iq;
    }

    private IQ handle(JingleIQ iq) {
        int before = sender.replies.size();
        signaller.handleRequest(iq);
        loop.runPending();
        assertEquals(before + 1, sender.replies.size(), "one answer");
        return sender.replies.get(sender.replies.size() - 1);
    }

    private static String nickOf(JingleIQ iq) {
        String to = iq.getTo().toString();
        return to.substring(to.indexOf('/') + 1);
    }

    /** Compares what the focus sent with Jicofo's stanza, after the documented normalisation. */
    static void compare(String fixture, JingleIQ sent) {
        String expectedXml = Fixtures.read(fixture);
        Element expected = XmlAssert.parse(expectedXml);
        Element actual = XmlAssert.parse(sent.toXML(XmlAssert.STREAM).toString());
        removeAll(expected, "traceparent");
        Element ej = child(expected, "jingle");
        Element aj = child(actual, "jingle");
        assertNotNull(aj, "no jingle element");
        aj.setAttribute("sid", ej.getAttribute("sid"));
        Element ebs = child(ej, "bridge-session");
        Element abs = child(aj, "bridge-session");
        if (ebs != null && abs != null) {
            abs.setAttribute("id", ebs.getAttribute("id"));
        }
        assertSameStructure(serialize(expected), serialize(actual));
    }

    private static Element child(Element e, String localName) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && localName.equals(c.getLocalName())) {
                return c;
            }
        }
        return null;
    }

    private static void removeAll(Element root, String localName) {
        NodeList all = root.getElementsByTagNameNS("*", localName);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            nodes.add(all.item(i));
        }
        nodes.forEach(n -> n.getParentNode().removeChild(n));
    }

    private static String serialize(Element e) {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Records what the signaller sends; every participant acknowledges at once. */
    static final class Recorder implements JingleSender {
        final List<JingleIQ> sent = new ArrayList<>();
        final List<IQ> replies = new ArrayList<>();
        /** Endpoint id → the sid of its latest offer (kept across {@link #clear}). */
        final Map<String, String> sids = new java.util.HashMap<>();

        @Override public String localJid() { return "focus@auth.meet.test/focus"; }

        @Override public CompletableFuture<IQ> send(JingleIQ request) {
            sent.add(request);
            if (request.action() == JingleAction.SESSION_INITIATE) {
                sids.put(nickOf(request), request.sid());
            }
            return CompletableFuture.completedFuture(IQ.createResultIQ(request));
        }

        @Override public void reply(IQ response) { replies.add(response); }

        void clear() { sent.clear(); }

        List<JingleIQ> to(String nick) {
            return sent.stream().filter(i -> i.getTo().toString().equals(ROOM + "/" + nick)).toList();
        }

        JingleIQ first(String nick, String action) {
            return to(nick).stream().filter(i -> i.actionName().equals(action)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + action + " to " + nick));
        }

        JingleIQ last(String nick, String action) {
            List<JingleIQ> l = to(nick).stream().filter(i -> i.actionName().equals(action)).toList();
            assertTrue(!l.isEmpty(), () -> "no " + action + " to " + nick + " in "
                    + to(nick).stream().map(JingleIQ::actionName).toList());
            return l.get(l.size() - 1);
        }

        int count(String nick, String action) {
            return (int) to(nick).stream().filter(i -> i.actionName().equals(action)).count();
        }
    }

    /**
     * The bridges of the captured run: the conference state is kept by a {@link FakeBackend}; allocations are the
     * bridges' captured {@code conference-modified} answers (re-addressed to the endpoint), read by
     * {@link XmppColibriBackend#allocation}.
     */
    static final class CapturedBridges implements ColibriBackend {
        final FakeBackend model = new FakeBackend();

        @Override public CompletableFuture<Allocation> allocate(BridgeState bridge, ConferenceSpec conf,
                                                                EndpointSpec ep, boolean create) {
            return model.allocate(bridge, conf, ep, create).thenApply(ignored -> {
                String fixture;
                String capturedEndpoint;
                if (create && bridge.nick().equals("jvb1")) {
                    fixture = "colibri2-create-conference-response.delivered.xml";
                    capturedEndpoint = A;
                } else if (create) {
                    fixture = "colibri2-create-conference-jvb2-response.delivered.xml";
                    capturedEndpoint = B;
                } else {
                    fixture = "colibri2-add-endpoint-response.delivered.xml";
                    capturedEndpoint = C;
                }
                try {
                    ConferenceModifiedIQ reply = Stanzas.parse(Fixtures.read(fixture)
                            .replace("'" + capturedEndpoint + "'", "'" + ep.id() + "'")
                            .replace("\"" + capturedEndpoint + "\"", "\"" + ep.id() + "\""));
                    return XmppColibriBackend.allocation(bridge, ep, reply);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override public CompletableFuture<Void> expireEndpoint(BridgeState b, ConferenceSpec c, String id) {
            return model.expireEndpoint(b, c, id);
        }

        @Override public CompletableFuture<Void> expireConference(BridgeState b, ConferenceSpec c) {
            return model.expireConference(b, c);
        }

        @Override public CompletableFuture<RelayTransport> createRelay(BridgeState b, ConferenceSpec c, String relayId,
                                                                       List<EndpointSpec> endpoints,
                                                                       boolean initiator, boolean sctp) {
            return model.createRelay(b, c, relayId, endpoints, initiator, sctp);
        }

        @Override public CompletableFuture<Void> updateRelayTransport(BridgeState b, ConferenceSpec c, String relayId,
                                                                      RelayTransport t, boolean remoteIsInitiator,
                                                                      boolean sctp) {
            return model.updateRelayTransport(b, c, relayId, t, remoteIsInitiator, sctp);
        }

        @Override public CompletableFuture<Void> addRelayEndpoints(BridgeState b, ConferenceSpec c, String relayId,
                                                                   List<EndpointSpec> endpoints) {
            return model.addRelayEndpoints(b, c, relayId, endpoints);
        }

        @Override public CompletableFuture<Void> expireRelayEndpoint(BridgeState b, ConferenceSpec c, String relayId,
                                                                     String endpointId) {
            return model.expireRelayEndpoint(b, c, relayId, endpointId);
        }

        @Override public CompletableFuture<Void> expireRelay(BridgeState b, ConferenceSpec c, String relayId) {
            return model.expireRelay(b, c, relayId);
        }

        @Override public CompletableFuture<Void> updateEndpoint(BridgeState b, ConferenceSpec c, String id,
                                                                String statsId, IceUdpTransport t, Sources s) {
            return model.updateEndpoint(b, c, id, statsId, t, s);
        }

        @Override public CompletableFuture<Void> updateRelayEndpoint(BridgeState b, ConferenceSpec c, String relayId,
                                                                     String id, Sources s) {
            return model.updateRelayEndpoint(b, c, relayId, id, s);
        }
    }
}
