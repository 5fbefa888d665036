package io.focus.conference.signalling;

import io.focus.core.jingle.JingleIQ;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.IQ;

/**
 * How the signaller reaches participants. The XMPP implementation is {@link XmppJingleSender}; unit tests record.
 * Implementations never block and never throw: failures complete the future.
 */
public interface JingleSender {
    /** The focus's own full JID ({@code focus@auth.example.com/focus}), written as an offer's {@code initiator}. */
    String localJid();

    /**
     * Puts a Jingle request on the wire before returning; the future completes with the participant's result, or
     * fails (error reply, no reply within the timeout, not connected).
     */
    CompletableFuture<IQ> send(JingleIQ request);

    /** Sends the answer (result or error) to a participant's request. */
    void reply(IQ response);
}
