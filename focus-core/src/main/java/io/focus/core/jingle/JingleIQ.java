package io.focus.core.jingle;

import io.focus.core.colibri.Namespaces;
import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <iq type="set"><jingle xmlns="urn:xmpp:jingle:1" action sid initiator responder>} as Jitsi Meet and Jicofo
 * speak it: contents (RTP description + ICE-UDP transport), a BUNDLE {@code <group>}, Jitsi's
 * {@code <bridge-session>}, {@code <reason>}, the JSON-encoded sources ({@code <json-message
 * xmlns="http://jitsi.org/jitmeet">}) and {@code <ice-state xmlns="http://jitsi.org/protocol/focus">} of a
 * session-info. Everything else (e.g. {@code <traceparent>}) is kept in {@link #otherChildren()} and written back
 * last, so nothing a client sends is lost.
 */
public final class JingleIQ extends IQ {
    public static final String ELEMENT = "jingle";
    public static final String NAMESPACE = JingleNamespaces.JINGLE;

    private final String actionName;
    private final String sid;
    private final String initiator;
    private final String responder;
    private final List<JingleContent> contents;
    private final List<ContentGroup> groups;
    private final BridgeSession bridgeSession;
    private final JingleReason reason;
    private final String jsonMessage;
    private final String iceState;
    private final List<XmlNode> otherChildren;

    private JingleIQ(Builder b) {
        super(ELEMENT, NAMESPACE);
        setType(Type.set);
        this.actionName = Objects.requireNonNull(b.actionName, "action");
        this.sid = Objects.requireNonNull(b.sid, "sid");
        this.initiator = b.initiator;
        this.responder = b.responder;
        this.contents = List.copyOf(b.contents);
        this.groups = List.copyOf(b.groups);
        this.bridgeSession = b.bridgeSession;
        this.reason = b.reason;
        this.jsonMessage = b.jsonMessage;
        this.iceState = b.iceState;
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder(JingleAction action, String sid) {
        if (action == JingleAction.UNKNOWN) {
            throw new IllegalArgumentException("use builder(String, String) for an action without a constant");
        }
        return new Builder(action.wireName(), sid);
    }

    public static Builder builder(String actionName, String sid) {
        return new Builder(actionName, sid);
    }

    /** A builder pre-filled with this IQ's Jingle content (not its addressing). */
    public Builder toBuilder() {
        Builder b = new Builder(actionName, sid).initiator(initiator).responder(responder)
                .bridgeSession(bridgeSession).reason(reason).jsonMessage(jsonMessage).iceState(iceState);
        b.contents.addAll(contents);
        b.groups.addAll(groups);
        b.otherChildren.addAll(otherChildren);
        return b;
    }

    public JingleAction action() { return JingleAction.fromWire(actionName); }
    /** The action attribute as sent. */
    public String actionName() { return actionName; }
    public String sid() { return sid; }
    public String initiator() { return initiator; }
    public String responder() { return responder; }
    public List<JingleContent> contents() { return contents; }
    public List<ContentGroup> groups() { return groups; }
    /** The bridge-session element, or null. */
    public BridgeSession bridgeSession() { return bridgeSession; }
    /** The reason, or null. */
    public JingleReason reason() { return reason; }
    /** The raw text of {@code <json-message xmlns="http://jitsi.org/jitmeet">}, or null. */
    public String jsonMessage() { return jsonMessage; }
    /** The trimmed text of {@code <ice-state>}, or null. */
    public String iceState() { return iceState; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    /** The content with that name, or null. */
    public JingleContent content(String name) {
        return contents.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** The Jingle element alone as a node (for logs and comparisons). */
    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder(ELEMENT, NAMESPACE).attr("action", actionName)
                .attr("initiator", initiator).attr("responder", responder).attr("sid", sid);
        return b.children(childNodes()).build();
    }

    private List<XmlNode> childNodes() {
        List<XmlNode> out = new ArrayList<>();
        contents.forEach(c -> out.add(c.toNode()));
        groups.forEach(g -> out.add(g.toNode()));
        if (bridgeSession != null) {
            out.add(bridgeSession.toNode());
        }
        if (reason != null) {
            out.add(reason.toNode());
        }
        if (iceState != null) {
            out.add(XmlNode.builder("ice-state", JingleNamespaces.FOCUS).text(iceState).build());
        }
        if (jsonMessage != null) {
            out.add(XmlNode.builder("json-message", Namespaces.JITMEET).text(jsonMessage).build());
        }
        out.addAll(otherChildren);
        return out;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.attribute("action", actionName);
        xml.optAttribute("initiator", initiator);
        xml.optAttribute("responder", responder);
        xml.attribute("sid", sid);
        return XmlNode.writeChildren(xml, childNodes(), NAMESPACE);
    }

    /**
     * Maps a {@code <jingle>} node. A missing or empty {@code action} or {@code sid}, and any malformed known
     * child, is a {@link StanzaParseException} naming it.
     */
    public static JingleIQ fromNode(XmlNode n) throws StanzaParseException {
        Builder b = new Builder(Attrs.required(n, "action"), Attrs.required(n, "sid"))
                .initiator(n.attr("initiator")).responder(n.attr("responder"));
        for (XmlNode c : n.children()) {
            if (c.is("content", NAMESPACE)) {
                b.content(JingleContent.fromNode(c));
            } else if (c.is("group", JingleNamespaces.GROUPING)) {
                b.group(ContentGroup.fromNode(c));
            } else if (c.is(BridgeSession.ELEMENT, JingleNamespaces.FOCUS) && b.bridgeSession == null) {
                b.bridgeSession(BridgeSession.fromNode(c));
            } else if (c.is("reason", NAMESPACE) && b.reason == null) {
                b.reason(JingleReason.fromNode(c));
            } else if (c.is("json-message", Namespaces.JITMEET) && b.jsonMessage == null) {
                b.jsonMessage(c.text());
            } else if (c.is("ice-state", JingleNamespaces.FOCUS) && b.iceState == null) {
                b.iceState(c.text().trim());
            } else {
                b.otherChild(c);
            }
        }
        return b.build();
    }

    /** A short description for logs (never the ICE password). */
    public String describe() {
        return "JingleIQ{" + actionName + ", sid=" + sid + ", to=" + getTo() + ", from=" + getFrom() + "}";
    }

    /** {@code <group xmlns="urn:xmpp:jingle:apps:grouping:0" semantics="BUNDLE"><content name/>...}. */
    public record ContentGroup(String semantics, List<String> contentNames) {
        public ContentGroup {
            Objects.requireNonNull(semantics, "semantics");
            contentNames = List.copyOf(contentNames);
        }

        public static ContentGroup bundle(List<String> names) {
            return new ContentGroup("BUNDLE", names);
        }

        public XmlNode toNode() {
            XmlNode.Builder b = XmlNode.builder("group", JingleNamespaces.GROUPING).attr("semantics", semantics);
            contentNames.forEach(c -> b.child(XmlNode.builder("content", JingleNamespaces.GROUPING)
                    .attr("name", c).build()));
            return b.build();
        }

        public static ContentGroup fromNode(XmlNode n) throws StanzaParseException {
            List<String> names = new ArrayList<>();
            for (XmlNode c : n.children()) {
                if (c.name().equals("content")) {
                    names.add(Attrs.required(c, "name"));
                }
            }
            return new ContentGroup(Attrs.required(n, "semantics"), names);
        }
    }

    public static final class Builder {
        private final String actionName;
        private final String sid;
        private String initiator;
        private String responder;
        private final List<JingleContent> contents = new ArrayList<>();
        private final List<ContentGroup> groups = new ArrayList<>();
        private BridgeSession bridgeSession;
        private JingleReason reason;
        private String jsonMessage;
        private String iceState;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        private Builder(String actionName, String sid) {
            if (actionName == null || actionName.isBlank()) {
                throw new IllegalArgumentException("a Jingle IQ needs an action");
            }
            if (sid == null || sid.isBlank()) {
                throw new IllegalArgumentException("a Jingle IQ needs a sid");
            }
            this.actionName = actionName;
            this.sid = sid;
        }

        public Builder initiator(String v) { initiator = v; return this; }
        public Builder responder(String v) { responder = v; return this; }
        public Builder content(JingleContent c) { contents.add(Objects.requireNonNull(c)); return this; }
        public Builder group(ContentGroup g) { groups.add(Objects.requireNonNull(g)); return this; }
        public Builder bridgeSession(BridgeSession v) { bridgeSession = v; return this; }
        public Builder reason(JingleReason v) { reason = v; return this; }
        public Builder jsonMessage(String v) { jsonMessage = v; return this; }
        public Builder iceState(String v) { iceState = v; return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(Objects.requireNonNull(n)); return this; }
        public JingleIQ build() { return new JingleIQ(this); }
    }
}
