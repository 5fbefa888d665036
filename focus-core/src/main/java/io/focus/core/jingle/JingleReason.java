package io.focus.core.jingle;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/**
 * {@code <reason><success/><text>moving</text></reason>} (XEP-0166): a condition element (success, gone,
 * general-error, ...) and an optional text. Unknown conditions are kept as they are.
 */
public record JingleReason(String condition, String text) {
    public static final String SUCCESS = "success";
    public static final String GONE = "gone";
    public static final String GENERAL_ERROR = "general-error";
    public static final String CONNECTIVITY_ERROR = "connectivity-error";
    public static final String FAILED_TRANSPORT = "failed-transport";
    public static final String TIMEOUT = "timeout";

    /** What Jicofo sends before re-inviting a participant on another bridge. */
    public static final JingleReason MOVING = new JingleReason(SUCCESS, "moving");

    public JingleReason {
        Objects.requireNonNull(condition, "condition");
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("reason", JingleNamespaces.JINGLE)
                .child(XmlNode.builder(condition, JingleNamespaces.JINGLE).build());
        if (text != null) {
            b.child(XmlNode.builder("text", JingleNamespaces.JINGLE).text(text).build());
        }
        return b.build();
    }

    public static JingleReason fromNode(XmlNode n) throws StanzaParseException {
        String condition = null;
        String text = null;
        for (XmlNode c : n.children()) {
            if (c.name().equals("text")) {
                text = c.text();
            } else if (condition == null) {
                condition = c.name();
            }
        }
        if (condition == null) {
            throw new StanzaParseException("<reason> has no condition element");
        }
        return new JingleReason(condition, text);
    }
}
