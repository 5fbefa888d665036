package io.focus.core.colibri;

import io.focus.core.testing.RequiresRecordings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.focus.core.testing.Fixtures;
import io.focus.core.testing.Stanzas;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.StanzaParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed Colibri2 content: a StanzaParseException naming what is wrong, or a documented default. */
class Colibri2MalformedTest {
    @BeforeAll
    static void providers() {
        FocusProviders.registerAll();
    }

    static String modified(String content) {
        return "<iq type='result' id='r1' from='jvbbrewery@internal.auth.meet.test/jvb1' to='focus@auth.meet.test/focus'>"
                + "<conference-modified xmlns='jitsi:colibri2'>" + content + "</conference-modified></iq>";
    }

    static String ice(String inner) {
        return "<endpoint id='e1'><transport><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>"
                + inner + "</transport></transport></endpoint>";
    }

    static StanzaParseException rejects(String xml) {
        return assertThrows(StanzaParseException.class, () -> Stanzas.parse(xml));
    }

    @Test
    void endpointWithoutId() {
        StanzaParseException e = rejects(modified("<endpoint/>"));
        assertTrue(e.getMessage().contains("<endpoint> is missing required attribute 'id'"), e.getMessage());
    }

    @Test
    void relayWithoutId() {
        assertTrue(rejects(modified("<relay/>")).getMessage().contains("'id'"));
    }

    @Test
    void nonNumericCandidatePort() {
        String c = "<candidate id='c' component='1' foundation='1' generation='0' ip='1.2.3.4' network='0' "
                + "port='%s' priority='1' protocol='udp' type='host'/>";
        StanzaParseException e = rejects(modified(ice(c.formatted("ten"))));
        assertTrue(e.getMessage().contains("'port'='ten' is not an integer"), e.getMessage());
        assertTrue(rejects(modified(ice(c.formatted("70000")))).getMessage().contains("out of range"));
        assertTrue(rejects(modified(ice(c.replace("ip='1.2.3.4' ", "").formatted("1")))).getMessage()
                .contains("'ip'"));
    }

    @Test
    void badSsrcs() {
        String src = "<sources><media-source type='audio' id='a0'><source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' "
                + "ssrc='%s'/></media-source></sources>";
        assertTrue(rejects(modified(src.formatted("abc"))).getMessage().contains("'ssrc'='abc'"));
        assertTrue(rejects(modified(src.formatted("4294967296"))).getMessage().contains("SSRC"));
        assertTrue(rejects(modified(src.formatted("-1"))).getMessage().contains("SSRC"));
        assertTrue(rejects(modified("<sources><media-source type='audio'/></sources>")).getMessage()
                .contains("'id'"));
    }

    @Test
    void emptyFingerprintAndWebSocketWithoutUrl() {
        assertTrue(rejects(modified(ice("<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256'/>")))
                .getMessage().contains("fingerprint"));
        assertTrue(rejects(modified(ice("<web-socket xmlns='http://jitsi.org/protocol/colibri'/>")))
                .getMessage().contains("'url'"));
    }

    @Test
    void nonBooleanFlag() {
        assertTrue(rejects(modified("<endpoint id='e1' expire='soon'/>")).getMessage()
                .contains("'expire'='soon' is not a boolean"));
    }

    @Test
    void unknownChildrenAreKept() throws Exception {
        ConferenceModifiedIQ r = assertInstanceOf(ConferenceModifiedIQ.class, Stanzas.parse(modified(
                "<endpoint id='e1'><future xmlns='urn:example' a='b'/></endpoint><surprise/>")));
        assertEquals("future", r.endpoint("e1").otherChildren().get(0).name());
        assertEquals("b", r.endpoint("e1").otherChildren().get(0).attr("a"));
        assertEquals("surprise", r.otherChildren().get(0).name());
        // and written back
        assertTrue(r.endpoint("e1").toNode().toXml("jitsi:colibri2").contains("<future xmlns='urn:example' a='b'/>"));
    }

    @Test
    void requestWithoutMeetingIdIsAnErrorButAnErrorEchoIsLenient() throws Exception {
        assertTrue(rejects("<iq type='get' id='q'><conference-modify xmlns='jitsi:colibri2'/></iq>").getMessage()
                .contains("meeting-id"));
        String errorReply = "<iq type='error' id='q'><error type='cancel'><service-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><error xmlns='jitsi:colibri2' "
                + "reason='graceful_shutdown'/></error><conference-modify xmlns='jitsi:colibri2' create='true'>"
                + "<endpoint/></conference-modify></iq>";
        IQ r = assertInstanceOf(IQ.class, Stanzas.parse(errorReply));
        assertEquals(Colibri2Error.Reason.GRACEFUL_SHUTDOWN, Colibri2Errors.reasonOf(r));
        assertNull(((ConferenceModifyIQ) r).meetingId());
        assertTrue(((ConferenceModifyIQ) r).create());
    }

    /**
     * Mutation sweep over real stanzas: every attribute value in turn replaced by a non-number, emptied, or the
     * attribute removed. Each variant must parse or fail with a Smack parsing exception; nothing else may escape
     * (Smack's reader thread survives only those).
     */
    @RequiresRecordings
    @ParameterizedTest
    @ValueSource(strings = {"colibri2-create-conference-response.delivered.xml",
            "colibri2-relay-create-jvb1-response.delivered.xml",
            "colibri2-endpoint-update-request.delivered.xml",
            "colibri2-relay-endpoints-update-request.delivered.xml",
            "colibri2-error-graceful-shutdown.delivered.xml"})
    void attributeMutationsNeverEscapeAsOtherExceptions(String fixture) throws Exception {
        String xml = Fixtures.read(fixture);
        int start = xml.indexOf('>') + 1; // leave the <iq> header alone
        Matcher m = Pattern.compile("([a-zA-Z_:-]+)='([^']*)'").matcher(xml);
        int variants = 0;
        int rejected = 0;
        while (m.find()) {
            if (m.start() < start || m.group(1).startsWith("xmlns")) {
                continue;
            }
            String tag = xml.substring(xml.lastIndexOf('<', m.start()) + 1).split("[ >/]")[0];
            if (tag.equals("error") && m.group(1).equals("type")) {
                continue; // Smack's own StanzaError parsing, see smackItselfFailsOnStanzaErrorWithoutType
            }
            for (String variant : new String[] {
                    xml.substring(0, m.start(2)) + "x!" + xml.substring(m.end(2)),
                    xml.substring(0, m.start(2)) + xml.substring(m.end(2)),
                    xml.substring(0, m.start()) + xml.substring(m.end())}) {
                variants++;
                try {
                    Stanzas.parse(variant);
                } catch (SmackParsingException | XmlPullParserException | java.io.IOException
                         | IllegalArgumentException e) {
                    // exactly what AbstractXMPPConnection.parseAndProcessStanza catches in Smack 4.4.8 (checked in
                    // its bytecode); IllegalArgumentException comes from Smack's own parsing, e.g. a bad error type
                    rejected++;
                } catch (Exception e) {
                    fail("mutation of " + m.group(1) + " in " + fixture + " escaped as " + e, e);
                }
            }
        }
        assertTrue(variants > 10, "swept " + variants);
        if (fixture.contains("response") || fixture.contains("request")) {
            assertTrue(rejected > 0, "some mutations must be rejected (" + variants + " variants)");
        }
    }

    /**
     * Documents a Smack 4.4.8 limitation outside our providers: a stanza {@code <error>} without {@code type}
     * makes Smack's own {@code StanzaError.Type.fromString(null)} throw a NullPointerException, which its reader
     * does not catch. Real bridges and Prosody always send the type; if this test starts failing, Smack fixed it.
     */
    @Test
    void smackItselfFailsOnStanzaErrorWithoutType() {
        String xml = "<iq type='error' id='q'><error><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                + "</error></iq>";
        assertThrows(NullPointerException.class, () -> Stanzas.parse(xml));
    }
}
