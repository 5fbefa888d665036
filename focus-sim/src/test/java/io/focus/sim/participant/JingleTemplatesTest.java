package io.focus.sim.participant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.xml.Xml;

/** The participant's own stanzas against the captured ones (structure: element names, namespaces, attribute names). */
class JingleTemplatesTest {
    static final Random RND = new Random(7);

    static Element jingle(Map<String, String> attrs, String inner) {
        StringBuilder b = new StringBuilder("<jingle xmlns='urn:xmpp:jingle:1'");
        attrs.forEach((k, v) -> b.append(' ').append(k).append("='").append(Xml.esc(v)).append('\''));
        return Xml.parse(b.append('>').append(inner).append("</jingle>").toString());
    }

    /** Shape without {@code <ssrc-info>} lines (the captured simulated participant did not signal owners). */
    static String shapeWithoutOwner(Element e) {
        return String.join("\n", Xml.shape(e).lines().filter(l -> !l.contains("}ssrc-info")).toList()) + "\n";
    }

    @Test
    void sessionAcceptReadsBackAsWhatItSays() {
        Element offer = JingleCodecTest.jingle("jingle-session-initiate.delivered.xml");
        EndpointSources own = JingleTemplates.newOwnSources("e5f6a7b8", false, RND);
        IceTransport t = JingleTemplates.newTransport("e5f6a7b8", RND, false);
        // (the structure is compared with the real client's session-accept in SimParticipantRealCallTest)
        String owner = "fixture1@conference.meet.test/e5f6a7b8";
        Element withOwner = jingle(JingleTemplates.attrs("session-accept", offer.getAttribute("initiator"), "userb@meet.test/web-b",
                offer.getAttribute("sid")), JingleTemplates.sessionAcceptInner(JingleTemplates.Answer.from(JingleCodec.codecs(offer)), own, t, owner));
        assertTrue(JingleCodec.transport(withOwner).candidates().isEmpty(), "no candidates, as the real client");

        // and it reads back as what it says: own sources under the owner, own transport, the offer's codec ids
        assertEquals(Map.of("e5f6a7b8", own.ssrcs()), Map.of("e5f6a7b8", JingleCodec.sources(withOwner).get("e5f6a7b8").ssrcs()));
        assertEquals(own.groups(), JingleCodec.sources(withOwner).get("e5f6a7b8").groups());
        IceTransport back = JingleCodec.transport(withOwner);
        assertEquals(t.ufrag(), back.ufrag());
        assertEquals("active", back.setup());
        assertEquals(t.fingerprint(), back.fingerprint());
        assertEquals(List.of(111, 100, 96), JingleCodec.codecs(withOwner).stream().map(Codec::id).toList());
    }

    @Test
    void ownSources() {
        EndpointSources one = JingleTemplates.newOwnSources("abcd1234", false, RND);
        assertEquals(List.of("abcd1234-a0", "abcd1234-v0", "abcd1234-v0"), one.sources().stream().map(MediaSource::name).toList());
        assertEquals(List.of("FID"), one.groups().stream().map(SsrcGroup::semantics).toList());
        EndpointSources sim = JingleTemplates.newOwnSources("abcd1234", true, RND);
        assertEquals(7, sim.ssrcs().size());
        assertEquals(List.of("SIM", "FID", "FID", "FID"), sim.groups().stream().map(SsrcGroup::semantics).toList());
        assertNotEquals(one.ssrcs(), JingleTemplates.newOwnSources("abcd1234", false, RND).ssrcs());
        assertTrue(sim.ssrcs().stream().allMatch(s -> s > 0 && s <= 0xFFFFFFFFL));
    }

    @Test
    void sourceRemoveIsShapedLikeTheCapturedOne() {
        EndpointSources own = JingleTemplates.newOwnSources("c9d0e1f2", false, RND);
        EndpointSources video = new EndpointSources(own.sources().stream().filter(s -> s.media().equals("video")).toList(), own.groups());
        Element fixture = Fixtures.child("sim-jingle-source-remove.xml");
        Element mine = jingle(JingleTemplates.attrs("source-remove", "focus@auth.meet.test/focus", null, "6me210bbta99d"),
                JingleTemplates.sourcesInner(video, null));
        assertEquals(Xml.shape(fixture), Xml.shape(mine));
        assertEquals(Xml.shape(fixture), shapeWithoutOwner(jingle(JingleTemplates.attrs("source-remove",
                "focus@auth.meet.test/focus", null, "6me210bbta99d"), JingleTemplates.sourcesInner(video, "r@c/c9d0e1f2"))));
        // the focus would read the same sources the captured remove carried, in kind
        assertEquals(Set.of("c9d0e1f2"), JingleCodec.sourcesFromXml(
                jingle(Map.of("action", "source-remove", "sid", "s"), JingleTemplates.sourcesInner(video, "r@c/c9d0e1f2"))).keySet());
    }

    @Test
    void iceFailedSessionInfoIsShapedLikeLibJitsiMeets() {
        // lib-jitsi-meet JingleSessionPC.sendIceFailedNotification: <jingle action initiator sid><ice-state>failed</ice-state><bridge-session id/>
        Element expected = Xml.parse("<jingle xmlns='urn:xmpp:jingle:1' action='session-info' initiator='i' sid='s'>"
                + "<ice-state xmlns='http://jitsi.org/protocol/focus'>failed</ice-state>"
                + "<bridge-session xmlns='http://jitsi.org/protocol/focus' id='b'/></jingle>");
        Element mine = jingle(JingleTemplates.attrs("session-info", "focus@auth.meet.test/focus", null, "9c10c1rb24qgk"),
                JingleTemplates.iceFailedInner("aeab3801-7eba-4df9-b45c-1973257b3553"));
        assertEquals(Xml.shape(expected), Xml.shape(mine));
        assertEquals("failed", Xml.child(mine, "ice-state", JingleCodec.FOCUS_NS).orElseThrow().getTextContent());
        assertEquals("aeab3801-7eba-4df9-b45c-1973257b3553", JingleCodec.bridgeSession(mine).orElseThrow().getAttribute("id"));
    }

    @Test
    void restartTerminateIsShapedLikeLibJitsiMeetsAndLikeJicofosTerminate() {
        Element mine = jingle(JingleTemplates.attrs("session-terminate", "focus@auth.meet.test/focus", null, "s1"),
                JingleTemplates.terminateInner("connectivity-error", "ICE FAILED", "b-1", true));
        Element expected = Xml.parse("<jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' initiator='i' sid='s'>"
                + "<reason><connectivity-error/><text>ICE FAILED</text></reason>"
                + "<bridge-session xmlns='http://jitsi.org/protocol/focus' id='b' restart='true'/></jingle>");
        assertEquals(Xml.shape(expected), Xml.shape(mine));
        assertEquals("true", JingleCodec.bridgeSession(mine).orElseThrow().getAttribute("restart"));
        // the <reason> part has the shape of Jicofo's own terminate
        Element jicofo = Fixtures.child("jingle-session-terminate-move.xml");
        Element success = jingle(Map.of("action", "session-terminate", "sid", "s"), JingleTemplates.terminateInner("success", "moving", null, false));
        assertEquals(Xml.shape(Xml.child(jicofo, "reason").orElseThrow()), Xml.shape(Xml.child(success, "reason").orElseThrow()));
    }

    @Test
    void transportAcceptCarriesOnlyTransports() {
        IceTransport t = JingleTemplates.newTransport("a1b2c3d4", RND, true);
        Element mine = jingle(JingleTemplates.attrs("transport-accept", "focus@auth.meet.test/focus", null, "s"),
                JingleTemplates.transportAcceptInner(t));
        assertEquals(List.of("audio", "video"), Xml.children(mine, "content").stream().map(c -> c.getAttribute("name")).toList());
        assertEquals(t.ufrag(), JingleCodec.transport(mine).ufrag());
        assertTrue(JingleCodec.codecs(mine).isEmpty());
        assertTrue(JingleCodec.sourcesFromXml(mine).isEmpty());
    }
}
