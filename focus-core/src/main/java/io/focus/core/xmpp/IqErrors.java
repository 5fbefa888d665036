package io.focus.core.xmpp;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * The error replies the focus sends to requests it parsed and refuses (conference requests, Jingle): Smack's error IQ
 * for the request, which carries the request's payload back as Jicofo's replies do, with the condition and, when
 * there is one, an English text. ({@link StanzaHygiene} answers requests it could not parse without echoing their
 * payload: that reply is built apart on purpose.)
 */
public final class IqErrors {
    private IqErrors() {}

    /** The longest text an error reply carries: a text can quote the request (e.g. its room). */
    public static final int MAX_TEXT = 300;

    /**
     * A stanza error with the condition and, when there is one, the text, cut at {@link #MAX_TEXT} characters. An
     * empty text is left out: Smack's writer cannot write it, and that closes the focus's connection.
     */
    public static StanzaError error(StanzaError.Condition condition, String text) {
        StanzaError.Builder b = StanzaError.getBuilder(condition);
        if (text != null && !text.isEmpty()) {
            b.setDescriptiveEnText(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text);
        }
        return b.build();
    }

    /** The error reply to a request (get or set): to its sender, with its id. */
    public static IQ reply(IQ request, StanzaError.Condition condition, String text) {
        return IQ.createErrorResponse(request, error(condition, text));
    }
}
