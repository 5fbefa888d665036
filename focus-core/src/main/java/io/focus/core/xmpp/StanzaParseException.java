package io.focus.core.xmpp;

import org.jivesoftware.smack.parsing.SmackParsingException;

/**
 * A stanza the focus understands in principle but whose content is malformed (missing attribute, non-numeric
 * value, ...). It is a {@link SmackParsingException}, so when a provider throws it Smack hands the stanza to the
 * connection's {@code ParsingExceptionCallback} instead of letting anything escape into its reader thread.
 */
public final class StanzaParseException extends SmackParsingException {
    private static final long serialVersionUID = 1L;

    public StanzaParseException(String message) {
        super(message);
    }
}
