package io.focus.conference.signalling;

import io.focus.core.xmpp.EchoingErrorReplies;
import io.focus.core.xmpp.IqErrors;
import io.focus.core.jingle.JingleIQ;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Jingle IQs ({@code <jingle xmlns="urn:xmpp:jingle:1">}, type set) from participants on the client
 * connection and hands them to the {@link JingleSignaller}, which answers from the conference control thread. The
 * handler itself only posts (Smack's thread never waits) and runs in Smack's {@code sync} mode, so one participant's
 * requests reach the control thread in the order they arrived. Needs {@code FocusProviders.registerAll()} (the
 * {@code JingleIQProvider}). Its errors carry the request back, as Jicofo's do ({@link EchoingErrorReplies}).
 */
public final class JingleIqHandler extends AbstractIqRequestHandler implements EchoingErrorReplies {
    private static final Logger log = LoggerFactory.getLogger(JingleIqHandler.class);

    private final JingleSignaller signaller;
    private final XMPPConnection connection;

    public JingleIqHandler(JingleSignaller signaller, XMPPConnection connection) {
        super(JingleIQ.ELEMENT, JingleIQ.NAMESPACE, IQ.Type.set, Mode.sync);
        this.signaller = signaller;
        this.connection = connection;
    }

    /** Registers a handler on the client connection and returns it (unregister with {@link #unregister}). */
    public static JingleIqHandler register(JingleSignaller signaller, XMPPConnection connection) {
        JingleIqHandler h = new JingleIqHandler(signaller, connection);
        connection.registerIQRequestHandler(h);
        return h;
    }

    public void unregister() {
        connection.unregisterIQRequestHandler(this);
    }

    @Override public IQ handleIQRequest(IQ iq) {
        try {
            if (!(iq instanceof JingleIQ jingle)) {
                return IqErrors.reply(iq, StanzaError.Condition.bad_request, "not a Jingle IQ the focus can read");
            }
            signaller.handleRequest(jingle);
            return null;
        } catch (RuntimeException e) {
            log.error("Jingle request from {} failed", iq.getFrom(), e);
            return IqErrors.reply(iq, StanzaError.Condition.internal_server_error, null);
        }
    }
}
