package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.conference.signalling.SignallingSettings;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secure domain on a real Prosody: {@code meet.test} is the authenticated domain (users log in with a password)
 * and {@code guest.meet.test} is anonymous. A guest cannot create a room, a user can, and guests then join it: the
 * call of the user and the guest is asserted at the far end ({@link CallAssertions}).
 */
class SecureDomainXmppTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();
    static final Duration WAIT = Duration.ofSeconds(10);

    XmppFocusHarness f;

    void start(boolean authentication) throws Exception {
        ProsodyServer server = prosody.server();
        f = XmppFocusHarness.startWithJingle(server, s -> authentication
                ? s.withAuthentication(AuthenticationSettings.xmpp(server.domain())) : s, SignallingSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    SimParticipant guest(String ep) {
        return f.track(SimParticipant.anonymous(f.server, ep, null));
    }

    SimParticipant user(String name, String ep) {
        f.server.register(name, f.server.domain(), "secret-" + name);
        return f.track(SimParticipant.user(f.server, name, "secret-" + name, ep, null));
    }

    FocusReply request(SimParticipant p, String room) {
        return p.requestConference(f.focusFullJid(), room, Map.of(), WAIT);
    }

    @Test
    void aGuestCannotCreateARoomAUserCanAndGuestsThenJoinIt() throws Exception {
        start(true);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("secure1");
        SimParticipant guest = guest("g1g1g1g1");
        assertTrue(guest.jid().contains("@" + f.server.guestDomain()), guest.jid());

        FocusReply refused = request(guest, room);
        assertTrue(refused.isError(), refused.xml());
        assertEquals("not-authorized", refused.errorCondition());
        assertEquals(0, f.manager.conferenceCount(), "a refused guest creates nothing");
        assertTrue(jvb1.model().conferences().isEmpty(), "nothing on the bridge either");

        SimParticipant alice = user("alice", "a1a1a1a1");
        FocusReply ok = request(alice, room);
        assertTrue(ok.isResult(), ok.xml());
        assertTrue(ok.ready());
        assertEquals("true", ok.properties().get("authentication"));
        assertEquals("false", ok.properties().get("externalAuth"));
        assertEquals(1, f.manager.conferenceCount());

        FocusReply guestNow = request(guest, room);
        assertTrue(guestNow.isResult(), guestNow.xml());
        assertTrue(guestNow.ready(), "a guest may join a conference a user created");
        assertEquals("true", guestNow.properties().get("authentication"));

        // the user and the guest are in one call: each gets the other's media through the bridge
        alice.join(room);
        guest.join(room);
        CallAssertions.call(room).on(jvb1, alice, guest).await();

        FocusReply otherRoom = request(guest, f.room("secure2"));
        assertEquals("not-authorized", otherRoom.errorCondition());
        assertFalse(f.manager.snapshot().conferences().stream()
                .anyMatch(c -> c.roomJid().startsWith("secure2@")));
    }

    @Test
    void withoutAuthenticationAGuestCreatesARoom() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        String room = f.room("open1");
        SimParticipant g = guest("g2g2g2g2");
        FocusReply ok = request(g, room);
        assertTrue(ok.isResult(), ok.xml());
        assertEquals("false", ok.properties().get("authentication"));
        assertNull(ok.properties().get("externalAuth"));
        SimParticipant h = guest("h3h3h3h3");
        assertTrue(request(h, room).isResult());
        g.join(room);
        h.join(room);
        CallAssertions.call(room).on(jvb1, g, h).await();
    }
}
