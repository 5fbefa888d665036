package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/** {@code <rtp-hdrext xmlns="urn:xmpp:jingle:apps:rtp:rtp-hdrext:0" id uri/>}. */
public record RtpHdrExt(int id, String uri) {
    public RtpHdrExt {
        Objects.requireNonNull(uri, "uri");
    }

    XmlNode toNode() {
        return XmlNode.builder("rtp-hdrext", Namespaces.RTP_HDREXT).attr("id", id).attr("uri", uri).build();
    }

    static RtpHdrExt fromNode(XmlNode n) throws StanzaParseException {
        return new RtpHdrExt(Attrs.requiredInt(n, "id"), Attrs.required(n, "uri"));
    }
}
