package io.focus.conference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.focus.core.xmpp.ConferenceIq;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * What the room does to the focus, on a real Prosody: the room destroyed, the focus demoted, the focus kicked. The
 * focus here is not a server admin (Prosody would refuse to demote or kick an admin): it owns the rooms it creates,
 * and makes the first participant an owner, who then acts. Each event is logged once in a line that starts with
 * {@code Room <jid>}; destroyed and kicked end the conference and expire it on its bridge, demoted does not.
 */
class RoomEventsXmppTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults().withAdmins(List.of()));

    XmppFocusHarness f;
    SimBridge jvb1;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        f = XmppFocusHarness.start(prosody.server(), s -> s);
        jvb1 = f.bridge("jvb1", 0.1, "eu-west");
        logged.start();
        ((Logger) LoggerFactory.getLogger(RoomRecovery.class)).addAppender(logged);
        ((Logger) LoggerFactory.getLogger(RoomEvents.class)).addAppender(logged);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(RoomRecovery.class)).detachAppender(logged);
        ((Logger) LoggerFactory.getLogger(RoomEvents.class)).detachAppender(logged);
        if (f != null) {
            f.close();
        }
    }

    /** A client that asks for the conference and joins; the first one is made owner by the focus. */
    MultiUserChat participant(String room, String nick) throws Exception {
        XMPPTCPConnection c = f.anonymousClient();
        ConferenceIq iq = ConferenceIq.builder().room(room).build();
        iq.setType(IQ.Type.set);
        iq.setTo(JidCreate.from(f.focusFullJid()));
        IQ reply = c.sendIqRequestAndWaitForResponse(iq);
        assertEquals(Boolean.TRUE, ((ConferenceIq) reply).ready());
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(room));
        muc.join(Resourcepart.from(nick));
        return muc;
    }

    /** Two participants placed on jvb1; returns the owner's room. */
    MultiUserChat placedCall(String room) throws Exception {
        MultiUserChat owner = participant(room, "owner1");
        participant(room, "guest2");
        await("placed").atMost(Duration.ofSeconds(20)).until(() -> f.placement(room).size() == 2);
        await("on jvb1").atMost(Duration.ofSeconds(10)).until(() -> jvb1.model().endpoints().size() == 2);
        return owner;
    }

    List<String> lines(String room) {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Room " + room))
                .toList();
    }

    @Test
    void aDestroyedRoomEndsTheConferenceAndExpiresItOnItsBridge() throws Exception {
        String room = f.room("destroyed");
        MultiUserChat owner = placedCall(room);
        await("owner").atMost(Duration.ofSeconds(10)).untilAsserted(() -> owner.destroy("closing time", null));

        await("ended").atMost(Duration.ofSeconds(10)).until(() -> f.manager.conference(room) == null);
        await("expired on jvb1").atMost(Duration.ofSeconds(10)).until(() -> jvb1.model().conferences().isEmpty());
        assertEquals(List.of("Room " + room + ": destroyed (closing time): ending the conference, expired on jvb1"),
                lines(room));
    }

    @Test
    void aDemotedFocusGoesOnAndAKickedOneEndsTheConference() throws Exception {
        String room = f.room("kicked");
        MultiUserChat owner = placedCall(room);
        var focus = JidCreate.bareFrom(f.focusJid());
        await("owner").atMost(Duration.ofSeconds(10)).untilAsserted(() -> owner.grantMembership(focus));

        await("demotion logged").atMost(Duration.ofSeconds(10)).until(() -> !lines(room).isEmpty());
        assertEquals(List.of("Room " + room + ": the focus was demoted (lost moderator, ownership): it can no longer "
                + "make participants owners; the conference goes on"), lines(room));
        assertNotNull(f.manager.conference(room));
        assertEquals(2, f.placement(room).size(), "the call goes on");

        owner.kickParticipant(Resourcepart.from("focus"), "go away");
        await("ended").atMost(Duration.ofSeconds(10)).until(() -> f.manager.conference(room) == null);
        await("expired on jvb1").atMost(Duration.ofSeconds(10)).until(() -> jvb1.model().conferences().isEmpty());
        List<String> l = lines(room);
        assertEquals(2, l.size(), l::toString);
        assertTrue(l.get(1).matches("Room " + java.util.regex.Pattern.quote(room)
                + ": kicked the focus \\((by .*: )?go away\\): ending the conference, expired on jvb1"), l::toString);
    }
}
