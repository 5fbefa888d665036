package io.focus.sim.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

class ProsodyExtensionTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void focusAndJvbUsersCanLogInAndJoinTheBrewery() throws Exception {
        ProsodyServer s = prosody.server();
        XMPPTCPConnection focus = new XMPPTCPConnection(s.connectionConfig("focus", s.authDomain(), "focuspass", "focus").build());
        XMPPTCPConnection jvb = new XMPPTCPConnection(s.connectionConfig("jvb", s.authDomain(), "jvbpass", "jvb1").build());
        try {
            focus.connect().login();
            jvb.connect().login();
            MultiUserChat a = MultiUserChatManager.getInstanceFor(focus).getMultiUserChat(JidCreate.entityBareFrom(s.breweryJid()));
            a.join(Resourcepart.from("focus"));
            MultiUserChat b = MultiUserChatManager.getInstanceFor(jvb).getMultiUserChat(JidCreate.entityBareFrom(s.breweryJid()));
            b.join(Resourcepart.from("jvb1"));
            org.awaitility.Awaitility.await().until(() -> a.getOccupantsCount() == 2);
            assertTrue(a.getOccupants().stream().anyMatch(o -> o.getResourceOrEmpty().toString().equals("jvb1")));
            assertEquals("jvbbrewery@internal.auth.meet.test", s.breweryJid());
        } finally {
            focus.disconnect();
            jvb.disconnect();
        }
    }
}
