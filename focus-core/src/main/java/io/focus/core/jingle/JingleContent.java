package io.focus.core.jingle;

import io.focus.core.colibri.Namespaces;
import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.List;
import java.util.Objects;

/**
 * {@code <content name creator senders>} with an optional RTP {@link RtpDescription} and an optional ICE-UDP
 * {@link JingleTransport}. Unknown children are kept in {@link #otherChildren()}.
 */
public record JingleContent(String name, String creator, String senders, RtpDescription description,
                            JingleTransport transport, List<XmlNode> otherChildren) {
    public JingleContent {
        Objects.requireNonNull(name, "name");
        otherChildren = List.copyOf(otherChildren);
    }

    /** A content of an offer: {@code creator="initiator" senders="both"}. */
    public static JingleContent offered(String name, RtpDescription description, JingleTransport transport) {
        return new JingleContent(name, "initiator", "both", description, transport, List.of());
    }

    /** A content as in source-add / source-remove: a name and a description only. */
    public static JingleContent sourcesOnly(String name, RtpDescription description) {
        return new JingleContent(name, null, null, description, null, List.of());
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("content", JingleNamespaces.JINGLE).attr("creator", creator)
                .attr("name", name).attr("senders", senders);
        if (description != null) {
            b.child(description.toNode());
        }
        if (transport != null) {
            b.child(transport.toNode());
        }
        return b.children(otherChildren).build();
    }

    public static JingleContent fromNode(XmlNode n) throws StanzaParseException {
        RtpDescription description = null;
        JingleTransport transport = null;
        List<XmlNode> other = new java.util.ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.is("description", Namespaces.RTP) && description == null) {
                description = RtpDescription.fromNode(c);
            } else if (c.is("transport", Namespaces.ICE_UDP) && transport == null) {
                transport = JingleTransport.fromNode(c);
            } else {
                other.add(c);
            }
        }
        return new JingleContent(Attrs.required(n, "name"), n.attr("creator"), n.attr("senders"), description,
                transport, other);
    }
}
