package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code <transport xmlns="urn:xmpp:jingle:transports:ice-udp:1" ufrag pwd>} with {@code <rtcp-mux/>}, DTLS
 * fingerprints, ICE candidates and colibri {@code <web-socket url>}s. The same element appears inside a Colibri2
 * {@code <transport>} and in a Jingle {@code <content>}.
 *
 * <p>Serialization order is Jicofo's for Colibri2 (rtcp-mux, fingerprints, web-sockets, candidates);
 * {@link #toJingleNode()} uses Jicofo's Jingle order (web-sockets, rtcp-mux, fingerprints, candidates).
 */
public final class IceUdpTransport {
    private final String ufrag;
    private final String pwd;
    private final boolean rtcpMux;
    private final List<DtlsFingerprint> fingerprints;
    private final List<IceCandidate> candidates;
    private final List<String> webSocketUrls;

    private IceUdpTransport(Builder b) {
        this.ufrag = b.ufrag;
        this.pwd = b.pwd;
        this.rtcpMux = b.rtcpMux;
        this.fingerprints = List.copyOf(b.fingerprints);
        this.candidates = List.copyOf(b.candidates);
        this.webSocketUrls = List.copyOf(b.webSocketUrls);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().ufrag(ufrag).pwd(pwd).rtcpMux(rtcpMux);
        b.fingerprints.addAll(fingerprints);
        b.candidates.addAll(candidates);
        b.webSocketUrls.addAll(webSocketUrls);
        return b;
    }

    public String ufrag() { return ufrag; }
    public String pwd() { return pwd; }
    public boolean rtcpMux() { return rtcpMux; }
    public List<DtlsFingerprint> fingerprints() { return fingerprints; }
    public List<IceCandidate> candidates() { return candidates; }
    public List<String> webSocketUrls() { return webSocketUrls; }

    /** The first web-socket URL (the bridge channel), or null. */
    public String webSocketUrl() { return webSocketUrls.isEmpty() ? null : webSocketUrls.get(0); }

    /** The first fingerprint, or null. */
    public DtlsFingerprint fingerprint() { return fingerprints.isEmpty() ? null : fingerprints.get(0); }

    public XmlNode toNode() {
        XmlNode.Builder b = head();
        if (rtcpMux) {
            b.child(XmlNode.builder("rtcp-mux", Namespaces.ICE_UDP).build());
        }
        fingerprints.forEach(f -> b.child(f.toNode()));
        webSocketUrls.forEach(u -> b.child(webSocket(u)));
        candidates.forEach(c -> b.child(c.toNode()));
        return b.build();
    }

    public XmlNode toJingleNode() {
        XmlNode.Builder b = head();
        webSocketUrls.forEach(u -> b.child(webSocket(u)));
        if (rtcpMux) {
            b.child(XmlNode.builder("rtcp-mux", Namespaces.ICE_UDP).build());
        }
        fingerprints.forEach(f -> b.child(f.toNode()));
        candidates.forEach(c -> b.child(c.toNode()));
        return b.build();
    }

    private XmlNode.Builder head() {
        return XmlNode.builder("transport", Namespaces.ICE_UDP).attr("ufrag", ufrag).attr("pwd", pwd);
    }

    private static XmlNode webSocket(String url) {
        return XmlNode.builder("web-socket", Namespaces.COLIBRI).attr("url", url).build();
    }

    /** Unknown children are ignored; a web-socket without url is an error. */
    public static IceUdpTransport fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder().ufrag(n.attr("ufrag")).pwd(n.attr("pwd"));
        for (XmlNode c : n.children()) {
            if (c.is("rtcp-mux", Namespaces.ICE_UDP)) {
                b.rtcpMux(true);
            } else if (c.is("fingerprint", Namespaces.DTLS)) {
                b.fingerprint(DtlsFingerprint.fromNode(c));
            } else if (c.is("candidate", Namespaces.ICE_UDP)) {
                b.candidate(IceCandidate.fromNode(c));
            } else if (c.is("web-socket", Namespaces.COLIBRI)) {
                String url = c.attr("url");
                if (url == null || url.isEmpty()) {
                    throw new StanzaParseException("<web-socket> is missing required attribute 'url'");
                }
                b.webSocketUrl(url);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IceUdpTransport t && Objects.equals(ufrag, t.ufrag) && Objects.equals(pwd, t.pwd)
                && rtcpMux == t.rtcpMux && fingerprints.equals(t.fingerprints) && candidates.equals(t.candidates)
                && webSocketUrls.equals(t.webSocketUrls);
    }

    @Override
    public int hashCode() { return Objects.hash(ufrag, pwd, rtcpMux, fingerprints, candidates, webSocketUrls); }

    /** Never prints the ICE password. */
    @Override
    public String toString() {
        return "IceUdpTransport{ufrag=" + ufrag + ", fingerprints=" + fingerprints.size() + ", candidates="
                + candidates.size() + ", webSockets=" + webSocketUrls.size() + "}";
    }

    public static final class Builder {
        private String ufrag;
        private String pwd;
        private boolean rtcpMux;
        private final List<DtlsFingerprint> fingerprints = new ArrayList<>();
        private final List<IceCandidate> candidates = new ArrayList<>();
        private final List<String> webSocketUrls = new ArrayList<>();

        public Builder ufrag(String v) { ufrag = v; return this; }
        public Builder pwd(String v) { pwd = v; return this; }
        public Builder rtcpMux(boolean v) { rtcpMux = v; return this; }
        public Builder fingerprint(DtlsFingerprint f) { fingerprints.add(f); return this; }
        public Builder clearFingerprints() { fingerprints.clear(); return this; }
        public Builder candidate(IceCandidate c) { candidates.add(c); return this; }
        public Builder webSocketUrl(String url) { webSocketUrls.add(url); return this; }
        public Builder clearWebSocketUrls() { webSocketUrls.clear(); return this; }
        public IceUdpTransport build() { return new IceUdpTransport(this); }
    }
}
