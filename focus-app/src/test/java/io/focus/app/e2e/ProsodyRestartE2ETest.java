package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.wiring.FocusConferences;
import io.focus.app.wiring.XmppService;
import io.focus.conference.ConferenceView;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The focus as production wires it (in-process daemon) through XMPP trouble, with a real Prosody, simulated bridges
 * and participants, asserted at the far end ({@link CallAssertions}):
 * <ul>
 * <li>Prosody restarts: every room and every session is gone. The participants reconnect, ask for the conference
 *     and rejoin (as {@link SimParticipant#rejoinAfterConnectionLoss} does); the focus is back in the re-created room
 *     before it says "ready", puts each returning participant on the bridge conference that held the call (same
 *     meeting id, nothing left over on any bridge).</li>
 * <li>Only the focus's own connection blinks (Prosody keeps running): the focus rejoins the room and re-signals
 *     nobody; the call stays complete.</li>
 * <li>Prosody restarts and nobody comes back: the conference ends after the rejoin timeout and is expired on the
 *     bridge.</li>
 * </ul>
 * Each test gets its own Prosody (it is restarted).
 */
class ProsodyRestartE2ETest {
    @RegisterExtension
    ProsodyExtension prosody = new ProsodyExtension();

    @TempDir
    Path dir;

    Main.Daemon daemon;
    final List<SimBridge> bridges = new ArrayList<>();
    final List<SimParticipant> participants = new ArrayList<>();

    @AfterEach
    void tearDown() {
        participants.forEach(p -> {
            try {
                p.close();
            } catch (RuntimeException e) {
                // gone with the server
            }
        });
        if (daemon != null) {
            daemon.stop();
        }
        bridges.forEach(SimBridge::close);
    }

    static String conf(ProsodyServer server, Path state, String extra) {
        return DaemonProcessE2ETest.jicofoConf(server, 0) + "focus.state.directory = \"" + state + "\"\n" + extra;
    }

    SimBridge bridge(ProsodyServer server, String nick, double stress) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                .statsInterval(Duration.ofSeconds(1)));
        b.setStress(stress);
        bridges.add(b);
        return b;
    }

    String startCall(ProsodyServer server, String name, boolean rejoin, String... endpoints) {
        String room = name + "@" + server.conferenceMucDomain();
        String focusJid = "focus@" + server.authDomain() + "/focus";
        for (String ep : endpoints) {
            SimParticipant p = SimParticipant.anonymous(server, ep, "eu-west");
            if (rejoin) {
                p.rejoinAfterConnectionLoss(focusJid, Duration.ZERO);
            }
            participants.add(p);
            FocusReply reply = p.requestConference(focusJid, room, Map.of(), Duration.ofSeconds(20));
            assertTrue(reply.isResult() && reply.ready(), reply::toString);
            p.join(room);
        }
        return room;
    }

    Set<String> meetingIds(SimBridge b, String room) {
        return b.model().conferences().values().stream().filter(c -> room.equals(c.name()))
                .map(ConferenceState::meetingId).collect(Collectors.toSet());
    }

    @Test
    void afterAProsodyRestartEveryCallIsCompleteAgainOnTheSameBridgeConference() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        SimBridge jvb2 = bridge(server, "jvb2", 0.5);
        daemon = Main.Daemon.start(DaemonProcessE2ETest.configHolder(dir, conf(server, dir.resolve("state"), "")),
                Clock.systemUTC());
        String room = startCall(server, "restart", true, "aaaa0001", "bbbb0002", "cccc0003");
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await();
        Set<String> before = meetingIds(jvb1, room);
        assertEquals(1, before.size(), before::toString);

        long t0 = System.nanoTime();
        server.restart();
        // every participant came back (a new session each) and the call is complete again, on the same conference
        await("rejoined").atMost(Duration.ofSeconds(30))
                .until(() -> participants.stream().allMatch(p -> p.rejoinCount() == 1));
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await(Duration.ofSeconds(30));
        System.out.printf("e2e: call complete again %d ms after the Prosody restart began%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(before, meetingIds(jvb1, room), "the bridge conference that held the call is re-used");
        assertEquals(Set.of(), meetingIds(jvb2, room));
        ConferenceView v = daemon.injector().getInstance(FocusConferences.class).manager().conference(room);
        assertEquals(before, Set.of(v.meetingId()));
        assertEquals(1, jvb1.model().conferences().size(), "nothing else on the bridge");
    }

    @Test
    void whenOnlyTheFocusConnectionBlinksNobodyIsReSignalled() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        daemon = Main.Daemon.start(DaemonProcessE2ETest.configHolder(dir, conf(server, dir.resolve("state"), "")),
                Clock.systemUTC());
        String room = startCall(server, "blink", true, "dddd0001", "eeee0002");
        CallAssertions.call(room).on(jvb1, participants).await();
        Map<String, Integer> jingle = new LinkedHashMap<>();
        participants.forEach(p -> jingle.put(p.endpointId(), p.jingleReceived().size()));
        String meeting = meetingIds(jvb1, room).iterator().next();

        XmppService xmpp = daemon.injector().getInstance(XmppService.class);
        long losses = xmpp.client().losses();
        xmpp.client().simulateConnectionLoss();
        await("focus back").atMost(Duration.ofSeconds(20)).until(() -> xmpp.client().losses() == losses + 1
                && xmpp.client().isReady());
        // the focus is back in the room: a conference request is answered ready, and it still sees both occupants
        FocusReply reply = participants.get(0).requestConference("focus@" + server.authDomain() + "/focus", room,
                Map.of(), Duration.ofSeconds(20));
        assertTrue(reply.isResult() && reply.ready(), reply::toString);
        await("both still in the conference").atMost(Duration.ofSeconds(10)).until(() -> daemon.injector()
                .getInstance(FocusConferences.class).manager().conference(room).participants().size() == 2);
        CallAssertions.call(room).on(jvb1, participants).await();
        // the clients saw the focus leave once (a stock client would fail the conference: FOCUS_LEFT), but nobody
        // was re-signalled: their sessions stood
        participants.forEach(p -> assertEquals(1, p.focusLeftCount(), p.endpointId()));
        participants.forEach(p -> assertEquals(jingle.get(p.endpointId()), p.jingleReceived().size(),
                () -> p.endpointId() + " got " + p.jingleReceived()));
        participants.forEach(p -> assertEquals(0, p.rejoinCount()));
        assertEquals(Set.of(meeting), meetingIds(jvb1, room));
    }

    @Test
    void aConferenceNobodyComesBackToEndsAndIsExpiredOnItsBridge() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        daemon = Main.Daemon.start(DaemonProcessE2ETest.configHolder(dir, conf(server, dir.resolve("state"),
                "focus.conference.rejoin-timeout = 3 seconds\n")), Clock.systemUTC());
        String room = startCall(server, "gone", false, "ffff0001", "abab0002");
        CallAssertions.call(room).on(jvb1, participants).await();

        server.restart();
        var manager = daemon.injector().getInstance(FocusConferences.class).manager();
        await("ended").atMost(Duration.ofSeconds(30)).until(() -> manager.conference(room) == null);
        await("expired on jvb1").atMost(Duration.ofSeconds(10)).until(() -> jvb1.model().conferences().isEmpty());
    }
}
