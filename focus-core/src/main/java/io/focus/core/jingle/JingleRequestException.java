package io.focus.core.jingle;

import io.focus.core.xmpp.IqErrors;
import java.util.Objects;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * A Jingle request from a participant that the focus refuses, with the stanza error condition to answer with
 * (as Jicofo: {@code bad-request} for malformed or invalid sources, including too many of them) and a message
 * for the error text and the log. Nothing has been applied when this is thrown.
 */
public final class JingleRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient StanzaError.Condition condition;

    public JingleRequestException(StanzaError.Condition condition, String message) {
        super(message);
        this.condition = Objects.requireNonNull(condition, "condition");
    }

    public static JingleRequestException badRequest(String message) {
        return new JingleRequestException(StanzaError.Condition.bad_request, message);
    }

    public StanzaError.Condition condition() { return condition; }

    /** The error to put in the IQ error reply (never with a null text: Smack's writer throws on one). */
    public StanzaError toStanzaError() {
        return IqErrors.error(condition, getMessage());
    }
}
