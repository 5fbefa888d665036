package io.focus.conference;

import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppConnectionListener;
import java.util.Objects;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;

/**
 * Tells the conferences what happens to the client connection (the one their rooms are on): a loss takes the focus
 * out of every room ({@link ConferenceManager#roomsLost}, on the connection manager's thread, before it reconnects),
 * a reconnect brings it back into them ({@link ConferenceManager#roomsBack}). A close on purpose (the focus stopping)
 * is not a loss. The first login runs {@code onFirstLogin} (a restarted focus takes its rooms back then).
 */
public final class RoomConnectionListener implements XmppConnectionListener {
    private final ConferenceManager manager;
    private final Runnable onFirstLogin;

    public RoomConnectionListener(ConferenceManager manager, Runnable onFirstLogin) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.onFirstLogin = Objects.requireNonNull(onFirstLogin, "onFirstLogin");
    }

    @Override public void connected(XmppConnectionManager m, XMPPTCPConnection connection) {
        onFirstLogin.run();
    }

    @Override public void disconnected(XmppConnectionManager m, Exception cause) {
        if (cause != null) {
            manager.roomsLost(String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause));
        }
    }

    @Override public void reconnected(XmppConnectionManager m, XMPPTCPConnection connection, boolean resumed) {
        manager.roomsBack(resumed);
    }
}
