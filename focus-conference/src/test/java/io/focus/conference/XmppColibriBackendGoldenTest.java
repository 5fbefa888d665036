package io.focus.conference;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.connection.IqRequester;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

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
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Stanza;
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
 */
@RequiresRecordings
class XmppColibriBackendGoldenTest {
    static final String MEETING = "b13f6e64-ac56-4b96-a961-dfbce1dc9eae";
    static final ConferenceSpec SPEC = new ConferenceSpec(MEETING, "interop-call-7b5096@conference.meet.test", false);

    final XMPPConnection connection = mock(XMPPConnection.class);
    /** The connection's requests, as its connection manager would own them. */
    IqRequester requests;
    final List<Stanza> written = new CopyOnWriteArrayList<>();
    final BridgeState jvb1 = BridgeState.builder("jvbbrewery@internal.auth.meet.test/jvb-1").build();
    XmppColibriBackend backend;

    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    @BeforeEach
    void setUp() throws Exception {
        when(connection.isAuthenticated()).thenReturn(true);
        when(connection.getUser()).thenReturn(JidCreate.entityFullFrom("focus@auth.meet.test/focus"));
        doAnswer(inv -> written.add(inv.getArgument(0))).when(connection).sendStanza(any());
        requests = IqRequester.open(connection, "service", EventLoops.unregistered());
        CodecSettings codecs = CodecSettings.defaults();
        backend = new XmppColibriBackend(requests, Duration.ofSeconds(15),
                codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT));
    }

    @AfterEach
    void closeRequests() {
        requests.close();
    }

    @Test
    void theConferenceCreateAndEachEndpointCreateAreJicofos() throws Exception {
        backend.allocate(jvb1, SPEC, new EndpointSpec("08405edf", "Kathryne-SUU", false, false), true);
        compare("a-027-focus-to-jvb1-colibri2-create-conference-endpoint-create.xml", sent(1));
        backend.allocate(jvb1, SPEC, new EndpointSpec("286e2f37", "Kathryne-SUU", false, false), false);
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
        Stanza ours = sent(1);
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

    private Stanza sent(int n) {
        await("request #" + n + " written").atMost(Duration.ofSeconds(5)).until(() -> written.size() >= n);
        return written.get(n - 1);
    }

    static void compare(String recorded, Stanza ours) {
        Element expected = XmlAssert.parse(Fixtures.realCall(recorded));
        Xml.removeAll(expected, "traceparent");
        Element actual = XmlAssert.parse(ours.toXML(XmlAssert.STREAM).toString());
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
