package io.focus.core.testing;

import io.focus.core.xmpp.RefusedIQ;
import io.focus.core.xmpp.StanzaParseException;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;

/**
 * Parses a captured stanza the way a connection's reader does: inside a {@code jabber:client} stream, through
 * {@link PacketParserUtils#parseStanza(XmlPullParser, XmlEnvironment)} and the registered providers.
 *
 * <p>Why not {@code PacketParserUtils.parseStanza(String)}: out of stream context, an un-namespaced child such as
 * the JVB's {@code <text xml:lang='en'>} inside {@code <error>} has a null namespace, and Smack 4.4.8's own
 * {@code parseError} then throws a NullPointerException. In a real stream it inherits {@code jabber:client}.
 */
public final class Stanzas {
    public static final XmlEnvironment STREAM = new XmlEnvironment("jabber:client");

    private Stanzas() {}

    @SuppressWarnings("unchecked")
    public static <S extends Stanza> S parse(String stanzaXml) throws Exception {
        XmlPullParser p = PacketParserUtils.getParserFor("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>" + stanzaXml + "</stream:stream>");
        while (!(p.next() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2)) {
            if (p.getEventType() == XmlPullParser.Event.END_DOCUMENT) {
                throw new AssertionError("no stanza in: " + stanzaXml);
            }
        }
        Stanza s = PacketParserUtils.parseStanza(p, STREAM);
        if (s instanceof RefusedIQ refused) {
            // what the provider said; on a connection the IQ goes on as RefusedIQ and is answered bad-request
            throw new StanzaParseException(refused.problem());
        }
        return (S) s;
    }

    /** {@link #parse} of a fixture file. */
    public static <S extends Stanza> S fixture(String name) throws Exception {
        return parse(Fixtures.read(name));
    }
}
