package io.focus.core.xmpp;

import org.jivesoftware.smack.packet.AbstractIqBuilder;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * The error replies the focus sends to requests it parsed and refuses (conference requests, Jingle): Smack's error IQ
 * for the request, which carries the request's payload back as Jicofo's replies do, with the condition and, when
 * there is one, an English text ({@link #reply}). Every other error reply carries only the error
 * ({@link #withoutPayload}): what {@link StanzaHygiene} answers to requests it could not parse or nobody handles, the
 * refusals of unsupported services, and every error an IQ request handler returns on the focus's connection (Smack's
 * managers' included) unless it is marked {@link EchoingErrorReplies}.
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

    /**
     * The error reply to a request (get or set): to its sender, with its id, and the request's payload after the
     * error (Smack's {@code IQ.createErrorResponse}, as Jicofo answers). Only for requests the focus's own providers
     * parsed: their payload is written back as the focus reads it.
     */
    public static IQ reply(IQ request, StanzaError.Condition condition, String text) {
        return IQ.createErrorResponse(request, error(condition, text));
    }

    /**
     * The error reply to a request that carries only the error: to its sender (addresses swapped, as Smack's
     * {@code createErrorResponse} does), with its id, and no payload. Smack's {@code IQ.createErrorResponse} writes
     * the request's child back after the error as Smack re-serialises it, which need not be what was sent: an
     * {@code UnparsedIQ} comes out as escaped text in an unclosed tag (Prosody closes the focus's stream as
     * not-well-formed), a roster item's {@code jid='@@'} as {@code jid='@'} (the sender's Smack cannot parse the reply).
     */
    public static ErrorIQ withoutPayload(IQ request, StanzaError error) {
        // A fresh IqData from the request, and only the error in it. Not ErrorIQ.builder(error): in Smack 4.4.8 that
        // sets the type on a shared IqData instance, after which every new IQ of the JVM (a roster request, say) is
        // born an error.
        return ErrorIQ.builder(error, AbstractIqBuilder.createErrorResponse(request)).build();
    }
}
