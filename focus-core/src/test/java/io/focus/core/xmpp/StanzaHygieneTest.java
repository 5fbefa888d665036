package io.focus.core.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import java.time.Clock;

class StanzaHygieneTest {
    /**
     * A parser's message can quote the sender's input at any length ("attribute 'ssrc'='…' is not a number"); the
     * bad-request that carries it must stay small, or a hostile stanza could make the focus write more than Prosody
     * accepts from it (which closes the focus's stream).
     */
    @Test
    void theTextOfAnErrorReplyIsBounded() throws Exception {
        XMPPConnection connection = mock(XMPPConnection.class);
        List<Stanza> sent = new ArrayList<>();
        doAnswer(inv -> sent.add(inv.getArgument(0))).when(connection).sendStanza(any());
        RefusedIQ iq = RefusedIQ.request(IQ.Type.set, "r1", JidCreate.from("a@meet.test/web"),
                JidCreate.from("focus@auth.meet.test/focus"), "jingle", "urn:xmpp:jingle:1",
                "<source> attribute 'ssrc'='" + "9".repeat(100_000) + "' is not a number");
        new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()).onRefused(connection, iq);
        IQ reply = (IQ) sent.get(0);
        assertEquals("r1", reply.getStanzaId());
        assertEquals(StanzaError.Condition.bad_request, reply.getError().getCondition());
        String text = reply.getError().getDescriptiveText();
        assertTrue(text.startsWith("the focus could not parse this request: <source> attribute 'ssrc'='999"), text);
        assertTrue(text.length() <= StanzaHygiene.MAX_REPLY_TEXT + 1, "length " + text.length());
        assertTrue(reply.toXML().length() < 1000, reply.toXML()::toString);
    }
}
