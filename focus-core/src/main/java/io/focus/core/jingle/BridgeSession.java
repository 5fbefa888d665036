package io.focus.core.jingle;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/**
 * {@code <bridge-session xmlns="http://jitsi.org/protocol/focus" id region restart ice-restart/>}: in an offer, the id
 * of the Colibri2 session (one per conference and bridge) and the bridge's region; from a client, the session it
 * reports ICE failure for or asks to restart ({@code restart}, in a session-terminate) or asks an in-place ICE restart
 * of ({@code ice-restart}, in a session-info). Each field may be null (the flags false when absent).
 */
public record BridgeSession(String id, String region, boolean restart, boolean iceRestart) {
    public static final String ELEMENT = "bridge-session";

    /** Without the in-place ICE restart flag. */
    public BridgeSession(String id, String region, boolean restart) {
        this(id, region, restart, false);
    }

    public static BridgeSession of(String id, String region) {
        return new BridgeSession(id, region, false);
    }

    public XmlNode toNode() {
        return XmlNode.builder(ELEMENT, JingleNamespaces.FOCUS).attr("id", id).attr("region", region)
                .flag("restart", restart).flag("ice-restart", iceRestart).build();
    }

    public static BridgeSession fromNode(XmlNode n) throws StanzaParseException {
        return new BridgeSession(n.attr("id"), n.attr("region"), Attrs.flag(n, "restart"),
                Attrs.flag(n, "ice-restart"));
    }
}
