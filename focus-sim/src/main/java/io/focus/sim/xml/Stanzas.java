package io.focus.sim.xml;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.w3c.dom.Element;

/** Turning stanzas into text without trusting their Smack classes. */
public final class Stanzas {
    private Stanzas() { }

    /** The IQ's child element as text, whatever class Smack parsed it into. */
    public static String childXml(IQ iq) {
        if (iq instanceof UnparsedIQ u) {
            return u.getContent().toString();
        }
        if (iq instanceof RawIqConnection.InboundRawIQ r) {
            return r.childXml();
        }
        Element root = Xml.parse(iq.toXML().toString());
        for (Element e : Xml.children(root)) {
            if (!"error".equals(e.getLocalName())) {
                return Xml.toString(e);
            }
        }
        return iq.getChildElementName() == null ? null
                : "<" + iq.getChildElementName() + " xmlns='" + iq.getChildElementNamespace() + "'/>";
    }

    /**
     * A whole stanza as text. An {@code UnparsedIQ} is rebuilt from its raw content (its own {@code toXML} escapes
     * the content); note that Smack's raw content may lack namespace declarations of nested elements.
     */
    public static String xml(Stanza s) {
        if (s instanceof UnparsedIQ u) {
            return "<iq xmlns='jabber:client' type='" + u.getType() + "' id='" + Xml.esc(u.getStanzaId()) + "'"
                    + (u.getFrom() != null ? " from='" + Xml.esc(u.getFrom().toString()) + "'" : "") + ">"
                    + (u.getError() != null ? u.getError().toXML().toString() : "") + u.getContent() + "</iq>";
        }
        return s.toXML().toString();
    }
}
