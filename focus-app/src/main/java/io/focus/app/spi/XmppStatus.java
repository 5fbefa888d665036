package io.focus.app.spi;

/** The state of the focus's own XMPP client connection (the one clients reach the focus through). */
public interface XmppStatus {
    /** Connected and authenticated. */
    boolean clientConnected();

    /** Why not, for {@code /about/health} (e.g. "reconnecting to localhost:5222 since 12 s"). */
    default String describe() {
        return clientConnected() ? "connected" : "XMPP client connection is down";
    }
}
