package io.focus.core.xmpp.connection;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * Connection state changes of one {@link XmppConnectionManager}. Called on the manager's own thread (never on
 * Smack's reader thread); implementations should hand off long work.
 */
public interface XmppConnectionListener {
    /** Connected and logged in for the first time. */
    default void connected(XmppConnectionManager manager, XMPPTCPConnection connection) {}

    /** The connection was lost ({@code cause} non-null) or closed on purpose ({@code cause} null). */
    default void disconnected(XmppConnectionManager manager, Exception cause) {}

    /**
     * Connected and logged in again after a loss.
     *
     * @param resumed true when the XMPP stream was resumed (XEP-0198): MUC memberships and subscriptions survived
     */
    default void reconnected(XmppConnectionManager manager, XMPPTCPConnection connection, boolean resumed) {}
}
