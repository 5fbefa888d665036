package io.focus.core.jingle;

import io.focus.core.colibri.Namespaces;
import io.focus.core.colibri.PayloadType;
import io.focus.core.colibri.RtpHdrExt;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code <description xmlns="urn:xmpp:jingle:apps:rtp:1" media [maxptime] [ssrc]>}: payload types, RTP header
 * extensions, extmap-allow-mixed, rtcp-mux, sources ({@code urn:xmpp:jingle:apps:rtp:ssma:0}) and SSRC groups.
 * Unknown children are kept in {@link #otherChildren()}.
 *
 * <p>Serialization order is Jicofo's: payload types, header extensions, extmap-allow-mixed, rtcp-mux, sources,
 * SSRC groups, then the unknown children.
 */
public final class RtpDescription {
    private final String media;
    private final Integer maxptime;
    private final Long ssrc;
    private final List<PayloadType> payloadTypes;
    private final List<RtpHdrExt> rtpHdrExts;
    private final boolean extmapAllowMixed;
    private final boolean rtcpMux;
    private final List<Source> sources;
    private final List<SsrcGroup> ssrcGroups;
    private final List<XmlNode> otherChildren;

    private RtpDescription(Builder b) {
        this.media = b.media;
        this.maxptime = b.maxptime;
        this.ssrc = b.ssrc;
        this.payloadTypes = List.copyOf(b.payloadTypes);
        this.rtpHdrExts = List.copyOf(b.rtpHdrExts);
        this.extmapAllowMixed = b.extmapAllowMixed;
        this.rtcpMux = b.rtcpMux;
        this.sources = List.copyOf(b.sources);
        this.ssrcGroups = List.copyOf(b.ssrcGroups);
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder(String media) {
        return new Builder(media);
    }

    /** "audio", "video" or "application"; null if the client left it out. */
    public String media() { return media; }
    public Integer maxptime() { return maxptime; }
    /** The legacy {@code ssrc} attribute some clients put on the description, or null. */
    public Long ssrc() { return ssrc; }
    public List<PayloadType> payloadTypes() { return payloadTypes; }
    public List<RtpHdrExt> rtpHdrExts() { return rtpHdrExts; }
    public boolean extmapAllowMixed() { return extmapAllowMixed; }
    public boolean rtcpMux() { return rtcpMux; }
    public List<Source> sources() { return sources; }
    public List<SsrcGroup> ssrcGroups() { return ssrcGroups; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("description", Namespaces.RTP).attr("media", media)
                .attr("maxptime", maxptime).attr("ssrc", ssrc);
        payloadTypes.forEach(p -> b.child(p.toNode()));
        rtpHdrExts.forEach(h -> b.child(XmlNode.builder("rtp-hdrext", Namespaces.RTP_HDREXT).attr("id", h.id())
                .attr("uri", h.uri()).build()));
        if (extmapAllowMixed) {
            b.child(XmlNode.builder("extmap-allow-mixed", Namespaces.RTP_HDREXT).build());
        }
        if (rtcpMux) {
            b.child(XmlNode.builder("rtcp-mux", Namespaces.RTP).build());
        }
        sources.forEach(s -> b.child(s.toNode()));
        ssrcGroups.forEach(g -> b.child(g.toNode()));
        return b.children(otherChildren).build();
    }

    public static RtpDescription fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder(n.attr("media")).maxptime(Attrs.optInt(n, "maxptime"));
        if (n.attr("ssrc") != null) {
            b.ssrc(Attrs.requiredSsrc(n, "ssrc"));
        }
        for (XmlNode c : n.children()) {
            if (c.is("payload-type", Namespaces.RTP)) {
                b.payloadType(PayloadType.fromNode(c));
            } else if (c.is("rtp-hdrext", Namespaces.RTP_HDREXT)) {
                b.rtpHdrExt(new RtpHdrExt(Attrs.requiredInt(c, "id"), Attrs.required(c, "uri")));
            } else if (c.is("extmap-allow-mixed", Namespaces.RTP_HDREXT)) {
                b.extmapAllowMixed(true);
            } else if (c.is("rtcp-mux", Namespaces.RTP)) {
                b.rtcpMux(true);
            } else if (c.is("source", Namespaces.SSMA)) {
                b.source(Source.fromNode(c));
            } else if (c.is("ssrc-group", Namespaces.SSMA)) {
                SsrcGroup g = SsrcGroup.fromNode(c);
                if (g.ssrcs().isEmpty()) {
                    throw new StanzaParseException("<ssrc-group semantics='" + g.semantics() + "'> has no sources");
                }
                b.ssrcGroup(g);
            } else {
                b.otherChild(c);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpDescription d && toNode().equals(d.toNode());
    }

    @Override
    public int hashCode() { return toNode().hashCode(); }

    @Override
    public String toString() { return toNode().toString(); }

    public static final class Builder {
        private final String media;
        private Integer maxptime;
        private Long ssrc;
        private final List<PayloadType> payloadTypes = new ArrayList<>();
        private final List<RtpHdrExt> rtpHdrExts = new ArrayList<>();
        private boolean extmapAllowMixed;
        private boolean rtcpMux;
        private final List<Source> sources = new ArrayList<>();
        private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private final List<XmlNode> otherChildren = new ArrayList<>();

        private Builder(String media) {
            this.media = media;
        }

        public Builder maxptime(Integer v) { maxptime = v; return this; }
        public Builder ssrc(Long v) { ssrc = v; return this; }
        public Builder payloadType(PayloadType p) { payloadTypes.add(Objects.requireNonNull(p)); return this; }
        public Builder payloadTypes(List<PayloadType> ps) { ps.forEach(this::payloadType); return this; }
        public Builder rtpHdrExt(RtpHdrExt h) { rtpHdrExts.add(Objects.requireNonNull(h)); return this; }
        public Builder rtpHdrExts(List<RtpHdrExt> hs) { hs.forEach(this::rtpHdrExt); return this; }
        public Builder extmapAllowMixed(boolean v) { extmapAllowMixed = v; return this; }
        public Builder rtcpMux(boolean v) { rtcpMux = v; return this; }
        public Builder source(Source s) { sources.add(Objects.requireNonNull(s)); return this; }
        public Builder sources(List<Source> ss) { ss.forEach(this::source); return this; }
        public Builder ssrcGroup(SsrcGroup g) { ssrcGroups.add(Objects.requireNonNull(g)); return this; }
        public Builder ssrcGroups(List<SsrcGroup> gs) { gs.forEach(this::ssrcGroup); return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(n); return this; }
        public RtpDescription build() { return new RtpDescription(this); }
    }
}
