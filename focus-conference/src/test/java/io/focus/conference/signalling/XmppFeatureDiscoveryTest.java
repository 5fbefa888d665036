package io.focus.conference.signalling;

import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.connection.IqRequester;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaFactory;
import org.jivesoftware.smack.packet.id.StandardStanzaIdSource;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** The disco#info the focus writes: to the occupant JID, about the participant's caps node when it has one. */
class XmppFeatureDiscoveryTest {
    final XMPPConnection connection = mock(XMPPConnection.class);
    /** The connection's requests, as its connection manager would own them. */
    IqRequester requests;
    final List<Stanza> written = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        when(connection.isAuthenticated()).thenReturn(true);
        when(connection.getUser()).thenReturn(JidCreate.entityFullFrom("focus@auth.meet.test/focus"));
        when(connection.getStanzaFactory()).thenReturn(new StanzaFactory(new StandardStanzaIdSource()));
        doAnswer(inv -> written.add(inv.getArgument(0))).when(connection).sendStanza(any());
        requests = IqRequester.open(connection, "client", EventLoops.unregistered());
    }

    @AfterEach
    void closeRequests() {
        requests.close();
    }

    @Test
    void theQueryIsAboutTheCapsNodeOfThePresenceAsJicofos() {
        XmppFeatureDiscovery d = new XmppFeatureDiscovery(requests, Duration.ofSeconds(5));
        d.features("room@conference.meet.test/286e2f37", "https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=");
        d.features("room@conference.meet.test/52586f91", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 2);
        DiscoverInfo first = (DiscoverInfo) written.get(0);
        assertEquals("room@conference.meet.test/286e2f37", first.getTo().toString());
        assertEquals("https://jitsi.org/jitsi-meet#dtzK/3xhISaXUMVg59IpXxdvKyQ=", first.getNode());
        assertNull(((DiscoverInfo) written.get(1)).getNode(), "no caps in the presence: no node");
    }
}
