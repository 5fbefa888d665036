package io.focus.core.colibri.stats;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses colibri stats. Never throws for bad content: a {@code <stat>} without name or value is skipped and
 * counted, unknown children are skipped, values are kept as strings (typed parsing happens in
 * {@link io.focus.core.bridge.BridgeStats}).
 */
public final class ColibriStatsProvider extends ExtensionElementProvider<ColibriStatsExtension> {
    @Override
    public ColibriStatsExtension parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException {
        Map<String, String> stats = new LinkedHashMap<>();
        int malformed = 0;
        while (true) {
            XmlPullParser.Event event = parser.next();
            if (event == XmlPullParser.Event.START_ELEMENT) {
                if ("stat".equals(parser.getName())) {
                    String name = parser.getAttributeValue("", "name");
                    String value = parser.getAttributeValue("", "value");
                    if (name == null || name.isEmpty() || value == null) {
                        malformed++;
                    } else {
                        stats.put(name, value);
                    }
                }
                // unknown children and anything nested are skipped by reading on to our end tag
            } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                break;
            } else if (event == XmlPullParser.Event.END_DOCUMENT) {
                break;
            }
        }
        return new ColibriStatsExtension(stats, malformed);
    }
}
