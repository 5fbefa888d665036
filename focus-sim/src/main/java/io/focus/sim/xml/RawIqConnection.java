package io.focus.sim.xml;

import java.io.IOException;
import java.util.Set;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * A TCP connection that keeps the exact XML of incoming {@code get}/{@code set} IQs whose child element is one of
 * {@code captured} (name + namespace), instead of letting a JVM-global Smack provider parse them.
 *
 * <p>Why: Smack's own {@code JingleProvider} (registered by smack-extensions for {@code jingle/urn:xmpp:jingle:1})
 * drops every child it does not know ({@code <group>}, {@code <bridge-session>}, {@code <json-message>}), and the
 * focus registers its own providers in the same JVM. Re-serialising whatever class came out is therefore lossy, so
 * such IQs are read here as text, before any provider sees them, and delivered as {@link InboundRawIQ}: IQ request
 * handlers registered by element and namespace get them as usual. All other stanzas go through Smack unchanged
 * (other IQs are re-parsed from their text, so they see Smack's normal providers).
 */
public class RawIqConnection extends XMPPTCPConnection {
    private static final Logger log = LoggerFactory.getLogger(RawIqConnection.class);

    /** An element name and namespace. */
    public record Child(String element, String namespace) { }

    private final Set<Child> captured;

    public RawIqConnection(XMPPTCPConnectionConfiguration config, Set<Child> captured) {
        super(config);
        this.captured = Set.copyOf(captured);
    }

    @Override
    protected void parseAndProcessStanza(XmlPullParser parser)
            throws XmlPullParserException, IOException, InterruptedException {
        if (!"iq".equals(parser.getName())) {
            super.parseAndProcessStanza(parser);
            return;
        }
        String type = parser.getAttributeValue("", "type");
        if ("error".equals(type)) {
            // an error may echo the request's child, which a provider may choke on: drop a captured child, then let
            // Smack parse the <error> as usual (collectors by id)
            String xml = PacketParserUtils.parseElement(parser, true).toString();
            try {
                xml = withoutCapturedChild(xml);
            } catch (RuntimeException e) {
                log.warn("Unreadable error IQ on {}: {} ({})", getUser(), e.getMessage(), abbreviate(xml));
                return;
            }
            super.parseAndProcessStanza(PacketParserUtils.getParserFor(xml));
            return;
        }
        if (!"set".equals(type) && !"get".equals(type)) {
            super.parseAndProcessStanza(parser); // results: Smack's usual path (collectors by id)
            return;
        }
        // consumes the whole <iq>, leaving the parser on its end tag as Smack expects
        String xml = PacketParserUtils.parseElement(parser, true).toString();
        InboundRawIQ raw;
        try {
            raw = capture(xml);
        } catch (RuntimeException e) {
            log.warn("Dropping an unreadable IQ on {}: {} ({})", getUser(), e.getMessage(), abbreviate(xml));
            return;
        }
        if (raw != null) {
            processStanza(raw);
        } else {
            super.parseAndProcessStanza(PacketParserUtils.getParserFor(xml));
        }
    }

    private InboundRawIQ capture(String xml) {
        Element iq = Xml.parse(xml);
        for (Element c : Xml.children(iq)) {
            if ("error".equals(c.getLocalName())) {
                continue;
            }
            if (!captured.contains(new Child(c.getLocalName(), c.getNamespaceURI()))) {
                return null;
            }
            InboundRawIQ raw = new InboundRawIQ(c.getLocalName(), c.getNamespaceURI(), xml, Xml.toString(c));
            raw.setType(IQ.Type.fromString(iq.getAttribute("type")));
            raw.setStanzaId(Xml.attr(iq, "id"));
            try {
                if (Xml.attr(iq, "from") != null) {
                    raw.setFrom(JidCreate.from(iq.getAttribute("from")));
                }
                if (Xml.attr(iq, "to") != null) {
                    raw.setTo(JidCreate.from(iq.getAttribute("to")));
                }
            } catch (org.jxmpp.stringprep.XmppStringprepException e) {
                throw new IllegalArgumentException("bad JID: " + e.getMessage(), e);
            }
            return raw;
        }
        return null;
    }

    private String withoutCapturedChild(String xml) {
        Element iq = Xml.parse(xml);
        boolean changed = false;
        for (Element c : Xml.children(iq)) {
            if (captured.contains(new Child(c.getLocalName(), c.getNamespaceURI()))) {
                iq.removeChild(c);
                changed = true;
            }
        }
        return changed ? Xml.toString(iq) : xml;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** An incoming IQ kept as text: the whole stanza and its child element. */
    public static final class InboundRawIQ extends IQ {
        private final String stanzaXml;
        private final String childXml;

        InboundRawIQ(String element, String namespace, String stanzaXml, String childXml) {
            super(element, namespace);
            this.stanzaXml = stanzaXml;
            this.childXml = childXml;
        }

        /** The whole {@code <iq>} as received (namespaces made explicit, {@code xml:lang} shown as {@code lang}). */
        public String stanzaXml() { return stanzaXml; }

        /** The child element ({@code <jingle ...>...</jingle>}) as text. */
        public String childXml() { return childXml; }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            // never sent; toXML() is for logs only
            xml.setEmptyElement();
            return xml;
        }
    }
}
