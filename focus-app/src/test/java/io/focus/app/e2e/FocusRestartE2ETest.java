package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.wiring.FocusConferences;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    void startFocus(ProsodyServer server, String extra) throws Exception {
        focus.start(dir, ProsodyRestartE2ETest.conf(server, dir.resolve("state"), extra));
    }

    @Test
    void theRestartedFocusTakesTheRoomBackOnTheSameBridgeConference() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        SimBridge jvb2 = focus.bridge(server, "jvb2", 0.5);
        startFocus(server, "");
        String room = "takeback@" + server.conferenceMucDomain();
        List<SimParticipant> participants = focus.join(server, room, "eu-west", "a1000001", "b2000002", "c3000003");
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await();
        Set<String> meeting = ProsodyRestartE2ETest.meetingIds(jvb1, room);
        assertEquals(1, meeting.size());

        focus.stopDaemon();
        assertTrue(Files.readString(dir.resolve("state/conferences.json")).contains(meeting.iterator().next()));
        // the participants stay in the room (a stock client would leave on FOCUS_LEFT and reload); the focus's
        // unavailable presence reaches them through Prosody after the daemon has stopped, so wait for it
        await("focus left seen").atMost(Duration.ofSeconds(10))
                .until(() -> participants.stream().allMatch(p -> p.focusLeftCount() >= 1));
        participants.forEach(p -> assertEquals(1, p.focusLeftCount(), "the focus left once"));
        int sessions = participants.get(0).sessionsStarted();

        long t0 = System.nanoTime();
        startFocus(server, "");
        // the old sessions keep the call complete on their own: taken back is re-invited by the new focus first
        await("re-invited").atMost(Duration.ofSeconds(30))
                .until(() -> participants.stream().allMatch(p -> p.sessionsStarted() > sessions));
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await(Duration.ofSeconds(30));
        System.out.printf("e2e: room taken back, call complete %d ms after the new focus started%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(meeting, ProsodyRestartE2ETest.meetingIds(jvb1, room), "the bridge conference is re-used, not made again");
        assertEquals(1, jvb1.model().conferences().size());
        assertEquals(meeting.iterator().next(), focus.get(FocusConferences.class).manager()
                .conference(room).meetingId());
    }

    @Test
    void whenTheClientsComeBackAsNewOnesTheOldEndpointsAreExpiredAndNothingLeaks() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        startFocus(server, "focus.conference.rejoin-timeout = 3 seconds\n");
        String room = "reload@" + server.conferenceMucDomain();
        List<SimParticipant> first = focus.join(server, room, "eu-west", "d4000004", "e5000005");
        CallAssertions.call(room).on(jvb1, first).await();
        String meeting = ProsodyRestartE2ETest.meetingIds(jvb1, room).iterator().next();

        focus.stopDaemon();
        // as jitsi-meet on FOCUS_LEFT: leave, and come back later as new participants (new endpoint ids)
        first.forEach(SimParticipant::close);
        focus.participants().clear();
        startFocus(server, "focus.conference.rejoin-timeout = 3 seconds\n");
        List<SimParticipant> again = focus.join(server, room, "eu-west", "f6000006", "a7000007");
        // the new ones are placed in the conference the room had; the old endpoints are expired within the timeout
        CallAssertions.call(room).on(jvb1, again).await(Duration.ofSeconds(30));
        assertEquals(Set.of(meeting), ProsodyRestartE2ETest.meetingIds(jvb1, room));
        assertEquals(Set.of("f6000006", "a7000007"), jvb1.model().endpoints());
    }

    @Test
    void aRoomNobodyComesBackToIsExpiredOnItsBridge() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        startFocus(server, "focus.conference.rejoin-timeout = 2 seconds\n");
        String room = "empty@" + server.conferenceMucDomain();
        List<SimParticipant> first = focus.join(server, room, "eu-west", "b8000008", "c9000009");
        CallAssertions.call(room).on(jvb1, first).await();

        focus.stopDaemon();
        first.forEach(SimParticipant::close);
        focus.participants().clear();
        assertEquals(1, jvb1.model().conferences().size(), "the stopped focus left the conference on the bridge");
        startFocus(server, "focus.conference.rejoin-timeout = 2 seconds\n");
        var manager = focus.get(FocusConferences.class).manager();
        await("taken back").atMost(Duration.ofSeconds(20)).until(() -> manager.conference(room) != null);
        await("expired").atMost(Duration.ofSeconds(20)).until(() -> jvb1.model().conferences().isEmpty()
                && manager.conference(room) == null);
    }
}
