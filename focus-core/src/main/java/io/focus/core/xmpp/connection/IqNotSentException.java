package io.focus.core.xmpp.connection;

import org.jivesoftware.smack.SmackException;

/**
 * An IQ request the {@link IqRequester} did not send: too many requests outstanding on the connection, or its
 * deadline passed while it waited for the sender thread, or the requester is closed. It is a
 * {@link SmackException.NotConnectedException} (the request never reached the wire), so callers treat it as they
 * treat a request that could not be sent: never as the addressee's silence.
 */
public final class IqNotSentException extends SmackException.NotConnectedException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public IqNotSentException(String reason) {
        super(reason);
        this.reason = reason;
    }

    @Override
    public String getMessage() { return reason; }
}
