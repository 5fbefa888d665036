package io.focus.sim.participant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.xml.Xml;

/** Reading the captured Jicofo Jingle stanzas (as Prosody delivered them). */
class JingleCodecTest {
    static Element jingle(String fixture) {
        return JingleCodec.jingle(Xml.toString(Fixtures.child(fixture)));
    }

    static Map<String, Set<Long>> ssrcs(Map<String, EndpointSources> m) {
        return m.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().ssrcs()));
    }

    @Test
    void xmlOffer() {
        Element j = jingle("jingle-session-initiate.delivered.xml");
        assertEquals("session-initiate", j.getAttribute("action"));
        assertEquals("9c10c1rb24qgk", j.getAttribute("sid"));
        Element bs = JingleCodec.bridgeSession(j).orElseThrow();
        assertEquals("aeab3801-7eba-4df9-b45c-1973257b3553", bs.getAttribute("id"));
        assertEquals("eu-west", bs.getAttribute("region"));
        IceTransport t = JingleCodec.transport(j);
        assertEquals("1g80q1k801tg7r", t.ufrag());
        assertEquals("actpass", t.setup());
        assertEquals("sha-256", t.hash());
        assertTrue(t.fingerprint().startsWith("B6:5B:8D"));
        assertEquals(List.of("host", "srflx"), t.candidates().stream().map(IceTransport.Candidate::type).toList());
        assertEquals(10601, t.candidates().get(0).port());
        assertTrue(t.webSocketUrl().startsWith("ws://127.0.0.1:18683/colibri-ws/jvb2/"));
        assertTrue(t.rtcpMux());
        List<Codec> codecs = JingleCodec.codecs(j);
        Codec opus = codecs.get(0);
        assertEquals(List.of("audio", 111, "opus", 48000, 2), List.of(opus.media(), opus.id(), opus.name(), opus.clockrate(), opus.channels()));
        assertEquals("1", opus.parameters().get("useinbandfec"));
        assertTrue(codecs.stream().anyMatch(c -> c.name().equals("rtx") && "100".equals(c.parameters().get("apt")) && c.id() == 96));
        assertFalse(JingleCodec.hasJsonSources(j));
        assertEquals(Map.of("jvb", Set.of(450492729L, 1458505769L)), ssrcs(JingleCodec.sources(j)));
        EndpointSources jvb = JingleCodec.sources(j).get("jvb");
        assertEquals("jvb-a0", jvb.sources().get(0).name());
        assertEquals("audio", jvb.sources().get(0).media());
        assertEquals("mixedmslabel mixedlabelvideo0", jvb.sources().get(1).msid());
        assertEquals(new JingleTemplates.Answer(111, 100, 96), JingleTemplates.Answer.from(codecs));
    }

    @Test
    void jsonOffer() {
        Element j = jingle("jingle-session-initiate-json-sources.delivered.xml");
        assertTrue(JingleCodec.hasJsonSources(j));
        assertEquals("us-east", JingleCodec.bridgeSession(j).orElseThrow().getAttribute("region"));
        assertEquals(Map.of("jvb", Set.of(2855227197L, 1967725967L)), ssrcs(JingleCodec.sources(j)));
        EndpointSources jvb = JingleCodec.sources(j).get("jvb");
        assertEquals(Set.of("video", "audio"), Set.copyOf(jvb.sources().stream().map(MediaSource::media).toList()));
    }

    @Test
    void sourceAddBothForms() {
        Map<String, EndpointSources> xml = JingleCodec.sources(jingle("jingle-source-add.delivered.xml"));
        assertEquals(Map.of("a1b2c3d4", Set.of(2126583482L, 1634046611L, 702218162L)), ssrcs(xml));
        assertEquals(List.of(new SsrcGroup("video", "FID", List.of(1634046611L, 702218162L))), xml.get("a1b2c3d4").groups());
        assertEquals("camera", xml.get("a1b2c3d4").sources().get(1).videoType());

        Map<String, EndpointSources> json = JingleCodec.sources(jingle("jingle-source-add-json.delivered.xml"));
        assertEquals(Map.of("e5f6a7b8", Set.of(1774102663L, 1546830553L, 1112786975L)), ssrcs(json));
        assertEquals(List.of(new SsrcGroup("video", "FID", List.of(1774102663L, 1546830553L))), json.get("e5f6a7b8").groups());
        assertEquals("e5f6a7b8-a0", json.get("e5f6a7b8").sources().stream().filter(s -> s.media().equals("audio")).findFirst().orElseThrow().name());
    }

    @Test
    void sourceRemoveBothFormsAgreeAndApply() {
        Map<String, EndpointSources> xml = JingleCodec.sources(jingle("jingle-source-remove.delivered.xml"));
        Map<String, EndpointSources> json = JingleCodec.sources(jingle("jingle-source-remove-json.delivered.xml"));
        assertEquals(Map.of("c9d0e1f2", Set.of(447674469L, 2040014909L)), ssrcs(xml));
        assertEquals(ssrcs(xml), ssrcs(json));
        assertEquals(xml.get("c9d0e1f2").groups(), json.get("c9d0e1f2").groups());

        // a view with c9d0e1f2's audio and video; removing its video leaves its audio, without the FID group
        Map<String, EndpointSources> view = JingleWire.apply(Map.of(), Map.of("c9d0e1f2", new EndpointSources(
                List.of(new MediaSource(1, "audio", "c9d0e1f2-a0", null, null),
                        new MediaSource(447674469L, "video", "c9d0e1f2-v0", null, "camera"),
                        new MediaSource(2040014909L, "video", "c9d0e1f2-v0", null, "camera")),
                List.of(new SsrcGroup("video", "FID", List.of(447674469L, 2040014909L))))), true);
        Map<String, EndpointSources> after = JingleWire.apply(view, json, false);
        assertEquals(Set.of(1L), after.get("c9d0e1f2").ssrcs());
        assertTrue(after.get("c9d0e1f2").groups().isEmpty());
        // removing everything of an owner drops the owner
        assertTrue(JingleWire.apply(after, Map.of("c9d0e1f2", after.get("c9d0e1f2")), false).isEmpty());
    }

    @Test
    void bridgeLossRemovesEverySourceOfTheMovedEndpoint() {
        Map<String, EndpointSources> view = JingleWire.apply(Map.of(),
                JingleCodec.sources(jingle("jingle-source-add-json.delivered.xml")), true);
        Map<String, EndpointSources> rm = JingleCodec.sources(jingle("jingle-source-remove-bridge-loss-json.delivered.xml"));
        assertTrue(JingleWire.apply(view, rm, false).isEmpty());
    }

    @Test
    void ownerMayBeAnOccupantJid() {
        assertEquals("abcd1234", JingleCodec.owner("room@conference.meet.test/abcd1234"));
        assertEquals("jvb", JingleCodec.owner("jvb"));
        assertEquals(JingleCodec.UNKNOWN_OWNER, JingleCodec.owner(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<jingle xmlns='urn:xmpp:jingle:1' sid='s'/>",
            "<jingle xmlns='urn:xmpp:jingle:1' action='source-add'/>",
            "<jingle xmlns='urn:xmpp:jingle:2' action='source-add' sid='s'/>",
            "<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='s'",
    })
    void badJingleElements(String xml) {
        assertThrows(IllegalArgumentException.class, () -> JingleCodec.jingle(xml));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='x'/></description>",
            "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='-1'/></description>",
            "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='4294967296'/></description>",
            "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'/></description>",
            "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'><ssrc-group xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' semantics='FID'/></description>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>{not json</json-message>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>[]</json-message>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":{\"a\":[[{\"n\":\"no-ssrc\"}]]}}</json-message>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":{\"a\":[[],[[\"f\"]]]}}</json-message>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":{\"a\":[[{\"s\":-5}]]}}</json-message>",
            "<json-message xmlns='http://jitsi.org/jitmeet'>{\"sources\":{\"a\":{}}}</json-message>",
    })
    void badSources(String inner) {
        String xml = inner.startsWith("<json") ? inner : "<content name='x'>" + inner + "</content>";
        Element j = JingleCodec.jingle("<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='s'>" + xml + "</jingle>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JingleCodec.sources(j));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void badCandidatePort() {
        Element j = JingleCodec.jingle("<jingle xmlns='urn:xmpp:jingle:1' action='transport-replace' sid='s'><content name='audio'>"
                + "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'><candidate ip='1.2.3.4' port='x'/></transport></content></jingle>");
        assertThrows(IllegalArgumentException.class, () -> JingleCodec.transport(j));
    }
}
