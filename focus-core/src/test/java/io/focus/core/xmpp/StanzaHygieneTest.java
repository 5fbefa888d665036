package io.focus.core.xmpp;

import static io.focus.core.xmpp.connection.FocusOnProsody.client;
import static io.focus.core.xmpp.connection.FocusOnProsody.rejected;
import static io.focus.core.xmpp.connection.FocusOnProsody.send;
import static io.focus.core.xmpp.connection.FocusOnProsody.startFocus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.XmlAssert;
import io.focus.core.xmpp.connection.StanzaLimits;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.RawIQ;
import io.prometheus.client.CollectorRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.NodeList;

/** The focus's error replies as the sender receives them, on a real Prosody. */
class StanzaHygieneTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    /**
     * A parser's message can quote the sender's input at any length ("attribute 'ssrc'='…' is not an integer"); the
     * bad-request that carries it must stay small, or a hostile stanza could make the focus write more than Prosody
     * accepts from it (which closes the focus's stream).
     */
    @Test
    void theTextOfAnErrorReplyIsBounded() throws Exception {
        CollectorRegistry metrics = new CollectorRegistry();
        List<String> lost = new CopyOnWriteArrayList<>();
        try (XmppConnectionManager focus = startFocus(prosody, metrics, StanzaLimits.none(), lost)) {
            XMPPTCPConnection c = client(prosody);
            try {
                RawIQ jingle = new RawIQ("jingle", "urn:xmpp:jingle:1", Map.of("action", "source-add", "sid", "s1"),
                        "<content name='video'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>"
                                + "<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='" + "9".repeat(100_000)
                                + "'/></description></content>");
                jingle.setType(IQ.Type.set);
                jingle.setTo(JidCreate.from(focus.connection().getUser()));
                IQ reply = send(c, jingle);
                assertEquals(jingle.getStanzaId(), reply.getStanzaId());
                assertEquals(IQ.Type.error, reply.getType(), () -> reply.toXML().toString());
                assertEquals(StanzaError.Condition.bad_request, reply.getError().getCondition());
                // read from the XML: Smack 4.4.8's StanzaError.getDescriptiveText() does not find the received
                // <text xml:lang='en'> (it is shown by toXML())
                NodeList texts = XmlAssert.parse(reply.toXML().toString())
                        .getElementsByTagNameNS("*", "text");
                assertEquals(1, texts.getLength(), () -> "one <text> in " + reply.toXML());
                String text = texts.item(0).getTextContent();
                assertTrue(text.startsWith("the focus could not parse this request: <source "
                        + "xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'> attribute 'ssrc'='999"), text);
                assertTrue(text.length() <= StanzaHygiene.MAX_REPLY_TEXT + 1, "length " + text.length());
                assertTrue(reply.toXML().length() < 1000, reply.toXML()::toString);
                assertEquals(1.0, rejected(metrics, "unparseable"));
                assertEquals(List.of(), lost);
            } finally {
                c.disconnect();
            }
        }
    }
}
