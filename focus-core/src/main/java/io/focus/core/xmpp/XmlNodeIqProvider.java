package io.focus.core.xmpp;

import java.io.IOException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * An IQ provider that reads the IQ's child element into an {@link XmlNode} and builds the IQ from it. Malformed content
 * is a {@link StanzaParseException}: the builder's own, or {@code malformed <element>: ...} for any runtime exception
 * it throws, so nothing else escapes into Smack's reader thread.
 *
 * @param <I> the IQ built
 */
public abstract class XmlNodeIqProvider<I extends IQ> extends IQProvider<I> {
    /** Builds the IQ from its child element. */
    @FunctionalInterface
    public interface Reader<I> {
        I fromNode(XmlNode node) throws StanzaParseException;
    }

    private final String element;
    private final Reader<I> reader;

    /**
     * @param element the element name, for the error message
     * @param reader builds the IQ from the element
     */
    protected XmlNodeIqProvider(String element, Reader<I> reader) {
        this.element = element;
        this.reader = reader;
    }

    @Override
    public final I parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException, SmackParsingException {
        XmlNode node = XmlNode.read(parser);
        try {
            return reader.fromNode(node);
        } catch (RuntimeException e) {
            throw new StanzaParseException("malformed <" + element + ">: " + e);
        }
    }
}
