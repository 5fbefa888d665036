package io.focus.core.jingle;

import io.focus.core.testing.RequiresRecordings;
import static io.focus.core.jingle.JicofoRun.FOCUS;
import static io.focus.core.jingle.JicofoRun.TRACE;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.Stanzas;
import io.focus.core.testing.XmlAssert;
import io.focus.core.providers.FocusProviders;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Builds, with {@link JingleOffers} and the values of the captured run, every Jingle IQ Jicofo sent to a
 * participant, and compares it structurally with Jicofo's {@code NAME.xml}; parses every delivered Jingle stanza.
 */
@RequiresRecordings
class JingleGoldenTest {
    static final JingleOffers OFFERS = new JingleOffers(CodecSettings.defaults());

    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    private static String xml(IQ iq) throws Exception {
        iq.setTo(JidCreate.from("fixture1@conference.meet.test/x"));
        iq.setStanzaId("ignored");
        return iq.toXML(XmlAssert.STREAM).toString();
    }

    private static JingleOffers.Offer offer(String sid, IceUdpTransport t, ConferenceSources sources,
                                            BridgeSession bs, boolean json) {
        return new JingleOffers.Offer(null, sid, FOCUS, t, null, sources, bs, OfferOptions.DEFAULT, json,
                List.of(TRACE));
    }

    // ---- offers ----

    @Test
    void sessionInitiateWithXmlSources() throws Exception {
        ConferenceSources sources = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(450492729L, 1458505769L)));
        JingleIQ iq = OFFERS.sessionInitiate(offer("9c10c1rb24qgk", JicofoRun.jvb2ForB(), sources,
                BridgeSession.of("aeab3801-7eba-4df9-b45c-1973257b3553", "eu-west"), false));
        assertSameStructure(Fixtures.read("jingle-session-initiate.xml"), xml(iq));
    }

    @Test
    void sessionInitiateWithJsonSources() throws Exception {
        ConferenceSources sources = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(1967725967L, 2855227197L)));
        JingleIQ iq = OFFERS.sessionInitiate(offer("8dberpbcj5ll0", JicofoRun.jvb1ForA(), sources,
                BridgeSession.of("a73ba847-1611-4d88-8966-6269641d23a8", "us-east"), true));
        assertSameStructure(Fixtures.read("jingle-session-initiate-json-sources.xml"), xml(iq));
    }

    @Test
    void sessionInitiateAfterMove() throws Exception {
        ConferenceSources sources = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(1585748924L, 851638828L)));
        JingleIQ iq = OFFERS.sessionInitiate(offer("3h3e7l36vcmc7", JicofoRun.jvb1ForBAfterMove(), sources,
                BridgeSession.of("5e2e9ee3-3a94-4e39-9d8c-7e75766fdf17", "us-east"), false));
        assertSameStructure(Fixtures.read("jingle-session-initiate-after-move.xml"), xml(iq));
    }

    @Test
    void offerComparisonCatchesAWrongCodecSet() throws Exception {
        // the same offer without RTX must not match: the comparison can fail
        ConferenceSources sources = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(450492729L, 1458505769L)));
        JingleIQ iq = OFFERS.sessionInitiate(new JingleOffers.Offer(null, "9c10c1rb24qgk", FOCUS,
                JicofoRun.jvb2ForB(), null, sources, BridgeSession.of("aeab3801-7eba-4df9-b45c-1973257b3553",
                "eu-west"), OfferOptions.DEFAULT.withRtx(false), false, List.of(TRACE)));
        String actual = xml(iq);
        assertThrows(AssertionError.class,
                () -> assertSameStructure(Fixtures.read("jingle-session-initiate.xml"), actual));
    }

    @Test
    void offerWithOtherParticipantsAndSctp() throws Exception {
        ConferenceSources sources = ConferenceSources.of(ConferenceSources.BRIDGE_OWNER,
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(1L, 2L))).with("a1b2c3d4", JicofoRun.a());
        JingleIQ iq = OFFERS.sessionInitiate(new JingleOffers.Offer(JidCreate.from("r@c.meet.test/e5f6a7b8"), "s1",
                FOCUS, JicofoRun.jvb2ForB(), 5000, sources, BridgeSession.of("bs", "eu-west"),
                OfferOptions.DEFAULT, false, List.of()));
        JingleIQ back = Stanzas.parse(xml(iq));
        assertEquals(List.of("audio", "video", "data"), back.contents().stream().map(JingleContent::name).toList());
        assertEquals(List.of("audio", "video", "data"), back.groups().get(0).contentNames());
        assertEquals(new SctpMap(5000, "webrtc-datachannel", 1024), back.content("data").transport().sctpMap());
        assertEquals("application", back.content("data").description().media());
        RtpDescription video = back.content("video").description();
        assertEquals(List.of("jvb", "a1b2c3d4", "a1b2c3d4"), video.sources().stream().map(Source::owner).toList());
        assertEquals(List.of(new SsrcGroup("FID", List.of(1634046611L, 702218162L))), video.ssrcGroups());
        // the participant's sources come back as they went out
        assertEquals(JicofoRun.a(), JingleRequests.sources(back).minus(
                EndpointSources.fromBridgeFeedback(JicofoRun.feedback(1L, 2L))));
    }

    // ---- source-add / source-remove / terminate ----

    @Test
    void sourceAddXml() throws Exception {
        JingleIQ iq = OFFERS.sourceAdd(null, "9c10c1rb24qgk", ConferenceSources.of("a1b2c3d4", JicofoRun.a()), false);
        assertSameStructure(Fixtures.read("jingle-source-add.xml"), xml(iq));
    }

    @Test
    void sourceAddJson() throws Exception {
        JingleIQ iq = OFFERS.sourceAdd(null, "8dberpbcj5ll0", ConferenceSources.of("e5f6a7b8", JicofoRun.b()), true);
        assertSameStructure(Fixtures.read("jingle-source-add-json.xml"), xml(iq));
    }

    @Test
    void sourceAddJsonFromTheParticipantsSessionAccept() throws Exception {
        // B's (simulated) session-accept → validated → announced to A as Jicofo did
        JingleIQ accept = Stanzas.fixture("sim-jingle-session-accept.delivered.xml");
        JingleRequests.Accept a = JingleRequests.accept(accept);
        ConferenceSources conf = new SourceValidator(JingleSettings.defaults())
                .add(ConferenceSources.EMPTY, "e5f6a7b8", a.sources());
        JingleIQ iq = OFFERS.sourceAdd(null, "8dberpbcj5ll0", conf, true);
        assertSameStructure(Fixtures.read("jingle-source-add-json.xml"), xml(iq));
    }

    @Test
    void sourceRemoveXml() throws Exception {
        JingleIQ iq = OFFERS.sourceRemove(null, "9c10c1rb24qgk", ConferenceSources.of("c9d0e1f2", JicofoRun.cVideo()),
                false);
        assertSameStructure(Fixtures.read("jingle-source-remove.xml"), xml(iq));
    }

    @Test
    void sourceRemoveJson() throws Exception {
        JingleIQ iq = OFFERS.sourceRemove(null, "8dberpbcj5ll0", ConferenceSources.of("c9d0e1f2", JicofoRun.cVideo()),
                true);
        assertSameStructure(Fixtures.read("jingle-source-remove-json.xml"), xml(iq));
    }

    @Test
    void sourceRemoveOnBridgeLossJson() throws Exception {
        JingleIQ iq = OFFERS.sourceRemove(null, "8dberpbcj5ll0", ConferenceSources.of("e5f6a7b8", JicofoRun.b()), true);
        assertSameStructure(Fixtures.read("jingle-source-remove-bridge-loss-json.xml"), xml(iq));
    }

    @Test
    void sessionTerminateMoving() throws Exception {
        JingleIQ iq = JingleOffers.sessionTerminateMoving(null, "9c10c1rb24qgk");
        assertSameStructure(Fixtures.read("jingle-session-terminate-move.xml"), xml(iq));
    }

    // ---- parsing every delivered Jingle stanza ----

    static Stream<String> deliveredJingle() {
        return Stream.of("jingle-session-initiate", "jingle-session-initiate-json-sources",
                "jingle-session-initiate-after-move", "jingle-session-terminate-move", "jingle-source-add",
                "jingle-source-add-json", "jingle-source-remove", "jingle-source-remove-json",
                "jingle-source-remove-bridge-loss-json", "sim-jingle-session-accept", "sim-jingle-source-remove");
    }

    @ParameterizedTest
    @MethodSource("deliveredJingle")
    void everyDeliveredJingleStanzaParsesAndSerializesBackTheSame(String name) throws Exception {
        String fixture = Fixtures.read(name + ".delivered.xml");
        IQ iq = Stanzas.parse(fixture);
        JingleIQ jingle = assertInstanceOf(JingleIQ.class, iq);
        assertNotNull(jingle.sid());
        assertTrue(jingle.action() != JingleAction.UNKNOWN, jingle.actionName());
        String ours = jingle.toXML(XmlAssert.STREAM).toString();
        if (name.startsWith("sim-")) {
            // a client's stanza: re-serialized in Jicofo's child order and with the msid parameter in the RTP
            // namespace (as Jicofo writes it), so compare what it means: nothing lost on a round trip
            JingleIQ again = Stanzas.parse(ours);
            assertEquals(jingle.toNode(), again.toNode());
        } else {
            // Jicofo's stanza: our serialization has exactly its structure
            assertSameStructure(fixture, ours, Set.of("id", "to", "from", "lang"));
        }
    }

    @Test
    void jingleFilesCoverEveryJingleFixture() throws Exception {
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(Fixtures.dir())) {
            List<String> all = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.matches("(sim-)?jingle-.*\\.delivered\\.xml") && !f.equals("sim-jingle-ack.delivered.xml"))
                    .map(f -> f.replace(".delivered.xml", "")).sorted().toList();
            assertEquals(all, deliveredJingle().sorted().toList());
        }
    }

    @Test
    void ackIsAPlainResult() throws Exception {
        IQ ack = Stanzas.fixture("sim-jingle-ack.delivered.xml");
        assertEquals(IQ.Type.result, ack.getType());
        assertFalse(ack instanceof JingleIQ);
    }

    @Test
    void deliveredSessionInitiateValues() throws Exception {
        JingleIQ iq = Stanzas.fixture("jingle-session-initiate.delivered.xml");
        assertEquals(JingleAction.SESSION_INITIATE, iq.action());
        assertEquals("9c10c1rb24qgk", iq.sid());
        assertEquals(FOCUS, iq.initiator());
        assertEquals(IQ.Type.set, iq.getType());
        assertEquals(new BridgeSession("aeab3801-7eba-4df9-b45c-1973257b3553", "eu-west", false), iq.bridgeSession());
        assertEquals(List.of("audio", "video"), iq.groups().get(0).contentNames());
        JingleContent audio = iq.content("audio");
        assertEquals("initiator", audio.creator());
        assertEquals("both", audio.senders());
        assertEquals(60, audio.description().maxptime());
        assertEquals(List.of(111, 126), audio.description().payloadTypes().stream().map(p -> p.id()).toList());
        assertTrue(audio.description().extmapAllowMixed());
        assertTrue(audio.description().rtcpMux());
        assertEquals(List.of(1, 10, 5), audio.description().rtpHdrExts().stream().map(h -> h.id()).toList());
        Source jvbAudio = audio.description().sources().get(0);
        assertEquals(450492729L, jvbAudio.ssrc());
        assertEquals("jvb", jvbAudio.owner());
        assertEquals("mixedmslabel mixedlabelaudio0", jvbAudio.msid());
        assertEquals(JicofoRun.jvb2ForB(), audio.transport().ice());
        assertEquals(List.of(41, 100, 107, 101, 42, 96, 97, 99),
                iq.content("video").description().payloadTypes().stream().map(p -> p.id()).toList());
        // the traceparent is kept, not modelled
        assertEquals("traceparent", iq.otherChildren().get(0).name());
        // the same offer our builder makes
        assertEquals(OFFERS.sessionInitiate(offer("9c10c1rb24qgk", JicofoRun.jvb2ForB(),
                ConferenceSources.of("jvb", EndpointSources.fromBridgeFeedback(JicofoRun.feedback(450492729L,
                        1458505769L))), BridgeSession.of("aeab3801-7eba-4df9-b45c-1973257b3553", "eu-west"),
                false)).toNode(), iq.toNode());
    }

    @Test
    void deliveredJsonSourcesValues() throws Exception {
        JingleIQ initiate = Stanzas.fixture("jingle-session-initiate-json-sources.delivered.xml");
        ConferenceSources s = JsonSources.decode(initiate.jsonMessage());
        assertEquals(EndpointSources.fromBridgeFeedback(JicofoRun.feedback(1967725967L, 2855227197L)), s.get("jvb"));
        assertTrue(initiate.content("video").description().sources().isEmpty());

        JingleIQ add = Stanzas.fixture("jingle-source-add-json.delivered.xml");
        assertEquals(JingleAction.SOURCE_ADD, add.action());
        EndpointSources b = JsonSources.decode(add.jsonMessage()).get("e5f6a7b8");
        // JSON does not carry "camera": compare without the video type
        assertEquals(withoutVideoType(JicofoRun.b()), b);

        JingleIQ remove = Stanzas.fixture("jingle-source-remove-json.delivered.xml");
        assertEquals(withoutVideoType(JicofoRun.cVideo()), JsonSources.decode(remove.jsonMessage()).get("c9d0e1f2"));
        JingleIQ loss = Stanzas.fixture("jingle-source-remove-bridge-loss-json.delivered.xml");
        assertEquals(Set.of("e5f6a7b8"), JsonSources.decode(loss.jsonMessage()).owners());
    }

    private static EndpointSources withoutVideoType(EndpointSources s) {
        return new EndpointSources(s.audio(), s.video().stream().map(v -> v.withVideoType(null)).toList(),
                s.audioGroups(), s.videoGroups());
    }

    @Test
    void deliveredXmlSourceChanges() throws Exception {
        JingleIQ add = Stanzas.fixture("jingle-source-add.delivered.xml");
        assertEquals(JicofoRun.a(), JingleRequests.sourceChange(add));
        assertEquals("a1b2c3d4", add.content("video").description().sources().get(1).owner());
        JingleIQ remove = Stanzas.fixture("jingle-source-remove.delivered.xml");
        assertEquals(JingleAction.SOURCE_REMOVE, remove.action());
        assertEquals(JicofoRun.cVideo(), JingleRequests.sourceChange(remove));
        assertNull(remove.content("audio"));
    }

    @Test
    void deliveredTerminate() throws Exception {
        JingleIQ iq = Stanzas.fixture("jingle-session-terminate-move.delivered.xml");
        JingleRequests.Terminate t = JingleRequests.terminate(iq);
        assertEquals(JingleReason.MOVING, t.reason());
        assertFalse(t.restartRequested());
        assertNull(t.bridgeSessionId());
    }

    @Test
    void participantSessionAccept() throws Exception {
        JingleIQ iq = Stanzas.fixture("sim-jingle-session-accept.delivered.xml");
        JingleRequests.Accept a = JingleRequests.accept(iq);
        assertEquals("9c10c1rb24qgk", a.sid());
        assertEquals("userb@meet.test/web-b", a.responder());
        assertEquals("ufe5f6a7b8", a.transport().ufrag());
        assertEquals("active", a.transport().fingerprint().setup());
        assertEquals(40714, a.transport().candidates().get(0).port());
        assertEquals(JicofoRun.b(), a.sources());
        assertEquals(1112786975L, iq.content("audio").description().ssrc());
        // what goes to the bridge: the colibri2 endpoint sources (no msid, grouped by name)
        assertEquals(List.of("e5f6a7b8-a0", "e5f6a7b8-v0"),
                a.sources().toColibri().mediaSources().stream().map(m -> m.id()).toList());
    }

    @Test
    void participantSourceRemove() throws Exception {
        JingleIQ iq = Stanzas.fixture("sim-jingle-source-remove.delivered.xml");
        assertEquals(JicofoRun.cVideo(), JingleRequests.sourceChange(iq));
        ConferenceSources conf = ConferenceSources.of("c9d0e1f2", JicofoRun.participant("c9d0e1f2", 1L, 447674469L,
                2040014909L));
        ConferenceSources after = new SourceValidator(JingleSettings.defaults()).remove(conf, "c9d0e1f2",
                JingleRequests.sourceChange(iq));
        assertEquals(1, after.get("c9d0e1f2").ssrcCount());
        assertTrue(after.get("c9d0e1f2").videoGroups().isEmpty());
    }
}
