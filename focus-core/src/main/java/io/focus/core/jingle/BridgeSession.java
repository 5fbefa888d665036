package io.focus.core.jingle;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/**
 * {@code <bridge-session xmlns="http://jitsi.org/protocol/focus" id region restart/>}: in an offer, the id of the
 * Colibri2 session (one per conference and bridge) and the bridge's region; from a client, the session it reports
 * ICE failure for or asks to restart. Each field may be null ({@code restart} false when absent).
 */
public record BridgeSession(String id, String region, boolean restart) {
    public static final String ELEMENT = "bridge-session";

    public static BridgeSession of(String id, String region) {
        return new BridgeSession(id, region, false);
    }

    public XmlNode toNode() {
        return XmlNode.builder(ELEMENT, JingleNamespaces.FOCUS).attr("id", id).attr("region", region)
                .flag("restart", restart).build();
    }

    public static BridgeSession fromNode(XmlNode n) throws StanzaParseException {
        return new BridgeSession(n.attr("id"), n.attr("region"), Attrs.flag(n, "restart"));
    }
}
