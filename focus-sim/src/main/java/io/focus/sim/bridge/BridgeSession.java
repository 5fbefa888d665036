package io.focus.sim.bridge;

import java.util.Map;
import java.util.function.Consumer;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated bridge's XMPP session: its connection (configured as a JVB configures its own, reconnecting when
 * {@link SimBridgeOptions#autoReconnect}), its place in the brewery or on the pubsub node, and the ways it ends
 * (leaving, dropping the socket, closing). What the bridge does with it (its state, its stats) is {@link SimBridge}'s.
 * Control thread only; Smack's threads only post to it.
 */
final class BridgeSession {
    private static final Logger log = LoggerFactory.getLogger(SimBridge.class);

    private final SimBridgeOptions o;
    private final String nick;
    private final String brewery;
    private final String occupantJid;
    private final ControlThread control;
    private final BridgeIqHandlers iqs;
    private final Runnable onReauthenticated;
    private final Consumer<Exception> onLost;

    private volatile XMPPTCPConnection connection;
    private volatile boolean wantJoined;
    private LeafNode pubsubLeaf;

    /**
     * @param onReauthenticated run on the control thread when the current connection logged in again by itself
     * @param onLost run on the control thread when the current connection was lost on error
     */
    BridgeSession(SimBridgeOptions o, String nick, String brewery, ControlThread control, BridgeIqHandlers iqs,
                  Runnable onReauthenticated, Consumer<Exception> onLost) {
        this.o = o;
        this.nick = nick;
        this.brewery = brewery;
        this.occupantJid = brewery + "/" + nick;
        this.control = control;
        this.iqs = iqs;
        this.onReauthenticated = onReauthenticated;
        this.onLost = onLost;
    }

    /** The connection, null before the first {@link #connect()}. */
    XMPPTCPConnection connection() { return connection; }

    /** This bridge's own full JID, null before connecting. */
    String jid() {
        XMPPTCPConnection c = connection;
        EntityFullJid u = c == null ? null : c.getUser();
        return u == null ? null : u.toString();
    }

    boolean isAuthenticated() {
        XMPPTCPConnection c = connection;
        return c != null && c.isAuthenticated();
    }

    /** Whether the bridge means to be in the brewery (joined and not since left, dropped or closed). */
    boolean wantsJoined() { return wantJoined; }

    /** Opens a new connection (after disconnecting an old one) and logs in. */
    void connect() throws Exception {
        XMPPTCPConnection old = connection;
        if (old != null) {
            old.disconnect();
        }
        XMPPTCPConnection c = BridgeConnections.create(o, nick);
        c.setUseStreamManagement(o.streamManagement);
        c.setUseStreamManagementResumption(o.streamManagement);
        c.setReplyTimeout(10_000);
        iqs.register(c);
        c.addConnectionListener(new ConnectionListener() {
            @Override
            public void authenticated(XMPPConnection conn, boolean resumed) {
                control.execute(() -> {
                    if (conn == connection) {
                        onReauthenticated.run();
                    }
                });
            }

            @Override
            public void connectionClosedOnError(Exception e) {
                control.execute(() -> {
                    if (connection == c) {
                        onLost.accept(e);
                    }
                });
            }
        });
        if (o.autoReconnect) {
            ReconnectionManager rm = ReconnectionManager.getInstanceFor(c);
            rm.setReconnectionPolicy(ReconnectionManager.ReconnectionPolicy.FIXED_DELAY);
            rm.setFixedDelay(1);
            rm.enableAutomaticReconnection();
        }
        connection = c;
        c.connect().login();
        log.info("Sim bridge {} logged in as {}", nick, c.getUser());
    }

    /** Joins the brewery (or finds the pubsub node); returns what it did, for the bridge's log line. */
    String join() throws Exception {
        wantJoined = true;
        XMPPTCPConnection c = connection;
        pubsubLeaf = BreweryLink.join(c, o, occupantJid);
        return pubsubLeaf != null
                ? "publishing stats to " + o.pubsubNode + " on " + o.pubsubServiceOrDefault()
                : "joined " + brewery + " as " + nick + " (" + c.getUser() + ")";
    }

    /** Publishes the stats where the bridge joined. */
    void publish(Map<String, String> stats) throws Exception {
        BreweryLink.publish(connection, pubsubLeaf, occupantJid, stats);
    }

    /** Leaves the brewery cleanly (unavailable presence), staying connected. */
    void leave() throws Exception {
        wantJoined = false;
        XMPPTCPConnection c = connection;
        if (o.mode == SimBridgeOptions.Mode.BREWERY && c != null && c.isConnected()) {
            c.sendStanza(unavailable(c));
        }
    }

    /** Closes the socket abruptly ({@link BreweryLink#drop}). */
    void drop() {
        wantJoined = false;
        XMPPTCPConnection c = connection;
        if (c != null) {
            BreweryLink.drop(c);
        }
    }

    /** Stops reconnecting, leaves the brewery when {@code inBrewery} (best effort) and disconnects. */
    void close(boolean inBrewery) {
        wantJoined = false;
        XMPPTCPConnection c = connection;
        if (c == null) {
            return;
        }
        ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
        if (c.isConnected() && inBrewery && o.mode == SimBridgeOptions.Mode.BREWERY) {
            try {
                c.sendStanza(unavailable(c));
            } catch (Exception e) {
                log.debug("{} unavailable on stop failed", nick, e);
            }
        }
        c.disconnect();
    }

    private Presence unavailable(XMPPTCPConnection c) throws Exception {
        return c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                .to(JidCreate.from(occupantJid)).build();
    }
}
