package io.focus.core.colibri;

import io.focus.core.testing.RequiresRecordings;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.focus.core.testing.Fixtures;
import io.focus.core.xmpp.XmlNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Builds, with the builders and the values of the captured run, every Colibri2 request Jicofo sent, and compares
 * the serialization structurally with what Jicofo wrote ({@code NAME.xml}).
 */
@RequiresRecordings
class Colibri2RequestGoldenTest {
    static final String MEETING = "ee698703-2bd4-40b5-ad0d-6a6c5668506e";
    static final XmlNode TRACE = ConferenceModifyIQ.traceparent("00000000000000000000000000000000",
            "0000000000000000", "00");

    private static String xml(ConferenceModifyIQ iq, String bridgeNick) throws Exception {
        iq.setTo(JidCreate.from("jvbbrewery@internal.auth.meet.test/" + bridgeNick));
        iq.setStanzaId("ignored");
        return iq.toXML(io.focus.core.testing.XmlAssert.STREAM).toString();
    }

    private static Endpoint newEndpoint(String id, Media first, Media second) {
        return Endpoint.builder(id).create(true).statsId(id + "-stats").media(first).media(second)
                .transport(Colibri2Transport.forNewEndpoint()).sources(Sources.EMPTY).capability("source-names")
                .build();
    }

    @Test
    void createConferenceWithFirstEndpoint() throws Exception {
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder(MEETING).name("fixture1@conference.meet.test")
                .create(true).traceparent(TRACE)
                .endpoint(newEndpoint("a1b2c3d4", JicofoOffer.audio(), JicofoOffer.video()))
                .build();
        assertSameStructure(Fixtures.read("colibri2-create-conference-request.xml"), xml(iq, "jvb1"));
    }

    @Test
    void addEndpointToExistingConference() throws Exception {
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .endpoint(newEndpoint("c9d0e1f2", JicofoOffer.video(), JicofoOffer.audio()))
                .build();
        assertSameStructure(Fixtures.read("colibri2-add-endpoint-request.xml"), xml(iq, "jvb1"));
    }

    @Test
    void mediaOrderMatters() throws Exception {
        // the comparison is order-sensitive: audio-first does not match Jicofo's video-first add-endpoint
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .endpoint(newEndpoint("c9d0e1f2", JicofoOffer.audio(), JicofoOffer.video()))
                .build();
        String actual = xml(iq, "jvb1");
        assertThrows(AssertionError.class,
                () -> assertSameStructure(Fixtures.read("colibri2-add-endpoint-request.xml"), actual));
    }

    @Test
    void expireEndpoint() throws Exception {
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .endpoint(Endpoint.expire("c9d0e1f2")).build();
        assertSameStructure(Fixtures.read("colibri2-expire-endpoint-request.xml"), xml(iq, "jvb1"));
    }

    @Test
    void expireConference() throws Exception {
        assertSameStructure(Fixtures.read("colibri2-expire-conference-request.xml"),
                xml(ConferenceModifyIQ.expireConference(MEETING), "jvb2"));
        ConferenceModifyIQ traced = ConferenceModifyIQ.builder(MEETING).expire(true).traceparent(TRACE).build();
        assertSameStructure(Fixtures.read("colibri2-expire-conference-traced-request.xml"), xml(traced, "jvb1"));
    }

    @Test
    void endpointTransportAndSourcesUpdate() throws Exception {
        IceUdpTransport ice = IceUdpTransport.builder().ufrag("ufa1b2c3d4").pwd("REDACTED").rtcpMux(true)
                .fingerprint(new DtlsFingerprint("sha-256", "active", "72:70:38:F7:D8:DC:99:A0:0D:A0:88:98:36:CF:"
                        + "ED:28:99:D9:45:60:2E:61:91:F2:75:DA:5C:4D:FA:91:CE:9C"))
                .candidate(IceCandidate.host("a1b2c3d4-c1", 1, "1", 0, "127.0.0.1", 0, 40631, 2130706431L, "udp"))
                .build();
        Sources sources = Sources.of(
                new MediaSource("audio", "a1b2c3d4-a0", List.of(new Source(2126583482L, "a1b2c3d4-a0"))),
                new MediaSource("video", "a1b2c3d4-v0",
                        List.of(new Source(1634046611L, "a1b2c3d4-v0").withVideoType("camera"),
                                new Source(702218162L, "a1b2c3d4-v0").withVideoType("camera")),
                        List.of(new SsrcGroup("FID", List.of(1634046611L, 702218162L)))));
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .endpoint(Endpoint.builder("a1b2c3d4").statsId("a1b2c3d4-stats")
                        .transport(Colibri2Transport.of(ice)).sources(sources).build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-endpoint-update-request.xml"), xml(iq, "jvb1"));

        ConferenceModifyIQ reduced = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .endpoint(Endpoint.builder("c9d0e1f2").statsId("c9d0e1f2-stats")
                        .sources(Sources.of(new MediaSource("audio", "c9d0e1f2-a0",
                                List.of(new Source(726043759L, "c9d0e1f2-a0"))))).build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-endpoint-sources-update-request.xml"), xml(reduced, "jvb1"));
    }

    @Test
    void relayCreateOnBothSides() throws Exception {
        // initiator side (jvb2 towards jvb1): unique port, ICE controlling
        ConferenceModifyIQ toJvb2 = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .relay(Relay.builder("jvb1").create(true).meshId("0").media(JicofoOffer.audio())
                        .media(JicofoOffer.video())
                        .transport(new Colibri2Transport(true, true, null, null))
                        .endpoint(Endpoint.builder("a1b2c3d4").create(true).statsId("a1b2c3d4-stats")
                                .sources(Sources.EMPTY).capability("source-names").build())
                        .build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-relay-create-jvb2-request.xml"), xml(toJvb2, "jvb2"));

        // the other side: a bare <transport/>
        ConferenceModifyIQ toJvb1 = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .relay(Relay.builder("jvb2").create(true).meshId("0").media(JicofoOffer.audio())
                        .media(JicofoOffer.video())
                        .transport(new Colibri2Transport(null, null, null, null))
                        .endpoint(Endpoint.builder("e5f6a7b8").create(true).statsId("e5f6a7b8-stats")
                                .sources(Sources.EMPTY).capability("source-names").build())
                        .build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-relay-create-jvb1-request.xml"), xml(toJvb1, "jvb1"));
    }

    @Test
    void relayCreateWithSctp() throws Exception {
        ConferenceModifyIQ iq = ConferenceModifyIQ.builder("5fb3a5fa-356a-45a1-85b2-c9f0a7e07294").traceparent(TRACE)
                .relay(Relay.builder("jvb1").create(true).meshId("0").media(JicofoOffer.audio())
                        .media(JicofoOffer.video())
                        .transport(new Colibri2Transport(null, null, null, new Sctp("server", null)))
                        .endpoint(Endpoint.builder("a1b2c3d4").create(true).statsId("a1b2c3d4-stats")
                                .sources(Sources.EMPTY).capability("source-names").build())
                        .build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-error-sctp-not-configured.request.xml"), xml(iq, "jvb2"));
    }

    static final String JVB1_FP = "1C:63:1E:32:44:09:13:85:51:A4:83:BA:D9:53:CB:D1:07:7F:84:10:C9:32:B5:93:A7:34:"
            + "77:A7:51:45:67:51";

    @Test
    void relayTransportUpdates() throws Exception {
        IceUdpTransport jvb2Side = IceUdpTransport.builder().ufrag("d8i3l1k801tgkb").pwd("REDACTED").rtcpMux(true)
                .fingerprint(new DtlsFingerprint("sha-256", "passive", "B6:5B:8D:9D:7F:D7:80:C5:9D:06:F4:9F:A0:9D:"
                        + "AD:93:22:9D:A6:78:DA:4D:75:67:BE:AD:3C:B3:6E:9B:09:05"))
                .candidate(IceCandidate.host("5d134eed545e7d2f030b8498a", 1, "1", 0, "192.0.2.2", 0, 41140,
                        2130706431L, "udp"))
                .candidate(new IceCandidate("4346d428545e7d2f0ffffffffefb84789", 1, "2", 0, "127.0.0.1", 0, 41140,
                        1694498815L, "udp", "srflx", "192.0.2.2", 41140, null))
                .build();
        ConferenceModifyIQ toJvb1 = ConferenceModifyIQ.builder(MEETING)
                .relay(Relay.builder("jvb2").transport(Colibri2Transport.of(jvb2Side)).build()).build();
        assertSameStructure(Fixtures.read("colibri2-relay-transport-update-request.xml"), xml(toJvb1, "jvb1"));

        IceUdpTransport jvb1Side = IceUdpTransport.builder().ufrag("9ce411k801tgr7").pwd("REDACTED").rtcpMux(true)
                .fingerprint(new DtlsFingerprint("sha-256", "active", JVB1_FP))
                .webSocketUrl("ws://127.0.0.1:18681/colibri-relay-ws/jvb1/d776e691c45099a9/jvb2?pwd=REDACTED")
                .candidate(IceCandidate.host("6e9c19a82ebc8c4903cfc936b", 1, "1", 0, "192.0.2.2", 0, 10600,
                        2130706431L, "udp"))
                .candidate(new IceCandidate("60a744b42ebc8c490fffffffffbfc916a", 1, "2", 0, "127.0.0.1", 0, 10600,
                        1694498815L, "udp", "srflx", "192.0.2.2", 10600, null))
                .build();
        ConferenceModifyIQ toJvb2 = ConferenceModifyIQ.builder(MEETING)
                .relay(Relay.builder("jvb1").transport(Colibri2Transport.of(jvb1Side)).build()).build();
        assertSameStructure(Fixtures.read("colibri2-relay-transport-update-jvb2-request.xml"), xml(toJvb2, "jvb2"));
    }

    @Test
    void relayEndpointsUpdateAndExpire() throws Exception {
        Sources b = Sources.of(
                new MediaSource("audio", "e5f6a7b8-a0", List.of(new Source(1112786975L, "e5f6a7b8-a0"))),
                new MediaSource("video", "e5f6a7b8-v0",
                        List.of(new Source(1774102663L, "e5f6a7b8-v0").withVideoType("camera"),
                                new Source(1546830553L, "e5f6a7b8-v0").withVideoType("camera")),
                        List.of(new SsrcGroup("FID", List.of(1774102663L, 1546830553L)))));
        ConferenceModifyIQ update = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .relay(Relay.builder("jvb2").endpoint(Endpoint.builder("e5f6a7b8").sources(b).build()).build())
                .build();
        assertSameStructure(Fixtures.read("colibri2-relay-endpoints-update-request.xml"), xml(update, "jvb1"));

        ConferenceModifyIQ epExpire = ConferenceModifyIQ.builder(MEETING).traceparent(TRACE)
                .relay(Relay.builder("jvb1").endpoint(Endpoint.expire("c9d0e1f2")).build()).build();
        assertSameStructure(Fixtures.read("colibri2-relay-endpoint-expire-request.xml"), xml(epExpire, "jvb2"));

        ConferenceModifyIQ relayExpire = ConferenceModifyIQ.builder(MEETING).relay(Relay.expire("jvb2")).build();
        assertSameStructure(Fixtures.read("colibri2-relay-expire-request.xml"), xml(relayExpire, "jvb1"));
    }
}
