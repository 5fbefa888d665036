package io.focus.core.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class IqErrorsTest {
    static ConferenceIq request() throws Exception {
        ConferenceIq iq = ConferenceIq.builder().room("room@conference.meet.test").build();
        iq.setType(IQ.Type.set);
        iq.setStanzaId("req-1");
        iq.setFrom(JidCreate.from("client@meet.test/web"));
        iq.setTo(JidCreate.from("focus@auth.meet.test/focus"));
        return iq;
    }

    @Test
    void theReplyGoesBackToTheSenderWithTheConditionAndTheText() throws Exception {
        IQ reply = IqErrors.reply(request(), StanzaError.Condition.not_authorized, "guests may only join");
        assertEquals(IQ.Type.error, reply.getType());
        assertEquals("req-1", reply.getStanzaId());
        assertEquals("client@meet.test/web", reply.getTo().toString());
        assertEquals("focus@auth.meet.test/focus", reply.getFrom().toString());
        assertEquals(StanzaError.Condition.not_authorized, reply.getError().getCondition());
        assertEquals("guests may only join", reply.getError().getDescriptiveText());
    }

    @Test
    void withoutATextThereIsNone() throws Exception {
        IQ reply = IqErrors.reply(request(), StanzaError.Condition.internal_server_error, null);
        assertEquals(StanzaError.Condition.internal_server_error, reply.getError().getCondition());
        assertNull(reply.getError().getDescriptiveText());
    }
}
