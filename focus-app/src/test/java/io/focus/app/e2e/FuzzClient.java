package io.focus.app.e2e;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * A fuzz test's own client connection. A room reflects its occupant's junk presence back to it, and Smack 4.4.8 throws
 * out of its reader on some of that (an {@code <error>} without type), which would close the test's connection:
 * here such a stanza is skipped and counted instead (as the focus's own connection does), and so is one the
 * ParsingExceptionCallback gets.
 */
final class FuzzClient extends XMPPTCPConnection {
    final AtomicInteger unparseable = new AtomicInteger();

    FuzzClient(XMPPTCPConnectionConfiguration config) {
        super(config);
        setParsingExceptionCallback(s -> unparseable.incrementAndGet());
    }

    @Override
    protected void parseAndProcessStanza(XmlPullParser parser)
            throws XmlPullParserException, IOException, InterruptedException {
        int depth = parser.getDepth();
        try {
            super.parseAndProcessStanza(parser);
        } catch (RuntimeException e) {
            while (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == depth)) {
                parser.next();
            }
            unparseable.incrementAndGet();
        }
    }
}
