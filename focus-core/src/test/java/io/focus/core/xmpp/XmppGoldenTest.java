package io.focus.core.xmpp;

import io.focus.core.colibri.stats.ColibriStatsExtension;
import io.focus.core.providers.FocusProviders;

import io.focus.core.testing.RequiresRecordings;
import static io.focus.core.testing.XmlAssert.assertSameStructure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeStats;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.Stanzas;
import io.focus.core.testing.XmlAssert;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jxmpp.jid.impl.JidCreate;

/** Stats presence, health check and focus conference IQ against the captured stanzas. */
@RequiresRecordings
class XmppGoldenTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    static ColibriStatsExtension stats(String fixture) throws Exception {
        Presence p = assertInstanceOf(Presence.class, Stanzas.fixture(fixture));
        return assertInstanceOf(ColibriStatsExtension.class,
                p.getExtensionElement(ColibriStatsExtension.ELEMENT, ColibriStatsExtension.NAMESPACE));
    }

    @ParameterizedTest
    @CsvSource({
            "jvb-brewery-join-presence.delivered.xml, us-east, jvb1, false, false, 0",
            "jvb-stats-presence.delivered.xml, us-east, jvb1, false, false, 2",
            "jvb-stats-presence-eu-west.delivered.xml, eu-west, jvb2, false, false, 2",
            "jvb-stats-presence-graceful.delivered.xml, us-east, jvb1, true, false, 2",
            "jvb-stats-presence-shutting-down.delivered.xml, us-east, jvb1, true, true, 2"})
    void statsPresence(String fixture, String region, String relayId, boolean graceful, boolean shuttingDown,
                       String participants) throws Exception {
        ColibriStatsExtension ext = stats(fixture);
        BridgeStats s = ext.toBridgeStats();
        assertEquals(0.0, s.stressLevel());
        assertEquals(0.01, s.averageParticipantStress());
        assertEquals(region, s.region());
        assertEquals(relayId, s.relayId());
        assertEquals(graceful, s.gracefulShutdown());
        assertEquals(shuttingDown, s.shuttingDown());
        assertEquals(Boolean.FALSE, s.drain());
        assertEquals(Boolean.TRUE, s.healthy());
        assertEquals("2.3.SNAPSHOT", s.version());
        assertEquals(participants, s.raw(BridgeStats.PARTICIPANTS));
        assertEquals(0, ext.malformedChildren());
        // every <stat> of the real presence is kept (~80 of them)
        Matcher m = Pattern.compile("<stat ").matcher(Fixtures.read(fixture));
        int count = 0;
        while (m.find()) {
            count++;
        }
        assertEquals(count, ext.stats().size());
        assertTrue(count >= 70, "a real JVB publishes ~80 stats, got " + count);
    }

    @Test
    void statsSerializeAndReparse() throws Exception {
        ColibriStatsExtension ext = new ColibriStatsExtension(Map.of("region", "eu-west", "stress_level", "0.5"));
        Presence p = assertInstanceOf(Presence.class, Stanzas.parse(
                "<presence from='a@b/c'>" + ext.toXML(Stanzas.STREAM) + "</presence>"));
        ColibriStatsExtension back = (ColibriStatsExtension) p.getExtensionElement("stats", ColibriStatsExtension.NAMESPACE);
        assertEquals(ext.stats(), back.stats());
    }

    @Test
    void malformedStatsAreSkippedAndCounted() throws Exception {
        Presence p = assertInstanceOf(Presence.class, Stanzas.parse("<presence from='a@b/c'><stats "
                + "xmlns='http://jitsi.org/protocol/colibri'><stat name='stress_level' value='high'/><stat value='1'/>"
                + "<stat name='region'/><unknown a='b'><stat name='nested' value='x'/></unknown>"
                + "<stat name='relay_id' value='jvb9'/></stats></presence>"));
        ColibriStatsExtension ext = (ColibriStatsExtension) p.getExtensionElement("stats",
                ColibriStatsExtension.NAMESPACE);
        assertEquals(2, ext.malformedChildren());
        BridgeStats s = ext.toBridgeStats();
        assertNull(s.stressLevel(), "non-numeric stress is unreadable, not 0");
        assertTrue(s.unparseable(BridgeStats.STRESS_LEVEL));
        assertEquals("jvb9", s.relayId());
    }

    @Test
    void registerAllIsIdempotent() throws Exception {
        FocusProviders.registerAll();
        FocusProviders.registerAll();
        assertInstanceOf(HealthCheckIQ.class, Stanzas.fixture("healthcheck-request.delivered.xml"));
    }

    @Test
    void healthCheckRequestMatchesJicofo() throws Exception {
        HealthCheckIQ iq = new HealthCheckIQ();
        iq.setTo(JidCreate.from("jvbbrewery@internal.auth.meet.test/jvb1"));
        assertSameStructure(Fixtures.read("healthcheck-request.xml"), iq.toXML(XmlAssert.STREAM).toString());
    }

    @Test
    void healthCheckAsDeliveredToTheBridge() throws Exception {
        Stanza s = Stanzas.fixture("healthcheck-request.delivered.xml");
        HealthCheckIQ iq = assertInstanceOf(HealthCheckIQ.class, s);
        assertEquals(IQ.Type.get, iq.getType());
        assertEquals("jvbbrewery@internal.auth.meet.test/focus", iq.getFrom().toString());
        // an (illegal) child does not break it
        assertInstanceOf(HealthCheckIQ.class, Stanzas.parse("<iq type='get' id='h'><healthcheck "
                + "xmlns='http://jitsi.org/protocol/healthcheck'><junk/></healthcheck></iq>"));
    }

    @Test
    void healthCheckResultIsAnEmptyResult() throws Exception {
        IQ r = assertInstanceOf(IQ.class, Stanzas.fixture("healthcheck-result.delivered.xml"));
        assertEquals(IQ.Type.result, r.getType());
        assertEquals("76GLR-40", r.getStanzaId());
    }

    @Test
    void conferenceRequestFromAClient() throws Exception {
        ConferenceIq iq = assertInstanceOf(ConferenceIq.class, Stanzas.fixture("sim-focus-conference-request.delivered.xml"));
        assertEquals(IQ.Type.set, iq.getType());
        assertEquals("fixture1@conference.meet.test", iq.room());
        assertEquals("3f2c9a7e51d04b7c8e6a1f0b2d4c6e8a", iq.machineUid());
        assertNull(iq.ready());
        assertEquals("false", iq.property("disableRtx"));
        assertEquals("800", iq.property("startBitrate"));
        assertEquals("1", iq.property("visitors-version"));
        assertEquals(3, iq.properties().size());
    }

    @Test
    void conferenceResponseMatchesJicofo() throws Exception {
        ConferenceIq response = ConferenceIq.builder().room("fixture1@conference.meet.test")
                .focusJid("focus@auth.meet.test").ready(true)
                .property("authentication", "false").property("visitors-supported", "false").build();
        response.setType(IQ.Type.result);
        response.setTo(JidCreate.from("usera@meet.test/web-a"));
        response.setStanzaId("confreq2");
        assertSameStructure(Fixtures.read("focus-conference-response.xml"), response.toXML(XmlAssert.STREAM).toString());

        ConferenceIq delivered = assertInstanceOf(ConferenceIq.class, Stanzas.fixture("focus-conference-response.delivered.xml"));
        assertEquals(Boolean.TRUE, delivered.ready());
        assertEquals("focus@auth.meet.test", delivered.focusJid());
        assertEquals(Map.of("authentication", "false", "visitors-supported", "false"), delivered.properties());
    }

    @Test
    void conferenceIqAllAttributesRoundTrip() throws Exception {
        ConferenceIq iq = ConferenceIq.builder().room("r@c.d").sessionId("s1").machineUid("m1").identity("id1")
                .vnode("v1").token("t.k.n").property("a", "1").build();
        iq.setType(IQ.Type.set);
        ConferenceIq back = assertInstanceOf(ConferenceIq.class, Stanzas.parse(iq.toXML(XmlAssert.STREAM).toString()));
        assertEquals("s1", back.sessionId());
        assertEquals("m1", back.machineUid());
        assertEquals("id1", back.identity());
        assertEquals("v1", back.vnode());
        assertEquals("t.k.n", back.token());
        assertEquals("1", back.property("a"));
    }

    @Test
    void malformedConferenceIq() throws Exception {
        ConferenceIq noRoom = assertInstanceOf(ConferenceIq.class, Stanzas.parse("<iq type='set' id='c'><conference "
                + "xmlns='http://jitsi.org/protocol/focus'><property value='x'/><property name='ok' value='1'/>"
                + "<unknown/></conference></iq>"));
        assertNull(noRoom.room(), "missing room parses; the handler answers bad-request");
        assertEquals(1, noRoom.malformedProperties());
        assertEquals(Map.of("ok", "1"), noRoom.properties());
        StanzaParseException e = assertThrows(StanzaParseException.class, () -> Stanzas.parse("<iq type='result' "
                + "id='c'><conference xmlns='http://jitsi.org/protocol/focus' room='r@c.d' ready='yes'/></iq>"));
        assertTrue(e.getMessage().contains("'ready'='yes' is not a boolean"), e.getMessage());
    }
}
