package io.focus.conference.signalling;

import io.focus.core.xmpp.connection.IqRequester;
import io.focus.core.jingle.JingleIQ;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JingleSender} on the client connection (the one in the conference rooms): requests go to the participant's
 * occupant JID through the connection's {@link IqRequester} (queued for its sender thread in call order, so the
 * control thread never waits for Smack's writer; the reply completes the future on Smack's async threads).
 */
public final class XmppJingleSender implements JingleSender {
    private static final Logger log = LoggerFactory.getLogger(XmppJingleSender.class);

    private final IqRequester requests;
    private final Duration replyTimeout;

    /**
     * @param requests the client connection's requests
     * @param replyTimeout {@code jicofo.xmpp.client.reply-timeout} (15 s), counted from the request
     */
    public XmppJingleSender(IqRequester requests, Duration replyTimeout) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.replyTimeout = replyTimeout;
    }

    @Override public String localJid() {
        XMPPConnection c = requests.connection();
        return c.getUser() == null ? null : c.getUser().toString();
    }

    @Override public CompletableFuture<IQ> send(JingleIQ request) {
        CompletableFuture<IQ> f = new CompletableFuture<>();
        XMPPConnection c = requests.connection();
        if (!c.isAuthenticated()) {
            f.completeExceptionally(new SmackException.NotConnectedException("client connection is not connected"));
            return f;
        }
        try {
            return requests.request(request, replyTimeout);
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override public void reply(IQ response) {
        requests.send(response);
    }
}
