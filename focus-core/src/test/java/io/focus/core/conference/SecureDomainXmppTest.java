package io.focus.core.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.xmpp.FocusProviders;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secure domain on a real Prosody: {@code meet.test} is the authenticated domain (users log in with a password)
 * and {@code guest.meet.test} is anonymous. A guest cannot create a room, a user can, and guests then join it.
 */
class SecureDomainXmppTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();
    static final Duration WAIT = Duration.ofSeconds(10);

    ProsodyServer server;
    XMPPTCPConnection focus;
    ExecutorService io;
    ExecutorEventLoop loop;
    ConferenceManager manager;
    ConferenceIqHandler handler;
    final List<SimParticipant> participants = new ArrayList<>();

    void start(boolean authentication) throws Exception {
        server = prosody.server();
        FocusProviders.registerAll();
        focus = new XMPPTCPConnection(server.connectionConfig(ProsodyExtension.FOCUS_USER, server.authDomain(),
                ProsodyExtension.FOCUS_PASSWORD, "focus").build());
        focus.connect().login();
        io = Executors.newFixedThreadPool(2);
        loop = new ExecutorEventLoop("secure-domain-test-loop");
        ConferenceSettings settings = ConferenceSettings.defaults(server.conferenceMucDomain());
        if (authentication) {
            settings = settings.withAuthentication(AuthenticationSettings.xmpp(server.domain()));
        }
        manager = ConferenceManager.builder().settings(settings).bridges(new FakeBridges())
                .selector(new TestSelector())
                .backend(new XmppColibriBackend(() -> focus, Duration.ofSeconds(3), true))
                .rooms(MucConferenceRoom.factory(() -> focus, "focus", io))
                .loop(loop).clock(Clock.systemUTC()).metrics(new CollectorRegistry()).build().start();
        handler = ConferenceIqHandler.register(manager, focus, "focus@" + server.authDomain());
    }

    @AfterEach
    void stop() {
        if (handler != null) {
            handler.unregister();
        }
        if (manager != null) {
            manager.close();
        }
        participants.forEach(SimParticipant::close);
        if (focus != null) {
            focus.disconnect();
        }
        if (loop != null) {
            loop.close();
        }
        if (io != null) {
            io.shutdownNow();
        }
    }

    SimParticipant guest(String ep) {
        SimParticipant p = SimParticipant.anonymous(server, ep, null);
        participants.add(p);
        return p;
    }

    SimParticipant user(String name, String ep) {
        server.register(name, server.domain(), "secret-" + name);
        SimParticipant p = SimParticipant.user(server, name, "secret-" + name, ep, null);
        participants.add(p);
        return p;
    }

    FocusReply request(SimParticipant p, String room) {
        return p.requestConference("focus@" + server.authDomain() + "/focus", room, Map.of(), WAIT);
    }

    @Test
    void aGuestCannotCreateARoomAUserCanAndGuestsThenJoinIt() throws Exception {
        start(true);
        String room = "secure1@" + server.conferenceMucDomain();
        SimParticipant guest = guest("g1g1g1g1");
        assertTrue(guest.jid().contains("@" + server.guestDomain()), guest.jid());

        FocusReply refused = request(guest, room);
        assertTrue(refused.isError(), refused.xml());
        assertEquals("not-authorized", refused.errorCondition());
        assertEquals(0, manager.conferenceCount(), "a refused guest creates nothing");

        SimParticipant alice = user("alice", "a1a1a1a1");
        FocusReply ok = request(alice, room);
        assertTrue(ok.isResult(), ok.xml());
        assertTrue(ok.ready());
        assertEquals("true", ok.properties().get("authentication"));
        assertEquals("false", ok.properties().get("externalAuth"));
        assertEquals(1, manager.conferenceCount());

        FocusReply guestNow = request(guest, room);
        assertTrue(guestNow.isResult(), guestNow.xml());
        assertTrue(guestNow.ready(), "a guest may join a conference a user created");
        assertEquals("true", guestNow.properties().get("authentication"));

        FocusReply otherRoom = request(guest, "secure2@" + server.conferenceMucDomain());
        assertEquals("not-authorized", otherRoom.errorCondition());
        assertFalse(manager.snapshot().conferences().stream()
                .anyMatch(c -> c.roomJid().startsWith("secure2@")));
    }

    @Test
    void withoutAuthenticationAGuestCreatesARoom() throws Exception {
        start(false);
        FocusReply ok = request(guest("g2g2g2g2"), "open1@" + server.conferenceMucDomain());
        assertTrue(ok.isResult(), ok.xml());
        assertEquals("false", ok.properties().get("authentication"));
        assertNull(ok.properties().get("externalAuth"));
    }
}
