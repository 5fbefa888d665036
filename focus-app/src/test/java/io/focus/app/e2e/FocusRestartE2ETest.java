package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.wiring.FocusConferences;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted focus takes its rooms back (the daemon as production wires it, in-process, twice, with the same
 * {@code focus.state.directory}): the first process saves its conferences and stops (leaving its rooms, keeping the
 * bridge conferences, as {@code focus.shutdown.expire-conferences = false} does); the second reads them, joins the
 * rooms again and re-uses the bridge conference (same meeting id) for the participants in the room, or expires it
 * when nobody comes back. Nothing is left behind on any bridge.
 */
class FocusRestartE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @TempDir
    Path dir;

    Main.Daemon daemon;
    final List<SimBridge> bridges = new ArrayList<>();
    final List<SimParticipant> participants = new ArrayList<>();

    @AfterEach
    void tearDown() {
        participants.forEach(SimParticipant::close);
        if (daemon != null) {
            daemon.stop();
        }
        bridges.forEach(SimBridge::close);
    }

    Main.Daemon startFocus(ProsodyServer server, String extra) throws Exception {
        return Main.Daemon.start(DaemonProcessE2ETest.configHolder(dir,
                ProsodyRestartE2ETest.conf(server, dir.resolve("state"), extra)), Clock.systemUTC());
    }

    SimBridge bridge(ProsodyServer server, String nick, double stress) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                .statsInterval(Duration.ofSeconds(1)));
        b.setStress(stress);
        bridges.add(b);
        return b;
    }

    List<SimParticipant> join(ProsodyServer server, String room, String... endpoints) {
        List<SimParticipant> joined = new ArrayList<>();
        for (String ep : endpoints) {
            SimParticipant p = SimParticipant.anonymous(server, ep, "eu-west");
            participants.add(p);
            joined.add(p);
            FocusReply reply = p.requestConference("focus@" + server.authDomain() + "/focus", room, Map.of(),
                    Duration.ofSeconds(20));
            assertTrue(reply.isResult() && reply.ready(), reply::toString);
            p.join(room);
        }
        return joined;
    }

    static Set<String> meetingIds(SimBridge b, String room) {
        return b.model().conferences().values().stream().filter(c -> room.equals(c.name()))
                .map(ConferenceState::meetingId).collect(Collectors.toSet());
    }

    @Test
    void theRestartedFocusTakesTheRoomBackOnTheSameBridgeConference() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        SimBridge jvb2 = bridge(server, "jvb2", 0.5);
        daemon = startFocus(server, "");
        String room = "takeback@" + server.conferenceMucDomain();
        join(server, room, "a1000001", "b2000002", "c3000003");
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await();
        Set<String> meeting = meetingIds(jvb1, room);
        assertEquals(1, meeting.size());

        daemon.stop();
        daemon = null;
        assertTrue(Files.readString(dir.resolve("state/conferences.json")).contains(meeting.iterator().next()));
        // the participants stay in the room (a stock client would leave on FOCUS_LEFT and reload)
        participants.forEach(p -> assertEquals(1, p.focusLeftCount()));
        int sessions = participants.get(0).sessionsStarted();

        long t0 = System.nanoTime();
        daemon = startFocus(server, "");
        // the old sessions keep the call complete on their own: taken back is re-invited by the new focus first
        await("re-invited").atMost(Duration.ofSeconds(30))
                .until(() -> participants.stream().allMatch(p -> p.sessionsStarted() > sessions));
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await(Duration.ofSeconds(30));
        System.out.printf("e2e: room taken back, call complete %d ms after the new focus started%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(meeting, meetingIds(jvb1, room), "the bridge conference is re-used, not made again");
        assertEquals(1, jvb1.model().conferences().size());
        assertEquals(meeting.iterator().next(), daemon.injector().getInstance(FocusConferences.class).manager()
                .conference(room).meetingId());
    }

    @Test
    void whenTheClientsComeBackAsNewOnesTheOldEndpointsAreExpiredAndNothingLeaks() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        daemon = startFocus(server, "focus.conference.rejoin-timeout = 3 seconds\n");
        String room = "reload@" + server.conferenceMucDomain();
        List<SimParticipant> first = join(server, room, "d4000004", "e5000005");
        CallAssertions.call(room).on(jvb1, first).await();
        String meeting = meetingIds(jvb1, room).iterator().next();

        daemon.stop();
        daemon = null;
        // as jitsi-meet on FOCUS_LEFT: leave, and come back later as new participants (new endpoint ids)
        first.forEach(SimParticipant::close);
        participants.clear();
        daemon = startFocus(server, "focus.conference.rejoin-timeout = 3 seconds\n");
        List<SimParticipant> again = join(server, room, "f6000006", "a7000007");
        // the new ones are placed in the conference the room had; the old endpoints are expired within the timeout
        CallAssertions.call(room).on(jvb1, again).await(Duration.ofSeconds(30));
        assertEquals(Set.of(meeting), meetingIds(jvb1, room));
        assertEquals(Set.of("f6000006", "a7000007"), jvb1.model().endpoints());
    }

    @Test
    void aRoomNobodyComesBackToIsExpiredOnItsBridge() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = bridge(server, "jvb1", 0.1);
        daemon = startFocus(server, "focus.conference.rejoin-timeout = 2 seconds\n");
        String room = "empty@" + server.conferenceMucDomain();
        List<SimParticipant> first = join(server, room, "b8000008", "c9000009");
        CallAssertions.call(room).on(jvb1, first).await();

        daemon.stop();
        daemon = null;
        first.forEach(SimParticipant::close);
        participants.clear();
        assertEquals(1, jvb1.model().conferences().size(), "the stopped focus left the conference on the bridge");
        daemon = startFocus(server, "focus.conference.rejoin-timeout = 2 seconds\n");
        var manager = daemon.injector().getInstance(FocusConferences.class).manager();
        await("taken back").atMost(Duration.ofSeconds(20)).until(() -> manager.conference(room) != null);
        await("expired").atMost(Duration.ofSeconds(20)).until(() -> jvb1.model().conferences().isEmpty()
                && manager.conference(room) == null);
    }
}
