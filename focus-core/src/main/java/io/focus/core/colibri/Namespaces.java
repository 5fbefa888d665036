package io.focus.core.colibri;

/** XML namespaces of the Colibri2 / Jingle elements the focus reads and writes. */
public final class Namespaces {
    public static final String COLIBRI2 = "jitsi:colibri2";
    public static final String COLIBRI = "http://jitsi.org/protocol/colibri";
    public static final String RTP = "urn:xmpp:jingle:apps:rtp:1";
    public static final String RTCP_FB = "urn:xmpp:jingle:apps:rtp:rtcp-fb:0";
    public static final String RTP_HDREXT = "urn:xmpp:jingle:apps:rtp:rtp-hdrext:0";
    public static final String SSMA = "urn:xmpp:jingle:apps:rtp:ssma:0";
    public static final String ICE_UDP = "urn:xmpp:jingle:transports:ice-udp:1";
    public static final String DTLS = "urn:xmpp:jingle:apps:dtls:0";
    public static final String JITMEET = "http://jitsi.org/jitmeet";
    public static final String OPENTELEMETRY = "jitsi:opentelemetry";

    private Namespaces() {}
}
