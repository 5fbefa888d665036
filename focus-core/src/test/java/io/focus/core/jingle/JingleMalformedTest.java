package io.focus.core.jingle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.testing.Stanzas;
import io.focus.core.testing.XmlAssert;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.StanzaParseException;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad Jingle input: a StanzaParseException or a JingleRequestException naming the problem, nothing else. */
class JingleMalformedTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    static String jingle(String attrs, String content) {
        return "<iq type='set' id='j1' from='fixture1@conference.meet.test/e5f6a7b8' to='focus@auth.meet.test/focus'>"
                + "<jingle xmlns='urn:xmpp:jingle:1' " + attrs + ">" + content + "</jingle></iq>";
    }

    static String video(String inner) {
        return "<content name='video'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>" + inner
                + "</description></content>";
    }

    static StanzaParseException rejects(String xml) {
        return assertThrows(StanzaParseException.class, () -> Stanzas.parse(xml));
    }

    @Test
    void missingSid() {
        assertTrue(rejects(jingle("action='source-add'", "")).getMessage()
                .contains("<jingle> is missing required attribute 'sid'"));
    }

    @Test
    void missingAction() {
        assertTrue(rejects(jingle("sid='s1'", "")).getMessage()
                .contains("<jingle> is missing required attribute 'action'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "4294967296", ""})
    void badSsrc(String ssrc) {
        StanzaParseException e = rejects(jingle("action='source-add' sid='s1'",
                video("<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='" + ssrc + "'/>")));
        assertTrue(e.getMessage().contains("'ssrc'"), e.getMessage());
    }

    @Test
    void badSsrcInAGroup() {
        StanzaParseException e = rejects(jingle("action='source-add' sid='s1'",
                video("<ssrc-group xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' semantics='FID'><source ssrc='x'/>"
                        + "</ssrc-group>")));
        assertTrue(e.getMessage().contains("'ssrc'"), e.getMessage());
    }

    @Test
    void emptyGroup() {
        assertTrue(rejects(jingle("action='source-add' sid='s1'",
                video("<ssrc-group xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' semantics='SIM'/>"))).getMessage()
                .contains("has no sources"));
    }

    @Test
    void contentWithoutName() {
        assertTrue(rejects(jingle("action='source-add' sid='s1'", "<content/>")).getMessage()
                .contains("<content> is missing required attribute 'name'"));
    }

    @Test
    void candidateWithoutPort() {
        String t = "<content name='audio'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>"
                + "<candidate component='1' foundation='1' ip='1.2.3.4' priority='1' protocol='udp' type='host'/>"
                + "</transport></content>";
        assertTrue(rejects(jingle("action='session-accept' sid='s1'", t)).getMessage().contains("'port'"));
    }

    @Test
    void reasonWithoutCondition() {
        assertTrue(rejects(jingle("action='session-terminate' sid='s1'", "<reason><text>x</text></reason>"))
                .getMessage().contains("no condition"));
    }

    @Test
    void unknownActionIsKeptForTheSignallingLayerToRefuse() throws Exception {
        JingleIQ iq = Stanzas.parse(jingle("action='content-add' sid='s1'", ""));
        assertEquals(JingleAction.UNKNOWN, iq.action());
        assertEquals("content-add", iq.actionName());
        JingleRequestException e = assertThrows(JingleRequestException.class, () -> JingleRequests.sourceChange(iq));
        assertEquals(StanzaError.Condition.bad_request, e.condition());
    }

    @Test
    void unknownChildrenAreKeptAndWrittenBack() throws Exception {
        String xml = jingle("action='session-accept' sid='s1'",
                "<content name='video' creator='initiator'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>"
                        + "<x-desc xmlns='urn:example' a='1'/></description>"
                        + "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>"
                        + "<x-transport xmlns='urn:example'>t</x-transport></transport>"
                        + "<initial-last-n xmlns='http://jitsi.org/jitmeet' value='5'/></content>"
                        + "<x-top xmlns='urn:example'><deep/></x-top>");
        JingleIQ iq = Stanzas.parse(xml);
        JingleContent c = iq.content("video");
        assertEquals("x-desc", c.description().otherChildren().get(0).name());
        assertEquals("x-transport", c.transport().otherChildren().get(0).name());
        assertEquals("initial-last-n", c.otherChildren().get(0).name());
        assertEquals("x-top", iq.otherChildren().get(0).name());
        XmlAssert.assertSameStructure(xml, iq.toXML(XmlAssert.STREAM).toString());
    }

    @Test
    void acceptWithoutTransportIsABadRequest() throws Exception {
        JingleIQ iq = Stanzas.parse(jingle("action='session-accept' sid='s1'", video("")));
        JingleRequestException e = assertThrows(JingleRequestException.class, () -> JingleRequests.accept(iq));
        assertEquals(StanzaError.Condition.bad_request, e.condition());
        assertTrue(e.getMessage().contains("without a transport"));
        assertEquals(StanzaError.Condition.bad_request, e.toStanzaError().getCondition());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"x\":1}", "{\"sources\":{\"a\":[[{\"s\":\"zz\"}]]}}",
            "{\"sources\":{\"a\":[[{\"s\":5000000000}]]}}", "{\"sources\":{\"a\":[[],[[1,2]]]}}",
            "{\"sources\":{\"a\":{}}}"})
    void malformedJsonMessage(String json) throws Exception {
        JingleIQ iq = Stanzas.parse(jingle("action='source-add' sid='s1'",
                "<json-message xmlns='http://jitsi.org/jitmeet'>" + json.replace("&", "&amp;").replace("<", "&lt;")
                        + "</json-message>"));
        JingleRequestException e = assertThrows(JingleRequestException.class, () -> JingleRequests.sourceChange(iq));
        assertEquals(StanzaError.Condition.bad_request, e.condition());
        assertTrue(e.getMessage().contains("json-message"), e.getMessage());
    }

    @Test
    void sessionInfoIceFailed() throws Exception {
        JingleIQ iq = Stanzas.parse(jingle("action='session-info' sid='s1'",
                "<ice-state xmlns='http://jitsi.org/protocol/focus'>failed</ice-state>"
                        + "<bridge-session xmlns='http://jitsi.org/protocol/focus' id='bs1'/>"));
        JingleRequests.SessionInfo info = JingleRequests.sessionInfo(iq);
        assertTrue(info.iceFailed());
        assertEquals("bs1", info.bridgeSessionId());
    }

    @Test
    void sessionTerminateRestart() throws Exception {
        JingleIQ iq = Stanzas.parse(jingle("action='session-terminate' sid='s1'",
                "<reason><connectivity-error/></reason>"
                        + "<bridge-session xmlns='http://jitsi.org/protocol/focus' id='bs1' restart='true'/>"));
        JingleRequests.Terminate t = JingleRequests.terminate(iq);
        assertTrue(t.restartRequested());
        assertEquals("bs1", t.bridgeSessionId());
        assertEquals(new JingleReason("connectivity-error", null), t.reason());
    }

    // ---- validation against the limits and the conference ----

    static EndpointSources audio(long from, int n) {
        List<Source> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(new Source(from + i, "x-a" + i));
        }
        return new EndpointSources(a, List.of(), List.of(), List.of());
    }

    @Test
    void tooManySources() {
        SourceValidator v = new SourceValidator(JingleSettings.defaults());
        JingleRequestException e = assertThrows(JingleRequestException.class,
                () -> v.add(ConferenceSources.EMPTY, "p", audio(100, 21)));
        assertEquals(StanzaError.Condition.bad_request, e.condition());
        assertTrue(e.getMessage().contains("max-ssrcs-per-user"), e.getMessage());
    }

    @Test
    void limitCountsWhatIsAlreadySignalled() throws Exception {
        SourceValidator v = new SourceValidator(JingleSettings.defaults());
        ConferenceSources conf = v.add(ConferenceSources.EMPTY, "p", audio(100, 20));
        assertEquals(20, conf.get("p").ssrcCount());
        ConferenceSources before = conf;
        assertThrows(JingleRequestException.class, () -> v.add(before, "p", audio(500, 1)));
        assertEquals(20, before.get("p").ssrcCount()); // nothing applied
    }

    @Test
    void tooManyGroups() {
        SourceValidator v = new SourceValidator(20, 2);
        List<Source> video = List.of(new Source(1, "v"), new Source(2, "v"), new Source(3, "v"));
        List<SsrcGroup> groups = List.of(new SsrcGroup("FID", List.of(1L, 2L)), new SsrcGroup("FID", List.of(2L, 3L)),
                new SsrcGroup("SIM", List.of(1L, 3L)));
        JingleRequestException e = assertThrows(JingleRequestException.class,
                () -> v.add(ConferenceSources.EMPTY, "p", EndpointSources.of(List.of(), video, groups)));
        assertTrue(e.getMessage().contains("max-ssrc-groups-per-user"), e.getMessage());
    }

    @Test
    void ssrcOfAnotherEndpointGroupOfUnknownSsrcAndSsrcZero() throws Exception {
        SourceValidator v = new SourceValidator(JingleSettings.defaults());
        ConferenceSources conf = v.add(ConferenceSources.EMPTY, "a", audio(100, 1));
        assertTrue(assertThrows(JingleRequestException.class, () -> v.add(conf, "b", audio(100, 1))).getMessage()
                .contains("another endpoint"));
        assertTrue(assertThrows(JingleRequestException.class, () -> v.add(conf, "b", audio(0, 1))).getMessage()
                .contains("invalid ssrc 0"));
        EndpointSources badGroup = EndpointSources.of(List.of(), List.of(new Source(7, "v")),
                List.of(new SsrcGroup("FID", List.of(7L, 8L))));
        assertTrue(assertThrows(JingleRequestException.class, () -> v.add(conf, "b", badGroup)).getMessage()
                .contains("names ssrc 8"));
        assertTrue(assertThrows(JingleRequestException.class, () -> v.remove(conf, "b", audio(100, 1)))
                .getMessage().contains("has not signalled"));
    }

    @Test
    void stripSimulcastKeepsTheFirstLayerAndItsRtx() {
        List<Source> video = List.of(new Source(1, "v"), new Source(2, "v"), new Source(3, "v"),
                new Source(11, "v"), new Source(12, "v"), new Source(13, "v"));
        List<SsrcGroup> groups = List.of(new SsrcGroup("SIM", List.of(1L, 2L, 3L)),
                new SsrcGroup("FID", List.of(1L, 11L)), new SsrcGroup("FID", List.of(2L, 12L)),
                new SsrcGroup("FID", List.of(3L, 13L)));
        EndpointSources s = EndpointSources.of(List.of(), video, groups).stripSimulcast();
        assertEquals(List.of(1L, 11L), s.video().stream().map(Source::ssrc).toList());
        assertEquals(List.of(new SsrcGroup("FID", List.of(1L, 11L))), s.videoGroups());
    }

    // ---- codec configuration ----

    @Test
    void codecConfigChangesTheOffer() {
        CodecSettings c = CodecSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.codec.video.vp9.enabled=false, jicofo.codec.audio.opus.red.enabled=true, "
                        + "jicofo.codec.video.h264.rtx-pt=-1").withFallback(ConfigFactory.defaultReference()));
        assertEquals(List.of(41, 100, 107, 42, 96),
                c.videoPayloadTypes(OfferOptions.DEFAULT).stream().map(p -> p.id()).toList());
        assertEquals(List.of(112, 111, 126),
                c.audioPayloadTypes(OfferOptions.DEFAULT).stream().map(p -> p.id()).toList());
        // RED on: no in-band FEC on opus
        assertTrue(c.audioPayloadTypes(OfferOptions.DEFAULT).get(1).parameters().stream()
                .noneMatch(p -> p.name().equals("useinbandfec")));
        assertTrue(c.videoPayloadTypes(OfferOptions.DEFAULT.withRemb(true)).get(0).rtcpFbs().stream()
                .anyMatch(f -> f.type().equals("goog-remb")));
    }

    @Test
    void badCodecConfigNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> CodecSettings.fromConfig(ConfigFactory
                .parseString("jicofo.codec.video.vp8.pt=300").withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("jicofo.codec.video.vp8.pt"), e.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class, () -> CodecSettings.fromConfig(ConfigFactory
                .parseString("jicofo.codec.rtp-extensions.tcc.id=0").withFallback(ConfigFactory.defaultReference())));
        assertTrue(e2.getMessage().contains("jicofo.codec.rtp-extensions.tcc.id"), e2.getMessage());
        assertInstanceOf(ConfigException.class, e2);
    }

    @Test
    void conferenceDefaults() {
        assertEquals(new JingleSettings(20, 20, true, true), JingleSettings.defaults());
    }
}
