package io.focus.core.xmpp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.IQ;

/**
 * The focus conference IQ, {@code <conference xmlns="http://jitsi.org/protocol/focus" room ready focusjid
 * session-id machine-uid identity vnode token><property name value/>...</conference>}. A client sends it (type
 * set) to ask the focus to start a conference in {@code room}; the focus answers with a result that has
 * {@code ready}, {@code focusjid} and its properties.
 *
 * <p>Parsing is lenient where the request handler must still answer: a missing {@code room} parses (as null, the
 * handler replies bad-request) and a {@code <property>} without a name or a value is skipped and counted (so no
 * property is ever null). A {@code ready} that is not a boolean is a parse error.
 */
public final class ConferenceIq extends IQ {
    public static final String ELEMENT = "conference";
    public static final String NAMESPACE = "http://jitsi.org/protocol/focus";

    private final String room;
    private final Boolean ready;
    private final String focusJid;
    private final String sessionId;
    private final String machineUid;
    private final String identity;
    private final String vnode;
    private final String token;
    private final Map<String, String> properties;
    private final int malformedProperties;

    private ConferenceIq(Builder b) {
        super(ELEMENT, NAMESPACE);
        this.room = b.room;
        this.ready = b.ready;
        this.focusJid = b.focusJid;
        this.sessionId = b.sessionId;
        this.machineUid = b.machineUid;
        this.identity = b.identity;
        this.vnode = b.vnode;
        this.token = b.token;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.malformedProperties = b.malformedProperties;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with everything of this IQ's content (e.g. to answer a request). */
    public Builder toBuilder() {
        Builder b = new Builder().room(room).ready(ready).focusJid(focusJid).sessionId(sessionId)
                .machineUid(machineUid).identity(identity).vnode(vnode).token(token);
        b.properties.putAll(properties);
        return b;
    }

    /** The conference room JID as sent (null if the client omitted it). */
    public String room() { return room; }
    public Boolean ready() { return ready; }
    public String focusJid() { return focusJid; }
    public String sessionId() { return sessionId; }
    public String machineUid() { return machineUid; }
    public String identity() { return identity; }
    public String vnode() { return vnode; }
    /** A JWT, if the client sent one. Never log it. */
    public String token() { return token; }
    /** Properties in document order (a repeated name keeps the last value). */
    public Map<String, String> properties() { return properties; }
    public String property(String name) { return properties.get(name); }
    /** {@code <property>} children without a name or a value that the parser skipped. */
    public int malformedProperties() { return malformedProperties; }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.optAttribute("room", room);
        xml.optAttribute("focusjid", focusJid);
        if (ready != null) {
            xml.attribute("ready", ready.toString());
        }
        xml.optAttribute("session-id", sessionId);
        xml.optAttribute("machine-uid", machineUid);
        xml.optAttribute("identity", identity);
        xml.optAttribute("vnode", vnode);
        xml.optAttribute("token", token);
        if (properties.isEmpty()) {
            xml.setEmptyElement();
            return xml;
        }
        xml.rightAngleBracket();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> p : properties.entrySet()) {
            XmlNode.builder("property", NAMESPACE).attr("name", p.getKey()).attr("value", p.getValue()).build()
                    .appendTo(sb, NAMESPACE);
        }
        xml.append(sb);
        return xml;
    }

    public static ConferenceIq fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder().room(n.attr("room")).ready(Attrs.optBool(n, "ready")).focusJid(n.attr("focusjid"))
                .sessionId(n.attr("session-id")).machineUid(n.attr("machine-uid")).identity(n.attr("identity"))
                .vnode(n.attr("vnode")).token(n.attr("token"));
        for (XmlNode c : n.children()) {
            if (c.name().equals("property")) {
                String name = c.attr("name");
                String value = c.attr("value");
                if (name == null || name.isEmpty() || value == null) {
                    b.malformedProperties++;
                } else {
                    b.property(name, value);
                }
            }
        }
        return b.build();
    }

    public static final class Builder {
        private String room;
        private Boolean ready;
        private String focusJid;
        private String sessionId;
        private String machineUid;
        private String identity;
        private String vnode;
        private String token;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private int malformedProperties;

        public Builder room(String v) { room = v; return this; }
        public Builder ready(Boolean v) { ready = v; return this; }
        public Builder focusJid(String v) { focusJid = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder machineUid(String v) { machineUid = v; return this; }
        public Builder identity(String v) { identity = v; return this; }
        public Builder vnode(String v) { vnode = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder property(String name, String value) { properties.put(name, value); return this; }
        public Builder clearProperties() { properties.clear(); return this; }
        public ConferenceIq build() { return new ConferenceIq(this); }
    }
}
