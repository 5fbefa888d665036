package io.focus.core.jingle;

/** XML namespaces of the Jingle elements the focus reads and writes (beyond those shared with Colibri2). */
public final class JingleNamespaces {
    public static final String JINGLE = "urn:xmpp:jingle:1";
    public static final String GROUPING = "urn:xmpp:jingle:apps:grouping:0";
    /** Jitsi's focus namespace: {@code <bridge-session>}, {@code <ice-state>}. */
    public static final String FOCUS = "http://jitsi.org/protocol/focus";
    public static final String DTLS_SCTP = "urn:xmpp:jingle:transports:dtls-sctp:1";

    private JingleNamespaces() {}
}
