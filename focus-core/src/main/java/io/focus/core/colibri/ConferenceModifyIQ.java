package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <iq type="get"><conference-modify xmlns="jitsi:colibri2" meeting-id name create expire
 * rtcstats-enabled>}: what the focus sends a bridge to create/expire a conference, and to create, update and
 * expire endpoints and relays in it. Jicofo sends it as IQ {@code get} (the bridge accepts get and set), so that
 * is the default type here.
 *
 * <p>The content is immutable; address the IQ with {@link #setTo} before sending (Smack's stanza header is
 * mutable by design). A bridge's error reply echoes this element, so a parsed error reply to a
 * conference-modify is a {@code ConferenceModifyIQ} of type error (see {@link Colibri2Errors}).
 */
public final class ConferenceModifyIQ extends ColibriConferenceIQ {
    public static final String ELEMENT = "conference-modify";
    public static final String NAMESPACE = Namespaces.COLIBRI2;

    private final String meetingId;
    private final String name;
    private final boolean create;
    private final boolean expire;
    private final Boolean rtcstatsEnabled;
    private final XmlNode traceparent;

    private ConferenceModifyIQ(Builder b) {
        super(ELEMENT, b.content.build());
        setType(Type.get);
        this.meetingId = b.meetingId;
        this.name = b.name;
        this.create = b.create;
        this.expire = b.expire;
        this.rtcstatsEnabled = b.rtcstatsEnabled;
        this.traceparent = b.traceparent;
    }

    /** A request for that conference; the meeting-id is required on every request the focus sends. */
    public static Builder builder(String meetingId) {
        return new Builder(Objects.requireNonNull(meetingId, "meetingId"));
    }

    /** {@code <conference-modify meeting-id expire="true"/>}: expire the whole conference on that bridge. */
    public static ConferenceModifyIQ expireConference(String meetingId) {
        return builder(meetingId).expire(true).build();
    }

    /** Jitsi's {@code <traceparent xmlns="jitsi:opentelemetry">} (W3C trace context), written first if set. */
    public static XmlNode traceparent(String traceId, String parentId, String traceFlags) {
        return XmlNode.builder("traceparent", Namespaces.OPENTELEMETRY).attr("trace_id", traceId)
                .attr("parent_id", parentId).attr("trace_flags", traceFlags).build();
    }

    /** Null only for a malformed echo inside a bridge's error reply. */
    public String meetingId() { return meetingId; }
    /** The conference's room JID (sent with create). */
    public String conferenceName() { return name; }
    public boolean create() { return create; }
    public boolean expire() { return expire; }
    public Boolean rtcstatsEnabled() { return rtcstatsEnabled; }
    public XmlNode traceparent() { return traceparent; }
    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.optAttribute("meeting-id", meetingId);
        xml.optAttribute("name", name);
        if (create) {
            xml.attribute("create", "true");
        }
        if (expire) {
            xml.attribute("expire", "true");
        }
        if (rtcstatsEnabled != null) {
            xml.attribute("rtcstats-enabled", rtcstatsEnabled.toString());
        }
        List<XmlNode> children = new ArrayList<>();
        if (traceparent != null) {
            children.add(traceparent);
        }
        content.addNodesTo(children);
        return XmlNode.writeChildren(xml, children, NAMESPACE);
    }

    /** Maps a parsed {@code <conference-modify>} element; a missing meeting-id is an error. */
    public static ConferenceModifyIQ fromNode(XmlNode n) throws StanzaParseException {
        Builder b = new Builder(Attrs.required(n, "meeting-id"));
        fill(b, n);
        return b.build();
    }

    /** Best effort for the echo in an error reply: whatever of the attributes is readable, no children. */
    static ConferenceModifyIQ lenientFromNode(XmlNode n) {
        Builder b = new Builder(n.attr("meeting-id")).name(n.attr("name"))
                .create("true".equals(n.attr("create"))).expire("true".equals(n.attr("expire")));
        return b.build();
    }

    private static void fill(Builder b, XmlNode n) throws StanzaParseException {
        b.name(n.attr("name")).create(Attrs.flag(n, "create")).expire(Attrs.flag(n, "expire"))
                .rtcstatsEnabled(Attrs.optBool(n, "rtcstats-enabled"));
        for (XmlNode c : n.children()) {
            if (c.is("traceparent", Namespaces.OPENTELEMETRY)) {
                b.traceparent(c);
            } else {
                b.content.read(c);
            }
        }
    }

    public static final class Builder {
        private final String meetingId;
        private String name;
        private boolean create;
        private boolean expire;
        private Boolean rtcstatsEnabled;
        private XmlNode traceparent;
        private final ConferenceContent.Collector content = new ConferenceContent.Collector();

        private Builder(String meetingId) {
            this.meetingId = meetingId;
        }

        /** The conference name: the room JID, e.g. {@code room@conference.example.com}. */
        public Builder name(String v) { name = v; return this; }
        public Builder create(boolean v) { create = v; return this; }
        public Builder expire(boolean v) { expire = v; return this; }
        public Builder rtcstatsEnabled(Boolean v) { rtcstatsEnabled = v; return this; }
        public Builder traceparent(XmlNode v) { traceparent = v; return this; }
        public Builder endpoint(Endpoint e) { content.endpoint(e); return this; }
        public Builder relay(Relay r) { content.relay(r); return this; }
        public Builder sources(Sources s) { content.sources(s); return this; }
        public Builder otherChild(XmlNode n) { content.otherChild(n); return this; }
        public ConferenceModifyIQ build() { return new ConferenceModifyIQ(this); }
    }
}
