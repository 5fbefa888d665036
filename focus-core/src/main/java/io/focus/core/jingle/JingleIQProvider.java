package io.focus.core.jingle;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses {@code <jingle xmlns="urn:xmpp:jingle:1">} into a {@link JingleIQ}. Malformed content (no sid or action,
 * a bad SSRC, a candidate without port, ...) is a {@link StanzaParseException} naming it; nothing else escapes
 * into Smack's reader thread. Replaces smack-extensions' own Jingle provider when registered.
 */
public final class JingleIQProvider extends IQProvider<JingleIQ> {
    @Override
    public JingleIQ parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException, SmackParsingException {
        XmlNode node = XmlNode.read(parser);
        try {
            return JingleIQ.fromNode(node);
        } catch (RuntimeException e) {
            throw new StanzaParseException("malformed <jingle>: " + e);
        }
    }
}
