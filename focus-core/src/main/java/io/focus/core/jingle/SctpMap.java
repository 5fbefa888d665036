package io.focus.core.jingle;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/**
 * {@code <sctpmap xmlns="urn:xmpp:jingle:transports:dtls-sctp:1" number protocol streams/>} (XEP-0343) inside the
 * ICE-UDP transport of the {@code data} content: the bridge's SCTP port for the data channel.
 */
public record SctpMap(int number, String protocol, Integer streams) {
    public static final String WEBRTC_DATACHANNEL = "webrtc-datachannel";

    /** What Jicofo offers for the bridge's SCTP port: webrtc-datachannel with 1024 streams. */
    public static SctpMap dataChannel(int port) {
        return new SctpMap(port, WEBRTC_DATACHANNEL, 1024);
    }

    public XmlNode toNode() {
        return XmlNode.builder("sctpmap", JingleNamespaces.DTLS_SCTP).attr("number", number)
                .attr("protocol", protocol).attr("streams", streams).build();
    }

    public static SctpMap fromNode(XmlNode n) throws StanzaParseException {
        return new SctpMap(Attrs.requiredInt(n, "number"), n.attr("protocol"), Attrs.optInt(n, "streams"));
    }
}
