package io.focus.core.jingle;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Namespaces;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ICE-UDP {@code <transport>} of a Jingle content: the shared {@link IceUdpTransport} (ufrag, pwd, rtcp-mux,
 * DTLS fingerprints, candidates, colibri web-sockets) plus, in the {@code data} content, an {@link SctpMap}.
 * Children neither models know are kept in {@link #otherChildren()} and written back after the known ones.
 */
public record JingleTransport(IceUdpTransport ice, SctpMap sctpMap, List<XmlNode> otherChildren) {
    public JingleTransport {
        Objects.requireNonNull(ice, "ice");
        otherChildren = List.copyOf(otherChildren);
    }

    public static JingleTransport of(IceUdpTransport ice) {
        return new JingleTransport(ice, null, List.of());
    }

    public JingleTransport withSctpMap(SctpMap map) {
        return new JingleTransport(ice, map, otherChildren);
    }

    /** Jicofo's order: web-sockets, rtcp-mux, fingerprints, candidates, then sctpmap. */
    public XmlNode toNode() {
        XmlNode.Builder b = ice.toJingleNode().toBuilder();
        if (sctpMap != null) {
            b.child(sctpMap.toNode());
        }
        return b.children(otherChildren).build();
    }

    public static JingleTransport fromNode(XmlNode n) throws StanzaParseException {
        IceUdpTransport ice = IceUdpTransport.fromNode(n);
        SctpMap sctp = null;
        List<XmlNode> other = new ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.is("sctpmap", JingleNamespaces.DTLS_SCTP)) {
                sctp = SctpMap.fromNode(c);
            } else if (!c.is("rtcp-mux", Namespaces.ICE_UDP) && !c.is("fingerprint", Namespaces.DTLS)
                    && !c.is("candidate", Namespaces.ICE_UDP) && !c.is("web-socket", Namespaces.COLIBRI)) {
                other.add(c);
            }
        }
        return new JingleTransport(ice, sctp, other);
    }
}
