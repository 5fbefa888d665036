package io.focus.sim.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.focus.sim.Fixtures;
import io.focus.sim.participant.EndpointSources;
import io.focus.sim.participant.IceTransport;
import io.focus.sim.participant.JingleCodec;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Xml;

/**
 * Feeds the Colibri2 requests of {@code fixtures/real-call/} (sequences a, b and e, as the bridges received them:
 * the {@code .delivered.xml} copies), in order, into {@link ColibriModel}s set up like the recorded bridges, and
 * compares every reply with the real bridge's reply to the same request (matched by IQ id: Prosody's rewritten id of
 * the delivered request is the id of the bridge's reply).
 *
 * <p>Normalised before comparing, because it legitimately differs per run: the IQ's {@code to}/{@code from}/{@code id}
 * and every {@code xml:lang}; attribute order and namespace-declaration placement (the comparison is on
 * namespace-qualified names); the bridge's own random ICE ufrag/pwd, DTLS fingerprint, candidate ids, the relay's
 * unique port, the colibri-ws conference id and {@code ?pwd=}, and the bridge's feedback-source SSRCs. Everything
 * else (element names and order, attribute names and values, conditions, texts, colibri2 reasons, the echoed
 * {@code conference-modify}) must be equal.
 */
class ColibriModelRealCallTest {
    private static final String ROOM_A = "interop-call-7b5096@conference.meet.test";
    private static final String ROOM_B = "interop-call-1b1a60@conference.meet.test";

    /** A model configured like recorded bridge {@code jvb-N}: host candidate 127.0.0.1:1000N, ws port 1818N, no SCTP. */
    static ColibriModel bridge(int n) {
        ColibriModel m = new ColibriModel("jvb-" + n, 100 + n, 10000 + n, 18180 + n);
        m.setHostOnlyCandidate("127.0.0.1");
        return m;
    }

    @Test
    void sequenceEErrorsAreTheRealBridgesErrors() {
        ColibriModel jvb1 = bridge(1);
        List<String> requests = replay("e-", Map.of("jvb1", jvb1));
        assertEquals(10, requests.size(), "all ten probe requests were replayed");
        assertTrue(jvb1.snapshot().conferences().isEmpty(), "both probe conferences expired");
    }

    @Test
    void sctpRefusalLeavesTheConferenceAndTheEndpoint() {
        ColibriModel jvb1 = bridge(1);
        ColibriReply r = jvb1.handle(request("e-001-probe-to-jvb1-colibri2-create-conference-endpoint-create.delivered.xml"), false);
        assertEquals("feature-not-implemented", ((ColibriReply.Error) r).condition());
        assertEquals(Set.of("probeep1"), jvb1.snapshot().conference("e08faf94-2655-456d-b41d-755e016aff67").orElseThrow().endpoints());
        // with SCTP on, the same create succeeds and the answer carries the bridge's SCTP end
        ColibriModel sctp = bridge(1);
        sctp.setSctpSupported(true);
        ColibriReply.Result ok = (ColibriReply.Result) sctp.handle(
                request("e-001-probe-to-jvb1-colibri2-create-conference-endpoint-create.delivered.xml"), false);
        assertTrue(ok.innerXml().contains("<sctp port='5000' role='server'/>"), ok.innerXml());
    }

    @Test
    void sequenceAEndpointsEndUpConnectedWithTheRecordedSources() {
        ColibriModel jvb1 = bridge(1);
        assertEquals(6, replay("a-", Map.of("jvb1", jvb1)).size(), "a-027/028/029 creates, a-048/052/057 updates");
        ModelSnapshot snap = jvb1.snapshot();
        Map<String, Accept> accepts = accepts("a-044-", "a-047-", "a-050-");
        assertEquals(Set.of("08405edf", "286e2f37", "52586f91"), accepts.keySet());
        assertEquals(accepts.keySet(), snap.find(ROOM_A).orElseThrow().endpoints());
        assertEndpointsMatch(snap, ROOM_A, accepts);
        for (String ep : accepts.keySet()) {
            assertTrue(snap.expectedMedia(ROOM_A, ep, othersOf(accepts, ep)),
                    () -> ep + " misses " + snap.missingMedia(ROOM_A, ep, othersOf(accepts, ep)));
        }
    }

    @Test
    void sequenceBRelaysConnectWithTheRightEndpoints() {
        ColibriModel jvb1 = bridge(1);
        ColibriModel jvb2 = bridge(2);
        assertEquals(14, replay("b-", Map.of("jvb1", jvb1, "jvb2", jvb2)).size(), "7 requests to each bridge");
        ModelSnapshot s1 = jvb1.snapshot();
        ModelSnapshot s2 = jvb2.snapshot();
        Map<String, Accept> accepts = accepts("b-041-", "b-047-", "b-068-");
        assertEquals(Set.of("8ccf5551", "8e1eeb29"), s1.find(ROOM_B).orElseThrow().endpoints());
        assertEquals(Set.of("af128807"), s2.find(ROOM_B).orElseThrow().endpoints());
        assertEndpointsMatch(s1, ROOM_B, Map.of("8ccf5551", accepts.get("8ccf5551"), "8e1eeb29", accepts.get("8e1eeb29")));
        assertEndpointsMatch(s2, ROOM_B, Map.of("af128807", accepts.get("af128807")));

        assertTrue(ModelSnapshot.relayConnected(s1, "jvb-1", s2, "jvb-2", ROOM_B));
        assertEquals(Map.of("af128807", accepts.get("af128807").ssrcs()), s1.relay(ROOM_B, "jvb-2").orElseThrow().endpoints());
        assertEquals(Map.of("8ccf5551", accepts.get("8ccf5551").ssrcs(), "8e1eeb29", accepts.get("8e1eeb29").ssrcs()),
                s2.relay(ROOM_B, "jvb-1").orElseThrow().endpoints());
        for (String ep : accepts.keySet()) {
            ModelSnapshot s = s1.endpoint(ROOM_B, ep).isPresent() ? s1 : s2;
            assertTrue(s.expectedMedia(ROOM_B, ep, othersOf(accepts, ep)),
                    () -> ep + " misses " + s.missingMedia(ROOM_B, ep, othersOf(accepts, ep)));
        }
        // one side alone is not a connected relay
        assertFalse(ModelSnapshot.relayConnected(s1, "jvb-1", ModelSnapshot.EMPTY, "jvb-2", ROOM_B));
    }

    @Test
    void beforeTheAnswerTheEndpointIsNotConnected() {
        ColibriModel jvb1 = bridge(1);
        jvb1.handle(request("a-027-focus-to-jvb1-colibri2-create-conference-endpoint-create.delivered.xml"), false);
        BridgeEndpoint ep = jvb1.snapshot().endpoint(ROOM_A, "08405edf").orElseThrow();
        assertFalse(ep.connected());
        assertFalse(ep.hasSources());
        jvb1.handle(request("a-048-focus-to-jvb1-colibri2-endpoint-update.delivered.xml"), false);
        assertTrue(jvb1.snapshot().endpoint(ROOM_A, "08405edf").orElseThrow().connected());
        // a transport without a fingerprint does not connect
        ColibriModel other = bridge(1);
        other.handle(request("a-027-focus-to-jvb1-colibri2-create-conference-endpoint-create.delivered.xml"), false);
        Element upd = request("a-048-focus-to-jvb1-colibri2-endpoint-update.delivered.xml");
        Node fp = upd.getElementsByTagNameNS(ColibriModel.DTLS_NS, "fingerprint").item(0);
        fp.getParentNode().removeChild(fp);
        other.handle(upd, false);
        BridgeEndpoint noFp = other.snapshot().endpoint(ROOM_A, "08405edf").orElseThrow();
        assertFalse(noFp.connected());
        assertTrue(noFp.hasSources());
    }

    // ------------------------------------------------------------------ replay and comparison

    /**
     * Replays every Colibri2 request of a sequence to the bridge it went to ({@code -to-jvbN-}) and compares each
     * reply with the recorded one; returns the request file names.
     */
    static List<String> replay(String prefix, Map<String, ColibriModel> bridges) {
        List<String> files = Fixtures.realCallFiles(prefix);
        Map<String, String> replyById = new HashMap<>();
        for (String f : files) {
            if (f.contains("colibri2") && f.matches("[a-e]-\\d{3}-jvb\\d-to-.*") && !f.endsWith(".delivered.xml")) {
                replyById.put(Fixtures.realCallStanza(f).getAttribute("id"), f);
            }
        }
        List<String> requests = new ArrayList<>();
        for (String f : files) {
            if (!f.contains("colibri2") || !f.endsWith(".delivered.xml") || !f.matches("[a-e]-\\d{3}-\\w+-to-jvb\\d-.*")) {
                continue;
            }
            String target = f.replaceAll("^[a-e]-\\d{3}-\\w+-to-(jvb\\d)-.*", "$1");
            ColibriModel model = bridges.get(target);
            assertNotNull(model, "no model for " + target);
            Element iq = Fixtures.realCallStanza(f);
            String replyFile = replyById.get(iq.getAttribute("id"));
            assertNotNull(replyFile, () -> "no recorded reply to " + f);
            ColibriReply reply = model.handle(Xml.children(iq).get(0), false);
            assertEquals(normalise(Fixtures.realCallStanza(replyFile)), normalise(wire(iq, reply)),
                    () -> "reply to " + f + " differs from " + replyFile);
            requests.add(f);
        }
        return requests;
    }

    /** Our reply as it goes on the wire (through the same builders {@link SimBridge} uses). */
    static Element wire(Element requestIq, ColibriReply reply) {
        try {
            RawIQ req = new RawIQ("conference-modify", ColibriModel.NS, Map.of(), "");
            req.setType(IQ.Type.get);
            req.setFrom(JidCreate.from(requestIq.getAttribute("from")));
            req.setStanzaId(requestIq.getAttribute("id"));
            IQ out = reply instanceof ColibriReply.Result r ? BridgeReplies.resultIq(req, r)
                    : BridgeReplies.errorIq(req, (ColibriReply.Error) reply);
            // Smack writes <text> in the RFC 6120 namespace, the JVB without one; Smack reads both the same
            return Xml.parse(out.toXML(XmlEnvironment.builder().withNamespace("jabber:client").build()).toString()
                    .replace("<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' ", "<text "));
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A canonical text of a stanza, with what legitimately differs per run replaced (see the class comment). */
    static String normalise(Element iq) {
        StringBuilder b = new StringBuilder();
        normalise(iq, b, 0, "");
        return b.toString();
    }

    private static void normalise(Element e, StringBuilder b, int depth, String path) {
        String name = e.getLocalName();
        String here = path + "/" + name;
        Map<String, String> attrs = new TreeMap<>(Xml.attributes(e));
        attrs.remove("xml:lang");
        if (depth == 0) {
            attrs.remove("to");
            attrs.remove("from");
            attrs.remove("id");
        }
        attrs.replaceAll((k, v) -> switch (k) {
            case "ufrag", "pwd" -> "*";
            case "id" -> "candidate".equals(name) ? "*" : v;
            case "port" -> "candidate".equals(name) && here.contains("/relay/") ? "*" : v;
            case "ssrc" -> here.startsWith("/iq/conference-modified/sources/") ? "*" : v;
            case "url" -> v.replaceAll("/[0-9a-f]{16}/", "/*/").replaceAll("pwd=[^&]*", "pwd=*");
            default -> v;
        });
        b.append("  ".repeat(depth)).append('{').append(e.getNamespaceURI()).append('}').append(name).append(' ')
                .append(attrs);
        String text = Xml.children(e).isEmpty() ? e.getTextContent().trim() : "";
        if (!text.isEmpty()) {
            b.append(" \"").append("fingerprint".equals(name) ? "*" : text).append('"');
        }
        b.append('\n');
        for (Element c : Xml.children(e)) {
            normalise(c, b, depth + 1, here);
        }
    }

    // ------------------------------------------------------------------ what the clients sent

    /** A recorded client's session-accept: its ICE credentials, fingerprint and own SSRCs. */
    record Accept(String endpointId, IceTransport transport, Set<Long> ssrcs) { }

    /** The session-accepts with these file-name prefixes (delivered copies), by endpoint id (the sender's nick). */
    static Map<String, Accept> accepts(String... prefixes) {
        Map<String, Accept> out = new LinkedHashMap<>();
        for (String p : prefixes) {
            String f = Fixtures.realCallFiles(p).stream().filter(n -> n.endsWith(".delivered.xml")).findFirst().orElseThrow();
            Element iq = Fixtures.realCallStanza(f);
            String from = iq.getAttribute("from");
            String ep = from.substring(from.indexOf('/') + 1);
            Element jingle = Xml.children(iq).get(0);
            Set<Long> ssrcs = new LinkedHashSet<>();
            JingleCodec.sourcesFromXml(jingle).values().stream().map(EndpointSources::ssrcs).forEach(ssrcs::addAll);
            out.put(ep, new Accept(ep, JingleCodec.transport(jingle), ssrcs));
        }
        return out;
    }

    static Map<String, Set<Long>> othersOf(Map<String, Accept> accepts, String ep) {
        Map<String, Set<Long>> m = new LinkedHashMap<>();
        accepts.forEach((k, a) -> {
            if (!k.equals(ep)) {
                m.put(k, a.ssrcs());
            }
        });
        return m;
    }

    static void assertEndpointsMatch(ModelSnapshot snap, String room, Map<String, Accept> accepts) {
        accepts.forEach((ep, a) -> {
            BridgeEndpoint b = snap.endpoint(room, ep).orElseThrow(() -> new AssertionError("no endpoint " + ep));
            assertTrue(b.connected(), ep + " connected");
            assertTrue(b.hasSources(), ep + " has sources");
            assertEquals(a.transport().ufrag(), b.ufrag(), ep);
            assertEquals(a.transport().pwd(), b.pwd(), ep);
            assertEquals(a.transport().fingerprint(), b.fingerprint(), ep);
            assertEquals("active", b.setup(), ep);
            assertEquals(0, b.candidates(), ep + ": the real client sent no candidates");
            assertEquals(a.ssrcs(), b.ssrcs(), ep + " SSRCs");
            assertEquals(List.of(ep + "-a0", ep + "-v0"), b.sourceNames(), ep);
            assertEquals(List.of("FID"), b.groups().stream().map(BridgeSsrcGroup::semantics).toList(), ep);
        });
    }

    static Element request(String file) {
        return Xml.children(Fixtures.realCallStanza(file)).get(0);
    }
}
