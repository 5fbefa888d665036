package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/**
 * Colibri2 {@code <transport ice-controlling use-unique-port>} of an endpoint or relay, optionally wrapping the
 * ICE-UDP transport and an {@code <sctp>}. Null fields are absent on the wire.
 */
public record Colibri2Transport(Boolean iceControlling, Boolean useUniquePort, IceUdpTransport iceUdp, Sctp sctp) {
    /** What Jicofo sends for a new endpoint: {@code <transport ice-controlling="true"/>}. */
    public static Colibri2Transport forNewEndpoint() {
        return new Colibri2Transport(true, null, null, null);
    }

    /** A transport carrying only an ICE-UDP transport (updates, and what responses hold). */
    public static Colibri2Transport of(IceUdpTransport iceUdp) {
        return new Colibri2Transport(null, null, iceUdp, null);
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("transport", Namespaces.COLIBRI2).attr("ice-controlling", iceControlling)
                .attr("use-unique-port", useUniquePort);
        if (iceUdp != null) {
            b.child(iceUdp.toNode());
        }
        if (sctp != null) {
            b.child(sctp.toNode());
        }
        return b.build();
    }

    public static Colibri2Transport fromNode(XmlNode n) throws StanzaParseException {
        IceUdpTransport ice = null;
        Sctp sctp = null;
        for (XmlNode c : n.children()) {
            if (c.is("transport", Namespaces.ICE_UDP)) {
                ice = IceUdpTransport.fromNode(c);
            } else if (c.is("sctp", Namespaces.COLIBRI2)) {
                sctp = Sctp.fromNode(c);
            }
        }
        return new Colibri2Transport(Attrs.optBool(n, "ice-controlling"), Attrs.optBool(n, "use-unique-port"), ice,
                sctp);
    }
}
