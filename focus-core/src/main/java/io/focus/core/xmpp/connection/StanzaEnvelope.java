package io.focus.core.xmpp.connection;

import io.focus.core.xmpp.RefusedIQ;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A stanza's start tag as it arrived, read before Smack parses the stanza: when the parsing fails, Smack keeps nothing
 * of the envelope, and this is what lets the focus answer an IQ request it could not parse.
 */
record StanzaEnvelope(String element, String type, String id, String from, String to) {
    static StanzaEnvelope read(XmlPullParser parser) {
        return new StanzaEnvelope(parser.getName(), parser.getAttributeValue("", "type"),
                parser.getAttributeValue("", "id"), parser.getAttributeValue("", "from"),
                parser.getAttributeValue("", "to"));
    }

    /**
     * The IQ get/set this was, as a {@link RefusedIQ} that can be answered; null when it was none, or when it cannot be
     * answered (no id, or a {@code from} that is not a JID: Prosody stamps a valid one on everything it delivers).
     *
     * @param child its child element when the parser got that far, else null
     */
    RefusedIQ refusedRequest(QName child, String problem) {
        if (!"iq".equals(element) || id == null || from == null || !("get".equals(type) || "set".equals(type))) {
            return null;
        }
        try {
            Jid sender = JidCreate.from(from);
            Jid addressee = to == null ? null : JidCreate.from(to);
            return RefusedIQ.request(IQ.Type.fromString(type), id, sender, addressee,
                    child == null ? null : child.getLocalPart(), child == null ? null : child.getNamespaceURI(),
                    problem);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "<" + element + " type='" + type + "' id='" + id + "'> from " + from;
    }
}
