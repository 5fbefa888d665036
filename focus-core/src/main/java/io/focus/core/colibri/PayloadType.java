package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code <payload-type xmlns="urn:xmpp:jingle:apps:rtp:1" id name clockrate channels>} with {@code <parameter>} and
 * {@code <rtcp-fb>} children. The children keep their order (Jicofo mixes them), so serialization is exact.
 */
public final class PayloadType {
    /** A child of a payload type: a {@link Parameter} or an {@link RtcpFb}. */
    public sealed interface Child permits Parameter, RtcpFb {}

    private final int id;
    private final String name;
    private final Integer clockrate;
    private final Integer channels;
    private final List<Child> children;

    private PayloadType(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.clockrate = b.clockrate;
        this.channels = b.channels;
        this.children = List.copyOf(b.children);
    }

    public static Builder builder(int id, String name) {
        return new Builder(id, name);
    }

    public int id() { return id; }
    public String name() { return name; }
    public Integer clockrate() { return clockrate; }
    public Integer channels() { return channels; }
    /** Parameters and rtcp-fb in document order. */
    public List<Child> children() { return children; }

    public List<Parameter> parameters() {
        return children.stream().filter(Parameter.class::isInstance).map(Parameter.class::cast).toList();
    }

    public List<RtcpFb> rtcpFbs() {
        return children.stream().filter(RtcpFb.class::isInstance).map(RtcpFb.class::cast).toList();
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("payload-type", Namespaces.RTP).attr("id", id).attr("name", name)
                .attr("clockrate", clockrate).attr("channels", channels);
        for (Child c : children) {
            b.child(c instanceof Parameter p ? p.toNode(Namespaces.RTP) : ((RtcpFb) c).toNode());
        }
        return b.build();
    }

    /** Unknown children are ignored (a payload type carries nothing else the focus needs). */
    public static PayloadType fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder(Attrs.requiredInt(n, "id"), n.attr("name"))
                .clockrate(Attrs.optInt(n, "clockrate")).channels(Attrs.optInt(n, "channels"));
        for (XmlNode c : n.children()) {
            if (c.name().equals("parameter")) {
                b.children.add(Parameter.fromNode(c));
            } else if (c.is("rtcp-fb", Namespaces.RTCP_FB)) {
                b.children.add(RtcpFb.fromNode(c));
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadType p && id == p.id && Objects.equals(name, p.name)
                && Objects.equals(clockrate, p.clockrate) && Objects.equals(channels, p.channels)
                && children.equals(p.children);
    }

    @Override
    public int hashCode() { return Objects.hash(id, name, clockrate, channels, children); }

    @Override
    public String toString() { return toNode().toString(); }

    public static final class Builder {
        private final int id;
        private final String name;
        private Integer clockrate;
        private Integer channels;
        private final List<Child> children = new ArrayList<>();

        private Builder(int id, String name) {
            this.id = id;
            this.name = name;
        }

        public Builder clockrate(Integer v) { clockrate = v; return this; }
        public Builder channels(Integer v) { channels = v; return this; }
        public Builder parameter(String n, String v) { children.add(new Parameter(n, v)); return this; }
        public Builder rtcpFb(String type) { children.add(new RtcpFb(type, null)); return this; }
        public Builder rtcpFb(String type, String subtype) { children.add(new RtcpFb(type, subtype)); return this; }
        public PayloadType build() { return new PayloadType(this); }
    }
}
