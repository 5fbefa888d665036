package io.focus.sim.participant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.focus.sim.Fixtures;
import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Xml;

/**
 * The simulated participant's stanzas, built by its own code, against what the recorded lib-jitsi-meet clients sent
 * in {@code fixtures/real-call/}: session-accepts a-044/a-047/a-050, the Jingle acks a-040/a-056 and the MUC join
 * a-013. Compared structurally (element names with namespaces, element order, attribute names), which ignores the
 * values that differ per run (ids, sids, endpoint ids, ufrag/pwd, fingerprints, SSRCs, msids) and attribute order;
 * the values that matter are asserted one by one. Normalised away: the all-zero {@code <traceparent>} (Jitsi's
 * tracing) and the codec list inside each description (payload types, header extensions: the browser's own choice;
 * the simulator answers opus and VP8 + RTX).
 */
class SimParticipantRealCallTest {
    private static final Set<String> CODEC_ELEMENTS = Set.of("payload-type", "rtp-hdrext", "extmap-allow-mixed");

    @Test
    void sessionAcceptHasTheRealClientsStructure() {
        for (String f : List.of("a-044-", "a-047-", "a-050-", "b-041-")) {
            Element real = Xml.children(Fixtures.realCallStanza(plain(f))).get(0);
            String ep = real.getElementsByTagNameNS(JingleCodec.SSMA_NS, "source").item(0).getAttributes()
                    .getNamedItem("name").getNodeValue().replaceAll("-a0$", "");
            Element ours = ourAccept(ep, JingleOptions.defaults());
            assertEquals(shape(real), shape(ours), f);
        }
    }

    @Test
    void sessionAcceptValuesAreTheRealClients() {
        Element ours = ourAccept("08405edf", JingleOptions.defaults());
        IceTransport t = JingleCodec.transport(ours);
        assertEquals(4, t.ufrag().length());
        assertEquals(24, t.pwd().length());
        assertEquals("sha-256", t.hash());
        assertEquals("active", t.setup());
        assertTrue(t.candidates().isEmpty(), "the recorded clients sent no candidates");
        assertEquals(List.of("audio", "video", "data"), Xml.child(ours, "group").map(g -> Xml.children(g, "content"))
                .orElseThrow().stream().map(c -> c.getAttribute("name")).toList());
        EndpointSources s = JingleCodec.sourcesFromXml(ours).get(JingleCodec.UNKNOWN_OWNER);
        assertEquals(List.of("08405edf-a0", "08405edf-v0", "08405edf-v0"), s.sources().stream().map(MediaSource::name).toList());
        assertEquals(List.of("camera", "camera"), s.sources().stream().filter(m -> m.media().equals("video"))
                .map(MediaSource::videoType).toList());
        assertEquals(List.of("FID"), s.groups().stream().map(SsrcGroup::semantics).toList());
        List<Long> video = s.sources().stream().filter(m -> m.media().equals("video")).map(MediaSource::ssrc).toList();
        assertEquals(video, s.groups().get(0).ssrcs());
        for (Element c : Xml.children(ours, "content")) {
            assertEquals("responder", c.getAttribute("creator"));
            assertEquals("both", c.getAttribute("senders"));
        }
        // options can still add what the real clients did not send
        Element rich = ourAccept("08405edf", JingleOptions.defaults().withCandidates(true).withSignalOwner(true));
        assertEquals(1, JingleCodec.transport(rich).candidates().size());
        assertEquals(Set.of("08405edf"), JingleCodec.sourcesFromXml(rich).keySet());
    }

    @Test
    void jingleAcksAreEmptyResultsLikeTheRealClients() throws Exception {
        for (String[] pair : new String[][] {{"a-037-", "a-040-"}, {"a-054-", "a-056-"}}) {
            Element offer = Fixtures.realCallStanza(delivered(pair[0]));
            RawIQ req = new RawIQ("jingle", JingleCodec.JINGLE_NS, Map.of(), "");
            req.setType(IQ.Type.set);
            req.setFrom(JidCreate.from(offer.getAttribute("from")));
            req.setStanzaId(offer.getAttribute("id"));
            IQ ack = IQ.createResultIQ(req); // what JingleAgent.ack sends
            Element ours = Xml.parse(ack.toXML().toString()); // on a WebSocket each stanza carries jabber:client
            Element real = Fixtures.realCallStanza(plain(pair[1]));
            assertEquals(Xml.shape(real), Xml.shape(ours), pair[1]);
            assertEquals("result", ours.getAttribute("type"));
            assertEquals(real.getAttribute("id"), ours.getAttribute("id"), "the ack echoes the id Prosody delivered");
        }
    }

    @Test
    void joinPresenceHasTheRealClientsElements() {
        Element real = Fixtures.realCallStanza(plain("a-013-"));
        StringBuilder b = new StringBuilder("<presence xmlns='jabber:client' to='r@c/x'>");
        SimParticipant.joinExtensions("286e2f37", null).stream().map(RawExtension::xml).forEach(b::append);
        Element ours = Xml.parse(b.append("</presence>").toString());
        // entity caps (<c>) are Smack's business (on when the connection has caps enabled)
        assertEquals(names(real).stream().filter(n -> !n.endsWith("}c")).toList(), names(ours));
        assertEquals("{}", Xml.child(ours, "SourceInfo").orElseThrow().getTextContent());
    }

    // ------------------------------------------------------------------ helpers

    static Element ourAccept(String ep, JingleOptions o) {
        Random rnd = new Random(ep.hashCode());
        Element offer = Xml.children(Fixtures.realCallStanza(delivered("a-037-"))).get(0);
        EndpointSources own = JingleTemplates.newOwnSources(ep, o.simulcast(), rnd);
        IceTransport t = JingleTemplates.newTransport(ep, rnd, o.candidates());
        return JingleTemplatesTest.jingle(JingleTemplates.attrs("session-accept", offer.getAttribute("initiator"),
                "x@meet.test/r", offer.getAttribute("sid")), JingleTemplates.sessionAcceptInner(
                JingleTemplates.Answer.from(JingleCodec.codecs(offer)), own, t, o.signalOwner() ? "room@c/" + ep : null));
    }

    private static String shape(Element jingle) {
        Element copy = (Element) jingle.cloneNode(true);
        List<Node> drop = new ArrayList<>();
        collect(copy, drop);
        drop.forEach(n -> n.getParentNode().removeChild(n));
        return Xml.shape(copy);
    }

    private static void collect(Element e, List<Node> drop) {
        for (Element c : Xml.children(e)) {
            if ("traceparent".equals(c.getLocalName())
                    || ("description".equals(e.getLocalName()) && CODEC_ELEMENTS.contains(c.getLocalName()))) {
                drop.add(c);
            } else {
                collect(c, drop);
            }
        }
    }

    private static List<String> names(Element e) {
        return Xml.children(e).stream().map(c -> "{" + c.getNamespaceURI() + "}" + c.getLocalName())
                .collect(Collectors.toList());
    }

    private static String plain(String prefix) {
        return Fixtures.realCallFiles(prefix).stream().filter(n -> !n.endsWith(".delivered.xml")).findFirst().orElseThrow();
    }

    private static String delivered(String prefix) {
        return Fixtures.realCallFiles(prefix).stream().filter(n -> n.endsWith(".delivered.xml")).findFirst().orElseThrow();
    }
}
