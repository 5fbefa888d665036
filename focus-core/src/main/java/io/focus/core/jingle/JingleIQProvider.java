package io.focus.core.jingle;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNodeIqProvider;

/**
 * Parses {@code <jingle xmlns="urn:xmpp:jingle:1">} into a {@link JingleIQ}. Malformed content (no sid or action,
 * a bad SSRC, a candidate without port, ...) is a {@link StanzaParseException} naming it; nothing else escapes
 * into Smack's reader thread. Replaces smack-extensions' own Jingle provider when registered.
 */
public final class JingleIQProvider extends XmlNodeIqProvider<JingleIQ> {
    public JingleIQProvider() {
        super(JingleIQ.ELEMENT, JingleIQ::fromNode);
    }
}
