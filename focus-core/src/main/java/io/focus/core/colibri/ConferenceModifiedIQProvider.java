package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNodeIqProvider;

/**
 * Parses {@code <conference-modified>}. Malformed content (an endpoint without id, a non-numeric port, ...) is a
 * {@link StanzaParseException} naming the element and attribute; nothing else escapes.
 */
public final class ConferenceModifiedIQProvider extends XmlNodeIqProvider<ConferenceModifiedIQ> {
    public ConferenceModifiedIQProvider() {
        super(ConferenceModifiedIQ.ELEMENT, ConferenceModifiedIQ::fromNode);
    }
}
