package io.focus.sim.bridge;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

import io.focus.sim.xml.RawExtension;

/** How a simulated bridge is seen: it joins the brewery (or a pubsub node), publishes stats, and can die abruptly. */
final class BreweryLink {
    private BreweryLink() {}

    /**
     * Joins the brewery as the occupant, or (pubsub mode) finds the stats node; returns the node, or null in brewery
     * mode. The real JVB's first brewery presence has no stats; they follow right after.
     */
    static LeafNode join(XMPPTCPConnection c, SimBridgeOptions o, String occupantJid) throws Exception {
        if (o.mode == SimBridgeOptions.Mode.PUBSUB) {
            PubSubManager mgr = PubSubManager.getInstanceFor(c, JidCreate.bareFrom(o.pubsubServiceOrDefault()));
            return mgr.getOrCreateLeafNode(o.pubsubNode);
        }
        Jid room = JidCreate.from(occupantJid);
        Presence join = c.getStanzaFactory().buildPresenceStanza().to(room)
                .addExtension(new RawExtension("x", "http://jabber.org/protocol/muc",
                        "<x xmlns='http://jabber.org/protocol/muc'/>"))
                .build();
        try (StanzaCollector col = c.createStanzaCollectorAndSend(
                new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createFull(room)), join)) {
            Stanza reply = col.nextResult(10_000);
            if (reply == null) {
                throw new IOException(occupantJid + ": no answer to the brewery join");
            }
            if (reply.getError() != null) {
                throw new IOException(occupantJid + ": could not join the brewery: " + reply.getError());
            }
        }
        return null;
    }

    /** Publishes the stats: to the pubsub node when there is one, else as presence in the brewery. */
    static void publish(XMPPTCPConnection c, LeafNode pubsub, String occupantJid, Map<String, String> stats)
            throws Exception {
        if (pubsub != null) {
            pubsub.publish(new PayloadItem<>(String.valueOf(c.getUser()), StatsTemplate.extension(stats)));
        } else {
            c.sendStanza(c.getStanzaFactory().buildPresenceStanza().to(JidCreate.from(occupantJid))
                    .addExtension(StatsTemplate.extension(stats)).build());
        }
    }

    /** Closes the TCP socket abruptly (an RST, like a killed process), with no stream close and no reconnect. */
    static void drop(XMPPTCPConnection c) {
        ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
        Socket s = BridgeConnections.rawSocket(c);
        if (s == null) {
            c.instantShutdown();
            return;
        }
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // best effort: close anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
