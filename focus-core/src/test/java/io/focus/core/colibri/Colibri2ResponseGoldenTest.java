package io.focus.core.colibri;

import io.focus.core.testing.RequiresRecordings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.Fixtures;
import io.focus.core.providers.FocusProviders;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import io.focus.core.testing.Stanzas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses what Prosody delivered to Jicofo from the bridges, through Smack's real parsing path. */
@RequiresRecordings
class Colibri2ResponseGoldenTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    static ConferenceModifiedIQ parse(String fixture) throws Exception {
        Stanza s = Stanzas.fixture(fixture);
        return assertInstanceOf(ConferenceModifiedIQ.class, s, fixture);
    }

    @Test
    void createConferenceResponseCarriesTransportAndFeedbackSources() throws Exception {
        ConferenceModifiedIQ r = parse("colibri2-create-conference-response.delivered.xml");
        assertEquals(IQ.Type.result, r.getType());
        assertEquals("E74XW-10", r.getStanzaId());
        Endpoint ep = r.endpoint("a1b2c3d4");
        assertNotNull(ep);
        IceUdpTransport ice = ep.iceUdpTransport();
        assertEquals("cmot81k801tgba", ice.ufrag());
        assertEquals("REDACTED", ice.pwd());
        assertTrue(ice.rtcpMux());
        assertEquals(2, ice.candidates().size());
        IceCandidate host = ice.candidates().get(0);
        assertEquals("host", host.type());
        assertEquals("192.0.2.2", host.ip());
        assertEquals(10600, host.port());
        assertEquals(2130706431L, host.priority());
        IceCandidate srflx = ice.candidates().get(1);
        assertEquals("srflx", srflx.type());
        assertEquals("192.0.2.2", srflx.relAddr());
        assertEquals(10600, srflx.relPort());
        DtlsFingerprint fp = ice.fingerprint();
        assertEquals("sha-256", fp.hash());
        assertEquals("actpass", fp.setup());
        assertEquals(Colibri2RequestGoldenTest.JVB1_FP, fp.fingerprint());
        assertEquals("ws://127.0.0.1:18681/colibri-ws/jvb1/d776e691c45099a9/a1b2c3d4?pwd=REDACTED",
                ice.webSocketUrl());
        assertNull(ep.transport().sctp(), "SCTP was off in the captured run");

        Sources feedback = r.sources();
        assertNotNull(feedback);
        assertEquals(List.of(1967725967L, 2855227197L), feedback.ssrcs());
        assertEquals("jvb-a0", feedback.mediaSources().get(0).id());
        assertEquals("audio", feedback.mediaSources().get(0).type());
        assertEquals("video", feedback.mediaSources().get(1).type());
    }

    @Test
    void addEndpointResponse() throws Exception {
        ConferenceModifiedIQ r = parse("colibri2-add-endpoint-response.delivered.xml");
        IceUdpTransport ice = r.endpoint("c9d0e1f2").iceUdpTransport();
        assertEquals("9ivbb1k801tqso", ice.ufrag());
        assertEquals(2, ice.candidates().size());
        assertNull(r.endpoint("a1b2c3d4"));
    }

    @Test
    void jvb2CreateResponse() throws Exception {
        ConferenceModifiedIQ r = parse("colibri2-create-conference-jvb2-response.delivered.xml");
        assertEquals(1, r.endpoints().size());
        assertEquals("e5f6a7b8", r.endpoints().get(0).id());
        assertTrue(r.endpoints().get(0).iceUdpTransport().webSocketUrl().contains("/colibri-ws/jvb2/"));
    }

    @Test
    void relayCreateResponsesCarryRelayTransport() throws Exception {
        ConferenceModifiedIQ r1 = parse("colibri2-relay-create-jvb1-response.delivered.xml");
        Relay relay = r1.relay("jvb2");
        assertNotNull(relay);
        IceUdpTransport ice = relay.iceUdpTransport();
        assertEquals("9ce411k801tgr7", ice.ufrag());
        assertEquals("actpass", ice.fingerprint().setup());
        assertEquals(2, ice.candidates().size());
        assertTrue(ice.webSocketUrl().contains("/colibri-relay-ws/jvb1/"));

        ConferenceModifiedIQ r2 = parse("colibri2-relay-create-jvb2-response.delivered.xml");
        assertEquals("jvb1", r2.relays().get(0).id());
        assertEquals("d8i3l1k801tgkb", r2.relays().get(0).iceUdpTransport().ufrag());
    }

    @Test
    void expireAcksEchoExpire() throws Exception {
        ConferenceModifiedIQ ep = parse("colibri2-expire-endpoint-response.delivered.xml");
        assertTrue(ep.endpoint("c9d0e1f2").expire());
        ConferenceModifiedIQ relay = parse("colibri2-relay-expire-response.delivered.xml");
        assertTrue(relay.relay("jvb2").expire());
        ConferenceModifiedIQ relayEp = parse("colibri2-relay-endpoint-expire-response.delivered.xml");
        assertFalse(relayEp.relay("jvb1").expire());
        assertNull(relayEp.relay("jvb1").endpoints());
    }

    @ParameterizedTest
    @ValueSource(strings = {"colibri2-endpoint-update-response.delivered.xml",
            "colibri2-endpoint-sources-update-response.delivered.xml",
            "colibri2-relay-transport-update-response.delivered.xml",
            "colibri2-relay-transport-update-jvb2-response.delivered.xml",
            "colibri2-relay-endpoints-update-response.delivered.xml"})
    void emptyAcksParse(String fixture) throws Exception {
        ConferenceModifiedIQ r = parse(fixture);
        assertEquals(IQ.Type.result, r.getType());
        assertNull(r.sources());
        assertEquals(Colibri2Errors.AllocationOutcome.SUCCESS, Colibri2Errors.classifyAllocation(r));
    }

    /** The requests as delivered to the bridge parse too (the simulated bridge's view; a check of the model). */
    @ParameterizedTest
    @ValueSource(strings = {"colibri2-create-conference-request.delivered.xml",
            "colibri2-add-endpoint-request.delivered.xml", "colibri2-endpoint-update-request.delivered.xml",
            "colibri2-relay-create-jvb1-request.delivered.xml", "colibri2-relay-endpoints-update-request.delivered.xml",
            "colibri2-relay-transport-update-request.delivered.xml", "colibri2-expire-endpoint-request.delivered.xml",
            "colibri2-error-sctp-not-configured.request.delivered.xml"})
    void deliveredRequestsParse(String fixture) throws Exception {
        ConferenceModifyIQ iq = assertInstanceOf(ConferenceModifyIQ.class,
                Stanzas.fixture(fixture));
        assertNotNull(iq.meetingId());
        assertFalse(iq.endpoints().isEmpty() && iq.relays().isEmpty(), fixture);
        assertEquals(Fixtures.read(fixture).contains("<traceparent"), iq.traceparent() != null, "traceparent kept");
    }

    @Test
    void parsedRequestModelMatchesFixtureValues() throws Exception {
        ConferenceModifyIQ iq = assertInstanceOf(ConferenceModifyIQ.class,
                Stanzas.fixture("colibri2-create-conference-request.delivered.xml"));
        assertEquals("ee698703-2bd4-40b5-ad0d-6a6c5668506e", iq.meetingId());
        assertEquals("fixture1@conference.meet.test", iq.conferenceName());
        assertTrue(iq.create());
        Endpoint ep = iq.endpoint("a1b2c3d4");
        assertTrue(ep.create());
        assertEquals("a1b2c3d4-stats", ep.statsId());
        assertEquals(List.of("source-names"), ep.capabilities());
        assertEquals(Boolean.TRUE, ep.transport().iceControlling());
        assertEquals(Sources.EMPTY, ep.sources());
        assertEquals(JicofoOffer.audio(), ep.medias().get(0));
        assertEquals(JicofoOffer.video(), ep.medias().get(1));
        assertEquals(List.of("minptime", "useinbandfec"), ep.medias().get(0).payloadTypes().get(0).parameters()
                .stream().map(Parameter::name).toList());

        ConferenceModifyIQ sctp = assertInstanceOf(ConferenceModifyIQ.class, Stanzas.parse(
                Fixtures.read("colibri2-error-sctp-not-configured.request.delivered.xml")));
        assertEquals("server", sctp.relay("jvb1").transport().sctp().role());
        assertEquals("0", sctp.relay("jvb1").meshId());
    }
}
