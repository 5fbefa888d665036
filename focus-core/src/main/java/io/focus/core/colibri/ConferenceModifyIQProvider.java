package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.io.IOException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IqProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses {@code <conference-modify>}. Malformed content is a {@link StanzaParseException}, except in an IQ of
 * type error: there the element is only the bridge's echo of our request, and the error must reach the waiting
 * caller, so a malformed echo is reduced to its readable attributes instead of dropping the whole reply.
 */
public final class ConferenceModifyIQProvider extends IqProvider<ConferenceModifyIQ> {
    @Override
    public ConferenceModifyIQ parse(XmlPullParser parser, int initialDepth, IqData iqData, XmlEnvironment env)
            throws XmlPullParserException, IOException, SmackParsingException {
        XmlNode node = XmlNode.read(parser);
        boolean errorReply = iqData != null && iqData.getType() == IQ.Type.error;
        try {
            return ConferenceModifyIQ.fromNode(node);
        } catch (StanzaParseException e) {
            if (errorReply) {
                return ConferenceModifyIQ.lenientFromNode(node);
            }
            throw e;
        } catch (RuntimeException e) {
            if (errorReply) {
                return ConferenceModifyIQ.lenientFromNode(node);
            }
            throw new StanzaParseException("malformed <conference-modify>: " + e);
        }
    }
}
