package io.focus.core.xmpp.connection;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.focus.core.xmpp.connection.FocusOnProsody.WAIT;
import static io.focus.core.xmpp.connection.FocusOnProsody.client;
import static io.focus.core.xmpp.connection.FocusOnProsody.rejected;
import static io.focus.core.xmpp.connection.FocusOnProsody.send;
import static io.focus.core.xmpp.connection.FocusOnProsody.startFocus;

import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.RawIQ;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.SmackFuture;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits on a real connection through Prosody: a stanza over the size and requests over a sender's rate are
 * refused with a clear error and not processed (a ping is answered by the focus's Smack, so a ping refused shows that
 * nothing handled it), other stanzas are dropped, and the focus stays connected.
 */
class StanzaLimitsIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();
    static final long LIMIT = 16 * 1024;

    private static RawIQ ping(String to, String junk) throws Exception {
        RawIQ iq = new RawIQ("ping", "urn:xmpp:ping", junk == null ? Map.of() : Map.of("junk", junk), "");
        iq.setType(IQ.Type.get);
        iq.setTo(JidCreate.from(to));
        return iq;
    }

    /**
     * The error as XML: Smack 4.4.8 files the received {@code <text xml:lang='en'>} under no language, so
     * {@code getDescriptiveText} does not find it.
     */
    private static String text(StanzaError error) {
        return error.toXML().toString();
    }

    @Test
    void overTheSizeOrTheRateARequestIsRefusedWithItsLimitAndTheFocusStaysConnected() throws Exception {
        CollectorRegistry metrics = new CollectorRegistry();
        StanzaLimits limits = new StanzaLimits(LIMIT, 5, 5, Set.of());
        List<String> lost = new CopyOnWriteArrayList<>();
        try (XmppConnectionManager focus = startFocus(prosody, metrics, limits, lost)) {
            String focusJid = focus.connection().getUser().toString();
            XMPPTCPConnection big = client(prosody);
            XMPPTCPConnection flood = client(prosody);
            try {
                IQ small = send(big, ping(focusJid, "x".repeat(1000)));
                assertEquals(IQ.Type.result, small.getType(), () -> small.toXML().toString());

                IQ refused = send(big, ping(focusJid, "x".repeat((int) LIMIT)));
                assertEquals(IQ.Type.error, refused.getType(), () -> refused.toXML().toString());
                assertEquals(StanzaError.Condition.policy_violation, refused.getError().getCondition());
                assertTrue(text(refused.getError()).contains("limit of " + LIMIT + " bytes"),
                        text(refused.getError()));

                Message chat = MessageBuilder.buildMessage().to(JidCreate.from(focusJid)).ofType(Message.Type.chat)
                        .setBody("y".repeat((int) LIMIT)).build();
                big.sendStanza(chat);
                await().atMost(WAIT).until(() -> rejected(metrics, "too-large") == 2);

                // ten pings at once: the burst of five is answered, the rest refused (resource-constraint, wait)
                List<SmackFuture<IQ, Exception>> pending = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    pending.add(flood.sendIqRequestAsync(ping(focusJid, null)));
                }
                int results = 0;
                int waits = 0;
                for (SmackFuture<IQ, Exception> f : pending) {
                    try {
                        IQ r = f.getOrThrow();
                        assertEquals(IQ.Type.result, r.getType());
                        results++;
                    } catch (XMPPException.XMPPErrorException e) {
                        StanzaError err = e.getStanzaError();
                        assertEquals(StanzaError.Condition.resource_constraint, err.getCondition(), err::toString);
                        assertEquals(StanzaError.Type.WAIT, err.getType());
                        assertTrue(text(err).contains("more than 5 requests per second"),
                                text(err));
                        waits++;
                    }
                }
                assertEquals(10, results + waits);
                assertTrue(results >= 5 && waits >= 3, "answered " + results + ", refused " + waits);
                assertEquals(waits, rejected(metrics, "rate-limited"));
                // the other client was never limited by the flood
                assertEquals(IQ.Type.result, send(big, ping(focusJid, null)).getType());
                assertEquals(0, focus.losses());
                assertEquals(List.of(), lost);
                assertTrue(focus.isReady());
            } finally {
                big.disconnect();
                flood.disconnect();
            }
        }
    }
}
