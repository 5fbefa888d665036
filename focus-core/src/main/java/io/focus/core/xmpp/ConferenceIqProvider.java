package io.focus.core.xmpp;

import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses the focus conference IQ (see {@link ConferenceIq} for what is lenient and what is an error). */
public final class ConferenceIqProvider extends IQProvider<ConferenceIq> {
    @Override
    public ConferenceIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException, SmackParsingException {
        XmlNode node = XmlNode.read(parser);
        try {
            return ConferenceIq.fromNode(node);
        } catch (RuntimeException e) {
            throw new StanzaParseException("malformed <conference>: " + e);
        }
    }
}
