package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/** Colibri2 {@code <sctp role port/>}: role (client/server) in requests, port in responses; each may be null. */
public record Sctp(String role, Integer port) {
    public XmlNode toNode() {
        return XmlNode.builder("sctp", Namespaces.COLIBRI2).attr("role", role).attr("port", port).build();
    }

    public static Sctp fromNode(XmlNode n) throws StanzaParseException {
        return new Sctp(n.attr("role"), Attrs.optInt(n, "port"));
    }
}
