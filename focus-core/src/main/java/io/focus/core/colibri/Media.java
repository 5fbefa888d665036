package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Colibri2 {@code <media type="audio|video">}: payload types, RTP header extensions and extmap-allow-mixed.
 * Children the focus does not model are kept in {@link #otherChildren()} and written after the known ones.
 */
public final class Media {
    private final String type;
    private final List<PayloadType> payloadTypes;
    private final List<RtpHdrExt> rtpHdrExts;
    private final boolean extmapAllowMixed;
    private final List<XmlNode> otherChildren;

    private Media(Builder b) {
        this.type = b.type;
        this.payloadTypes = List.copyOf(b.payloadTypes);
        this.rtpHdrExts = List.copyOf(b.rtpHdrExts);
        this.extmapAllowMixed = b.extmapAllowMixed;
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    public String type() { return type; }
    public List<PayloadType> payloadTypes() { return payloadTypes; }
    public List<RtpHdrExt> rtpHdrExts() { return rtpHdrExts; }
    public boolean extmapAllowMixed() { return extmapAllowMixed; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("media", Namespaces.COLIBRI2).attr("type", type);
        payloadTypes.forEach(p -> b.child(p.toNode()));
        rtpHdrExts.forEach(h -> b.child(h.toNode()));
        if (extmapAllowMixed) {
            b.child(XmlNode.builder("extmap-allow-mixed", Namespaces.RTP_HDREXT).build());
        }
        return b.children(otherChildren).build();
    }

    public static Media fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder(Attrs.required(n, "type"));
        for (XmlNode c : n.children()) {
            if (c.is("payload-type", Namespaces.RTP)) {
                b.payloadType(PayloadType.fromNode(c));
            } else if (c.is("rtp-hdrext", Namespaces.RTP_HDREXT)) {
                b.rtpHdrExt(RtpHdrExt.fromNode(c));
            } else if (c.is("extmap-allow-mixed", Namespaces.RTP_HDREXT)) {
                b.extmapAllowMixed(true);
            } else {
                b.otherChildren.add(c);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Media m && toNode().equals(m.toNode());
    }

    @Override
    public int hashCode() { return toNode().hashCode(); }

    @Override
    public String toString() { return toNode().toString(); }

    public static final class Builder {
        private final String type;
        private final List<PayloadType> payloadTypes = new ArrayList<>();
        private final List<RtpHdrExt> rtpHdrExts = new ArrayList<>();
        private boolean extmapAllowMixed;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder payloadType(PayloadType p) { payloadTypes.add(p); return this; }
        public Builder rtpHdrExt(int id, String uri) { rtpHdrExts.add(new RtpHdrExt(id, uri)); return this; }
        public Builder rtpHdrExt(RtpHdrExt h) { rtpHdrExts.add(h); return this; }
        public Builder extmapAllowMixed(boolean v) { extmapAllowMixed = v; return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(n); return this; }
        public Media build() { return new Media(this); }
    }
}
