package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/**
 * An ICE-UDP {@code <candidate>} (XEP-0176). {@code generation}, {@code network}, {@code relAddr}, {@code relPort}
 * and {@code tcpType} are null when absent.
 */
public record IceCandidate(String id, int component, String foundation, Integer generation, String ip,
                           Integer network, int port, long priority, String protocol, String type,
                           String relAddr, Integer relPort, String tcpType) {
    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(type, "type");
    }

    /** A candidate without related address (host). */
    public static IceCandidate host(String id, int component, String foundation, int generation, String ip,
                                    int network, int port, long priority, String protocol) {
        return new IceCandidate(id, component, foundation, generation, ip, network, port, priority, protocol, "host",
                null, null, null);
    }

    public XmlNode toNode() {
        return XmlNode.builder("candidate", Namespaces.ICE_UDP).attr("id", id).attr("protocol", protocol)
                .attr("foundation", foundation).attr("rel-addr", relAddr).attr("network", network)
                .attr("type", type).attr("rel-port", relPort).attr("tcptype", tcpType).attr("port", port)
                .attr("ip", ip).attr("priority", priority).attr("generation", generation)
                .attr("component", component).build();
    }

    public static IceCandidate fromNode(XmlNode n) throws StanzaParseException {
        int port = Attrs.requiredInt(n, "port");
        if (port < 0 || port > 65535) {
            throw new StanzaParseException("<candidate> port " + port + " is out of range");
        }
        return new IceCandidate(n.attr("id"), Attrs.requiredInt(n, "component"), Attrs.required(n, "foundation"),
                Attrs.optInt(n, "generation"), Attrs.required(n, "ip"), Attrs.optInt(n, "network"), port,
                Attrs.requiredLong(n, "priority"), Attrs.required(n, "protocol"), Attrs.required(n, "type"),
                n.attr("rel-addr"), Attrs.optInt(n, "rel-port"), n.attr("tcptype"));
    }
}
