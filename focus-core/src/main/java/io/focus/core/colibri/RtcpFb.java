package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/** {@code <rtcp-fb xmlns="urn:xmpp:jingle:apps:rtp:rtcp-fb:0" type subtype/>}; subtype may be null. */
public record RtcpFb(String type, String subtype) implements PayloadType.Child {
    public RtcpFb {
        Objects.requireNonNull(type, "type");
    }

    XmlNode toNode() {
        return XmlNode.builder("rtcp-fb", Namespaces.RTCP_FB).attr("type", type).attr("subtype", subtype).build();
    }

    static RtcpFb fromNode(XmlNode n) throws StanzaParseException {
        return new RtcpFb(Attrs.required(n, "type"), n.attr("subtype"));
    }
}
