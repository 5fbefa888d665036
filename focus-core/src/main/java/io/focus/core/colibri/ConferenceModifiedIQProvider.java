package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses {@code <conference-modified>}. Malformed content (an endpoint without id, a non-numeric port, ...) is a
 * {@link StanzaParseException} naming the element and attribute; nothing else escapes.
 */
public final class ConferenceModifiedIQProvider extends IQProvider<ConferenceModifiedIQ> {
    @Override
    public ConferenceModifiedIQ parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException, SmackParsingException {
        XmlNode node = XmlNode.read(parser);
        try {
            return ConferenceModifiedIQ.fromNode(node);
        } catch (RuntimeException e) {
            throw new StanzaParseException("malformed <conference-modified>: " + e);
        }
    }
}
