package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.wiring.FocusConferences;
import io.focus.app.wiring.XmppService;
import io.focus.conference.ConferenceView;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
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
    // per test (it is restarted); the fixture after it, so that all is closed while Prosody runs
    @RegisterExtension
    @Order(1)
    ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    @Order(2)
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    static String conf(ProsodyServer server, Path state, String extra) {
        return DaemonFixture.jicofoConf(server, 0) + "focus.state.directory = \"" + state + "\"\n" + extra;
    }

    void startFocus(ProsodyServer server, String extra) throws Exception {
        focus.start(dir, conf(server, dir.resolve("state"), extra));
    }

    String startCall(ProsodyServer server, String name, boolean rejoin, String... endpoints) {
        String room = name + "@" + server.conferenceMucDomain();
        for (String ep : endpoints) {
            SimParticipant p = focus.participant(server, ep, "eu-west");
            if (rejoin) {
                p.rejoinAfterConnectionLoss(DaemonFixture.focusJid(server), Duration.ZERO);
            }
            DaemonFixture.enter(p, server, room);
        }
        return room;
    }

    static Set<String> meetingIds(SimBridge b, String room) {
        return b.model().conferences().values().stream().filter(c -> room.equals(c.name()))
                .map(ConferenceState::meetingId).collect(Collectors.toSet());
    }

    @Test
    void afterAProsodyRestartEveryCallIsCompleteAgainOnTheSameBridgeConference() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        SimBridge jvb2 = focus.bridge(server, "jvb2", 0.5);
        startFocus(server, "");
        String room = startCall(server, "restart", true, "aaaa0001", "bbbb0002", "cccc0003");
        CallAssertions.call(room).on(jvb1, focus.participants()).andNothingOn(jvb2).await();
        Set<String> before = meetingIds(jvb1, room);
        assertEquals(1, before.size(), before::toString);

        long t0 = System.nanoTime();
        server.restart();
        // every participant came back (a new session each) and the call is complete again, on the same conference
        await("rejoined").atMost(Duration.ofSeconds(30))
                .until(() -> focus.participants().stream().allMatch(p -> p.rejoinCount() == 1));
        CallAssertions.call(room).on(jvb1, focus.participants()).andNothingOn(jvb2).await(Duration.ofSeconds(30));
        System.out.printf("e2e: call complete again %d ms after the Prosody restart began%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(before, meetingIds(jvb1, room), "the bridge conference that held the call is re-used");
        assertEquals(Set.of(), meetingIds(jvb2, room));
        ConferenceView v = focus.get(FocusConferences.class).manager().conference(room);
        assertEquals(before, Set.of(v.meetingId()));
        assertEquals(1, jvb1.model().conferences().size(), "nothing else on the bridge");
    }

    @Test
    void whenOnlyTheFocusConnectionBlinksNobodyIsReSignalled() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        startFocus(server, "");
        String room = startCall(server, "blink", true, "dddd0001", "eeee0002");
        CallAssertions.call(room).on(jvb1, focus.participants()).await();
        Map<String, Integer> jingle = new LinkedHashMap<>();
        focus.participants().forEach(p -> jingle.put(p.endpointId(), p.jingleReceived().size()));
        String meeting = meetingIds(jvb1, room).iterator().next();

        XmppService xmpp = focus.get(XmppService.class);
        long losses = xmpp.client().losses();
        xmpp.client().simulateConnectionLoss();
        await("focus back").atMost(Duration.ofSeconds(20)).until(() -> xmpp.client().losses() == losses + 1
                && xmpp.client().isReady());
        // the focus is back in the room: a conference request is answered ready, and it still sees both occupants
        FocusReply reply = focus.participants().get(0).requestConference(DaemonFixture.focusJid(server), room,
                Map.of(), Duration.ofSeconds(20));
        assertTrue(reply.isResult() && reply.ready(), reply::toString);
        await("both still in the conference").atMost(Duration.ofSeconds(10)).until(() -> focus
                .get(FocusConferences.class).manager().conference(room).participants().size() == 2);
        CallAssertions.call(room).on(jvb1, focus.participants()).await();
        // the clients saw the focus leave once (a stock client would fail the conference: FOCUS_LEFT), but nobody
        // was re-signalled: their sessions stood
        focus.participants().forEach(p -> assertEquals(1, p.focusLeftCount(), p.endpointId()));
        focus.participants().forEach(p -> assertEquals(jingle.get(p.endpointId()), p.jingleReceived().size(),
                () -> p.endpointId() + " got " + p.jingleReceived()));
        focus.participants().forEach(p -> assertEquals(0, p.rejoinCount()));
        assertEquals(Set.of(meeting), meetingIds(jvb1, room));
    }

    @Test
    void aConferenceNobodyComesBackToEndsAndIsExpiredOnItsBridge() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.1);
        startFocus(server, "focus.conference.rejoin-timeout = 3 seconds\n");
        String room = startCall(server, "gone", false, "ffff0001", "abab0002");
        CallAssertions.call(room).on(jvb1, focus.participants()).await();

        server.restart();
        var manager = focus.get(FocusConferences.class).manager();
        await("ended").atMost(Duration.ofSeconds(30)).until(() -> manager.conference(room) == null);
        await("expired on jvb1").atMost(Duration.ofSeconds(10)).until(() -> jvb1.model().conferences().isEmpty());
    }
}
