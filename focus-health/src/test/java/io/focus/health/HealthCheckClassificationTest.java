package io.focus.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.EmptyResultIQ;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each reply to a health check means for the bridge. */
class HealthCheckClassificationTest {
    static XMPPException.XMPPErrorException error(StanzaError.Condition c, String text) {
        IQ iq = new EmptyResultIQ();
        iq.setType(IQ.Type.error);
        StanzaError.Builder b = StanzaError.getBuilder(c);
        if (text != null) {
            b.setDescriptiveEnText(text);
        }
        StanzaError e = b.build();
        iq.setError(e);
        return new XMPPException.XMPPErrorException(iq, e);
    }

    @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            // the bridge's own answers
            "internal_server_error  |                            | FAILED",
            "service_unavailable    |                            | FAILED",
            // the server's answers for a bridge it cannot reach (real-call d-009; a component whose link is down)
            "item_not_found         | Recipient not in room      | FAILED",
            "remote_server_timeout  | Component unavailable      | FAILED",
            "recipient_unavailable  |                            | FAILED",
            // anything else: logged, no state change
            "bad_request            |                            | ERROR",
            "feature_not_implemented|                            | ERROR",
    })
    void errorReplies(String condition, String text, HealthOutcome.Kind expected) {
        HealthOutcome o = SmackHealthCheckSender.classify(error(StanzaError.Condition.valueOf(condition.strip()),
                text == null ? null : text.strip()));
        assertEquals(expected, o.kind(), o.toString());
        if (text != null) {
            assertTrue(o.detail().contains(text.strip()), o.detail());
        }
    }

    /** Prosody's bounce for a component that is not connected, in the form that carries service-unavailable. */
    @org.junit.jupiter.api.Test
    void aComponentNotConnectedIsTheServerSayingUnreachable() {
        IQ iq = new EmptyResultIQ();
        iq.setType(IQ.Type.error);
        StanzaError e = StanzaError.getBuilder(StanzaError.Condition.service_unavailable)
                .setExtensions(java.util.List.of(org.jivesoftware.smack.packet.StandardExtensionElement
                        .builder("not-connected", "xmpp:prosody.im/protocol/component").build())).build();
        iq.setError(e);
        HealthOutcome o = SmackHealthCheckSender.classify(new XMPPException.XMPPErrorException(iq, e));
        assertEquals(HealthOutcome.Kind.FAILED, o.kind());
        assertTrue(o.serverSaidUnreachable(), o.toString());
    }

    /**
     * Which outcomes are the bridge answering (they go in the focus's send order as evidence that the focus's link
     * carries requests): not a timeout, not the server answering for it, not the focus's own error.
     */
    @org.junit.jupiter.api.Test
    void onlyWhatTheBridgeWroteIsAnAnswer() {
        assertTrue(HealthOutcome.passed().bridgeAnswered());
        assertTrue(SmackHealthCheckSender.classify(error(StanzaError.Condition.internal_server_error, null))
                .bridgeAnswered());
        assertTrue(SmackHealthCheckSender.classify(error(StanzaError.Condition.bad_request, null)).bridgeAnswered());
        assertFalse(SmackHealthCheckSender.classify(error(StanzaError.Condition.item_not_found,
                "Recipient not in room")).bridgeAnswered(), "the server's bounce");
        assertFalse(SmackHealthCheckSender.classify(SmackException.NoResponseException.newWith(500,
                (org.jivesoftware.smack.filter.StanzaFilter) st -> false, false)).bridgeAnswered());
        assertFalse(SmackHealthCheckSender.classify(new SmackException.NotConnectedException()).bridgeAnswered());
        HealthOutcome local = SmackHealthCheckSender.classify(new IllegalStateException("boom"));
        assertEquals(HealthOutcome.Kind.ERROR, local.kind(), "handled as an error, as before");
        assertFalse(local.bridgeAnswered(), "but the focus's own");
    }

    @org.junit.jupiter.api.Test
    void noConnectionIsNotTheBridges() {
        assertEquals(HealthOutcome.Kind.NOT_SENT,
                SmackHealthCheckSender.classify(new SmackException.NotConnectedException()).kind());
    }
}
