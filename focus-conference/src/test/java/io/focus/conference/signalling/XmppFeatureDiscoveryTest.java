package io.focus.conference.signalling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.connection.IqRequester;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The disco#info the focus writes: to the occupant JID, about the participant's caps node when it has one. On a real
 * Prosody: the focus and two participants in one room, each answering as a Jitsi Meet client does.
 */
class XmppFeatureDiscoveryTest {
    static final String CAPS_NODE = "https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=";
    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension prosody = new ProsodyExtension();

    final List<XMPPTCPConnection> connections = new ArrayList<>();
    /** What the focus's connection wrote (Smack's sending listeners: as it went to Prosody). */
    final List<DiscoverInfo> written = new CopyOnWriteArrayList<>();
    IqRequester requests;
    String room;

    @BeforeEach
    void setUp() throws Exception {
        ProsodyServer server = prosody.server();
        room = "room@" + server.conferenceMucDomain();
        XMPPTCPConnection focus = login(new XMPPTCPConnection(server.connectionConfig(ProsodyExtension.FOCUS_USER,
                server.authDomain(), ProsodyExtension.FOCUS_PASSWORD, "focus").build()));
        join(focus, "focus"); // Smack's join asks the MUC service for disco#info: not recorded
        focus.addStanzaSendingListener(s -> written.add((DiscoverInfo) s), new StanzaTypeFilter(DiscoverInfo.class));
        requests = IqRequester.open(focus, "client", EventLoops.unregistered());
    }

    @AfterEach
    void tearDown() {
        if (requests != null) {
            requests.close();
        }
        connections.forEach(XMPPTCPConnection::disconnect);
    }

    @Test
    void theQueryIsAboutTheCapsNodeOfThePresenceAsJicofos() throws Exception {
        List<DiscoverInfo> withCaps = participant("286e2f37", "urn:xmpp:jingle:apps:rtp:audio");
        List<DiscoverInfo> withoutCaps = participant("52586f91", null);
        XmppFeatureDiscovery d = new XmppFeatureDiscovery(requests, Duration.ofSeconds(5));
        CompletableFuture<Set<String>> first = d.features(room + "/286e2f37", CAPS_NODE);
        CompletableFuture<Set<String>> second = d.features(room + "/52586f91", null);

        // what each participant got, through the room, from the focus's occupant JID
        await().atMost(WAIT).until(() -> withCaps.size() + withoutCaps.size() == 2);
        assertEquals(1, withCaps.size(), () -> "got: " + withCaps);
        assertEquals(CAPS_NODE, withCaps.get(0).getNode());
        assertEquals(room + "/focus", withCaps.get(0).getFrom().toString());
        assertEquals(1, withoutCaps.size(), () -> "got: " + withoutCaps);
        assertNull(withoutCaps.get(0).getNode());
        // what the focus wrote, and the answers it got
        assertEquals(Set.of("urn:xmpp:jingle:apps:rtp:audio"), first.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the participant's answer about its caps node reaches the caller");
        assertEquals(Set.of(DiscoverInfo.NAMESPACE), second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        // recorded in either order: Smack calls its sending listeners asynchronously, not in the wire's order
        assertEquals(2, written.size(), () -> "written: " + written);
        assertEquals(CAPS_NODE, writtenTo(room + "/286e2f37").getNode());
        assertNull(writtenTo(room + "/52586f91").getNode(), "no caps in the presence: no node");
    }

    /** The one query the focus wrote to {@code to}. */
    DiscoverInfo writtenTo(String to) {
        List<DiscoverInfo> q = written.stream().filter(w -> to.equals(String.valueOf(w.getTo()))).toList();
        assertEquals(1, q.size(), () -> "written to " + to + ": " + written);
        return q.get(0);
    }

    /**
     * A participant in the room as {@code nick} that answers disco#info as a Jitsi Meet client does: about the caps
     * node of its presence ({@link #CAPS_NODE}) with {@code feature}, without a node with disco#info, any other node
     * item-not-found. Returns the disco#info requests it received (Smack hands IQ requests to their handler only).
     */
    List<DiscoverInfo> participant(String nick, String feature) throws Exception {
        XMPPTCPConnection c = login(new XMPPTCPConnection(prosody.server().anonymousConfig().build()));
        List<DiscoverInfo> got = new CopyOnWriteArrayList<>();
        c.registerIQRequestHandler(new AbstractIqRequestHandler(DiscoverInfo.ELEMENT, DiscoverInfo.NAMESPACE,
                IQ.Type.get, IQRequestHandler.Mode.async) {
            @Override public IQ handleIQRequest(IQ request) {
                DiscoverInfo q = (DiscoverInfo) request;
                got.add(q);
                if (q.getNode() != null && (feature == null || !CAPS_NODE.equals(q.getNode()))) {
                    return IQ.createErrorResponse(q, StanzaError.Condition.item_not_found);
                }
                return DiscoverInfo.builder(q.getStanzaId()).to(q.getFrom()).ofType(IQ.Type.result)
                        .setNode(q.getNode()).addFeature(q.getNode() == null ? DiscoverInfo.NAMESPACE : feature)
                        .build();
            }
        });
        join(c, nick);
        return got;
    }

    XMPPTCPConnection login(XMPPTCPConnection c) throws Exception {
        connections.add(c);
        c.setReplyTimeout(WAIT.toMillis());
        c.connect().login();
        return c;
    }

    void join(XMPPTCPConnection c, String nick) throws Exception {
        MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(room))
                .join(Resourcepart.from(nick));
    }
}
