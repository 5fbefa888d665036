package io.focus.core.colibri;

import io.focus.core.xmpp.XmlNode;
import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** Parses {@code <error xmlns="jitsi:colibri2" reason>}; never fails on content (unknown reason ⇒ UNKNOWN). */
public final class Colibri2ErrorProvider extends ExtensionElementProvider<Colibri2Error> {
    @Override
    public Colibri2Error parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
            throws XmlPullParserException, IOException {
        XmlNode node = XmlNode.read(parser);
        return Colibri2Error.fromWire(node.attr("reason"));
    }
}
