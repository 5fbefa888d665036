package io.focus.conference;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.connection.IqRequester;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.ConferenceModifiedIQ;
import io.focus.core.colibri.Namespaces;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.EndpointSources;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleRequests;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.RequiresRecordings;
import io.focus.core.testing.Stanzas;
import io.focus.core.testing.XmlAssert;
import io.focus.core.providers.FocusProviders;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.RawIqConnection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What {@link XmppColibriBackend} puts on the wire, compared with Jicofo's requests of the recorded real call
 * (sequence a of {@code real-call}, same meeting id, room, endpoint ids and stats ids): the endpoint creates
 * (a-027, a-028) and the endpoint update built from the client's own {@code session-accept} (a-044 → a-048), and the
 * bridge's feedback sources read from its reply (a-036). Jicofo's all-zero {@code <traceparent>} is removed from
 * the expected stanzas (the focus does no tracing). The ICE transport's children are compared without their order:
 * Jicofo keeps the order the client used and appends {@code <rtcp-mux/>}, the focus writes its own fixed order.
 *
 * <p>On a real Prosody, as in the recorded call: the focus's connection and a bridge ({@code jvb@auth}, its requests
 * kept as the XML it received) are both in the brewery, the focus addresses the bridge's occupant JID, and the bridge
 * answers the requests the recorded jvb1 answered with jvb1's recorded replies (a-036, a-038).
 */
@RequiresRecordings
class XmppColibriBackendGoldenTest {
    static final String MEETING = "b13f6e64-ac56-4b96-a961-dfbce1dc9eae";
    static final ConferenceSpec SPEC = new ConferenceSpec(MEETING, "interop-call-7b5096@conference.meet.test", false);

    /** The recorded replies of jvb1, by the endpoint the request created. */
    static final Map<String, String> RECORDED_REPLIES = Map.of(
            "08405edf", "a-036-jvb1-to-focus-colibri2-create-conference-endpoint-create-result.delivered.xml",
            "286e2f37", "a-038-jvb1-to-focus-colibri2-endpoint-create-result.delivered.xml");
    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension();

    final List<XMPPTCPConnection> connections = new ArrayList<>();
    /** The Colibri2 requests as the bridge received them. */
    final List<String> received = new CopyOnWriteArrayList<>();
    /** The connection's requests, as its connection manager would own them. */
    IqRequester requests;
    BridgeState jvb1;
    XmppColibriBackend backend;

    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    @BeforeEach
    void setUp() throws Exception {
        ProsodyServer server = prosody.server();
        RawIqConnection bridge = new RawIqConnection(server.connectionConfig(ProsodyExtension.JVB_USER,
                server.authDomain(), ProsodyExtension.JVB_PASSWORD, null).build(),
                Set.of(new RawIqConnection.Child("conference-modify", Namespaces.COLIBRI2)));
        login(bridge);
        for (IQ.Type type : List.of(IQ.Type.get, IQ.Type.set)) {
            bridge.registerIQRequestHandler(new AbstractIqRequestHandler("conference-modify", Namespaces.COLIBRI2,
                    type, IQRequestHandler.Mode.async) {
                @Override public IQ handleIQRequest(IQ request) {
                    RawIqConnection.InboundRawIQ raw = (RawIqConnection.InboundRawIQ) request;
                    received.add(raw.stanzaXml());
                    return recordedReply(raw);
                }
            });
        }
        join(bridge, server.breweryJid(), "jvb-1");
        XMPPTCPConnection focus = login(new XMPPTCPConnection(server.connectionConfig(ProsodyExtension.FOCUS_USER,
                server.authDomain(), ProsodyExtension.FOCUS_PASSWORD, "focus").build()));
        join(focus, server.breweryJid(), "focus");
        jvb1 = BridgeState.builder(server.breweryJid() + "/jvb-1").build();
        requests = IqRequester.open(focus, "service", EventLoops.unregistered());
        CodecSettings codecs = CodecSettings.defaults();
        backend = new XmppColibriBackend(requests, Duration.ofSeconds(15),
                codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT));
    }

    /** jvb1's recorded answer to the same request (by the endpoint it creates), or none. */
    static IQ recordedReply(RawIqConnection.InboundRawIQ request) {
        Element ep = XmlAssert.parse(request.childXml());
        String created = Xml.children(ep).stream().filter(c -> "endpoint".equals(c.getLocalName())
                && "true".equals(c.getAttribute("create"))).map(c -> c.getAttribute("id")).findFirst().orElse(null);
        String file = created == null ? null : RECORDED_REPLIES.get(created);
        if (file == null) {
            return null;
        }
        Element modified = Xml.children(XmlAssert.parse(Fixtures.realCall(file))).get(0);
        StringBuilder inner = new StringBuilder();
        Xml.children(modified).forEach(c -> inner.append(Xml.text(c)));
        RawIQ reply = new RawIQ(modified.getLocalName(), modified.getNamespaceURI(), Map.of(), inner.toString());
        reply.setType(IQ.Type.result);
        reply.setStanzaId(request.getStanzaId());
        reply.setTo(request.getFrom());
        return reply;
    }

    XMPPTCPConnection login(XMPPTCPConnection c) throws Exception {
        connections.add(c);
        c.setReplyTimeout(WAIT.toMillis());
        c.connect().login();
        return c;
    }

    static void join(XMPPTCPConnection c, String room, String nick) throws Exception {
        MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(room))
                .join(Resourcepart.from(nick));
    }

    @AfterEach
    void tearDown() {
        if (requests != null) {
            requests.close();
        }
        connections.forEach(XMPPTCPConnection::disconnect);
    }

    @Test
    void theConferenceCreateAndEachEndpointCreateAreJicofos() throws Exception {
        CompletableFuture<Allocation> first = backend.allocate(jvb1, SPEC,
                new EndpointSpec("08405edf", "Kathryne-SUU", false, false), true);
        compare("a-027-focus-to-jvb1-colibri2-create-conference-endpoint-create.xml", sent(1));
        // the bridge's recorded answer (a-036), through Prosody, is what the allocation is made of
        assertEquals(List.of(376683115L, 3238326951L),
                first.get(WAIT.toSeconds(), TimeUnit.SECONDS).feedbackSources().ssrcs());
        backend.allocate(jvb1, SPEC, new EndpointSpec("286e2f37", "Kathryne-SUU", false, false), false)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        compare("a-028-focus-to-jvb1-colibri2-endpoint-create.xml", sent(2));
    }

    @Test
    void theEndpointUpdateCarriesTheClientsAcceptAsJicofosDid() throws Exception {
        JingleIQ accept = Stanzas.parse(Fixtures.realCall("a-044-client3-to-focus-session-accept.delivered.xml"));
        JingleRequests.Accept a = JingleRequests.accept(accept);
        backend.updateEndpoint(jvb1, SPEC, "08405edf", "Kathryne-SUU", a.transport(), a.sources().toColibri());
        compare("a-048-focus-to-jvb1-colibri2-endpoint-update.xml", sent(1));
    }

    @Test
    void theComparisonCanFail() throws Exception {
        JingleIQ accept = Stanzas.parse(Fixtures.realCall("a-044-client3-to-focus-session-accept.delivered.xml"));
        JingleRequests.Accept a = JingleRequests.accept(accept);
        // without the stats id, as the focus sent it before: not Jicofo's a-048
        backend.updateEndpoint(jvb1, SPEC, "08405edf", null, a.transport(), a.sources().toColibri());
        String ours = sent(1);
        assertThrows(AssertionError.class,
                () -> compare("a-048-focus-to-jvb1-colibri2-endpoint-update.xml", ours));
    }

    @Test
    void theBridgesFeedbackSourcesAreReadFromItsReply() throws Exception {
        ConferenceModifiedIQ reply = Stanzas.parse(Fixtures.realCall(
                "a-036-jvb1-to-focus-colibri2-create-conference-endpoint-create-result.delivered.xml"));
        Allocation a = XmppColibriBackend.allocation(jvb1, new EndpointSpec("08405edf", "Kathryne-SUU", false,
                false), reply);
        assertEquals(List.of(376683115L, 3238326951L), a.feedbackSources().ssrcs());
        assertEquals(2, EndpointSources.fromBridgeFeedback(a.feedbackSources()).ssrcCount());
    }

    /** The {@code n}th Colibri2 request as the bridge received it. */
    private String sent(int n) {
        await("request #" + n + " received by the bridge").atMost(WAIT).until(() -> received.size() >= n);
        return received.get(n - 1);
    }

    static void compare(String recorded, String ours) {
        // recorded inside a c2s stream, whose default namespace the received stanza states on its root
        Element expected = XmlAssert.parse(Fixtures.realCall(recorded).replaceFirst("^<iq ", "<iq xmlns='jabber:client' "));
        Xml.removeAll(expected, "traceparent");
        Element actual = XmlAssert.parse(ours);
        Xml.sortIceTransports(expected);
        Xml.sortIceTransports(actual);
        assertSameStructure(Xml.text(expected), Xml.text(actual));
    }

    /** DOM helpers for the comparison. */
    static final class Xml {
        static void removeAll(Element root, String localName) {
            for (Element c : children(root)) {
                if (localName.equals(c.getLocalName())) {
                    root.removeChild(c);
                } else {
                    removeAll(c, localName);
                }
            }
        }

        /** Children of every ICE-UDP {@code <transport>} in document order of (namespace, name, text). */
        static void sortIceTransports(Element root) {
            if ("transport".equals(root.getLocalName()) && Namespaces.ICE_UDP.equals(root.getNamespaceURI())) {
                List<Element> cs = children(root);
                cs.forEach(root::removeChild);
                cs.sort(Comparator.comparing((Element c) -> c.getNamespaceURI() + " " + c.getLocalName())
                        .thenComparing(Node::getTextContent));
                cs.forEach(root::appendChild);
            }
            children(root).forEach(Xml::sortIceTransports);
        }

        static List<Element> children(Element e) {
            List<Element> out = new ArrayList<>();
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c) {
                    out.add(c);
                }
            }
            return out;
        }

        static String text(Element e) {
            try {
                StringWriter w = new StringWriter();
                var t = TransformerFactory.newInstance().newTransformer();
                t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
                t.transform(new DOMSource(e), new StreamResult(w));
                return w.toString();
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
    }
}
