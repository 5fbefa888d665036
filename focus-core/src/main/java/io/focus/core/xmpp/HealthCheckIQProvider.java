package io.focus.core.xmpp;

import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses a health-check IQ (ignores any content). */
public final class HealthCheckIQProvider extends IQProvider<HealthCheckIQ> {
    @Override
    public HealthCheckIQ parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException {
        while (!(parser.next() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth)) {
            if (parser.getEventType() == XmlPullParser.Event.END_DOCUMENT) {
                break;
            }
        }
        return new HealthCheckIQ();
    }
}
