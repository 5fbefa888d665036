package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focus.core.xmpp.XmlNode;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class UnsupportedServicesIqHandlerTest {
    final CollectorRegistry registry = new CollectorRegistry();
    final Counter counter = UnsupportedServicesIqHandler.counter(registry);

    private IQ answer(String element, String namespace, String xml) throws Exception {
        UnparsedIQ request = new UnparsedIQ(element, namespace, xml);
        request.setType(IQ.Type.set);
        request.setStanzaId("req-1");
        request.setFrom(JidCreate.from("room@conference.meet.test/a1b2c3d4"));
        request.setTo(JidCreate.from("focus@auth.meet.test/focus"));
        return new UnsupportedServicesIqHandler(element, namespace, IQ.Type.set, counter).handleIQRequest(request);
    }

    private void assertRefused(IQ reply, String text) {
        // well-formed, with only the error in it (Smack's createErrorResponse broke the focus's stream here)
        String xml = reply.toXML().toString();
        XmlNode parsed = assertDoesNotThrow(() -> XmlNode.read(PacketParserUtils.getParserFor(xml)), xml);
        assertEquals(1, parsed.children().size(), xml);
        assertEquals("error", parsed.children().get(0).name(), xml);
        assertEquals(IQ.Type.error, reply.getType());
        assertEquals("req-1", reply.getStanzaId());
        assertEquals("room@conference.meet.test/a1b2c3d4", String.valueOf(reply.getTo()));
        assertEquals(StanzaError.Condition.feature_not_implemented, reply.getError().getCondition());
        assertEquals(text, reply.getError().getDescriptiveText());
    }

    @Test
    void jibriRequestsSayWhatIsNotSupported() throws Exception {
        String ns = "http://jitsi.org/protocol/jibri";
        assertRefused(answer("jibri", ns, "<jibri xmlns='" + ns + "' action='start' recording_mode='file'/>"),
                "recording is not supported by this focus (it has no Jibri support)");
        assertRefused(answer("jibri", ns, "<jibri xmlns='" + ns + "' action='start' recording_mode='stream' "
                + "streamid='x'/>"), "live streaming is not supported by this focus (it has no Jibri support)");
        assertRefused(answer("jibri", ns, "<jibri xmlns='" + ns + "' action='start' recording_mode='file' "
                + "sipaddress='sip:a@b' displayname='A'/>"),
                "a SIP call through Jibri is not supported by this focus (it has no Jibri support)");
        assertRefused(answer("jibri", ns, "<jibri xmlns='" + ns + "' action='stop'/>"),
                "recording and live streaming is not supported by this focus (it has no Jibri support)");
        assertRefused(answer("jibri", ns, "not xml <"),
                "recording and live streaming is not supported by this focus (it has no Jibri support)");
        assertEquals(3.0, registry.getSampleValue("focus_unsupported_requests_total", new String[] {"feature"},
                new String[] {"recording"}));
    }

    @Test
    void rayoDialsSayWhetherDialOutOrTranscriptionWasAsked() throws Exception {
        String ns = "urn:xmpp:rayo:1";
        assertRefused(answer("dial", ns, "<dial xmlns='" + ns + "' from='fromnumber' to='+15551234567'>"
                + "<header name='JvbRoomName' value='room@conference.meet.test'/></dial>"),
                "dial-out is not supported by this focus (it has no Jigasi support)");
        assertRefused(answer("dial", ns, "<dial xmlns='" + ns + "' to='jitsi_meet_transcribe'/>"),
                "transcription is not supported by this focus (it has no Jigasi support)");
        assertEquals(1.0, registry.getSampleValue("focus_unsupported_requests_total", new String[] {"feature"},
                new String[] {"transcription"}));
    }
}
