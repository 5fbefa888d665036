package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RoomRecovery} and {@link ConferenceRestore} on fakes: what a conference does when the focus's connection is
 * lost and comes back (the room still there, or created anew after a server restart), when the server takes
 * participants out while shutting down, and when a restarted focus takes a saved conference back.
 */
class RoomRecoveryTest {
    final Harness h = new Harness();
    BridgeState jvb1;
    BridgeState jvb2;
    final Duration rejoin = RecoverySettings.defaults().rejoinTimeout();

    @BeforeEach
    void bridges() {
        jvb1 = h.bridges.add("jvb1", 0.1, "eu");
        jvb2 = h.bridges.add("jvb2", 0.5, "eu");
    }

    FakeRooms.Room call(String name, String... nicks) {
        FakeRooms.Room r = h.conference(name);
        for (String n : nicks) {
            r.joinAs(n, n + "@guest/1");
        }
        h.loop.runPending();
        assertEquals(nicks.length, h.placement(name).size());
        h.signals.clear();
        h.backend.calls.clear();
        return r;
    }

    void lose() {
        h.manager.roomsLost("test");
        h.loop.runPending();
    }

    void back() {
        h.manager.roomsBack(false);
        h.loop.runPending();
    }

    @Test
    void aRequestIsAnsweredReadyOnlyOnceTheFocusIsBackInTheRoom() {
        FakeRooms.Room r = call("c", "a", "b");
        lose();
        assertEquals(1, r.connectionLosses);
        CompletableFuture<ConferenceRequestResult> f = h.manager.requestConference(Harness.room("c"), Map.of());
        h.loop.runPending();
        assertFalse(f.isDone(), "not ready while the focus is out of the room");
        back();
        assertTrue(f.join().ready());
        assertEquals(2, r.joins);
    }

    @Test
    void afterABlinkWhoeverIsStillThereIsNotReSignalledLeaversAreRemovedAndNewSessionsReSignalled() {
        FakeRooms.Room r = call("c", "a", "b", "x");
        lose();
        r.present.remove("x");                       // left while the focus was away
        r.reconnectedMeanwhile("b", "b@guest/2");    // its client reconnected: a new session
        back();
        assertEquals(Set.of("a", "b"), h.placement("c").keySet());
        assertTrue(h.signals.contains("removed x"), h.signals::toString);
        assertTrue(h.signals.contains("lost b") && h.signals.contains("placed b jvb1"), h.signals::toString);
        assertTrue(h.signals.stream().noneMatch(s -> s.endsWith(" a") || s.contains(" a ")), "a keeps its session: "
                + h.signals);
        assertTrue(h.backend.calls.contains("jvb1 allocate b replace"), h.backend.calls::toString);
        assertTrue(h.backend.calls.contains("jvb1 expire x"), h.backend.calls::toString);
        h.assertBridgesMatchFocus();
    }

    @Test
    void afterAServerRestartEachReturningParticipantGetsAFreshEndpointInTheSameConference() {
        FakeRooms.Room r = call("c", "a", "b");
        String meeting = h.view("c").meetingId();
        lose();
        r.nextJoinCreates = true;
        back();
        // both away: their sessions are forgotten, their endpoints stay on the bridge
        assertTrue(h.signals.containsAll(List.of("lost a", "lost b")), h.signals::toString);
        assertEquals(Set.of("a", "b"), h.backend.endpointsOn(jvb1.id()));
        assertTrue(h.backend.calls.isEmpty(), h.backend.calls::toString);

        r.joinAs("a", "a@guest/2");
        h.loop.runPending();
        assertEquals(List.of("jvb1 allocate a replace"), h.backend.calls, "replaced in the same conference, no create");
        assertTrue(h.signals.contains("placed a jvb1"), h.signals::toString);
        assertEquals(meeting, h.view("c").meetingId());

        // b is not back within the rejoin timeout: removed, its endpoint expired; the conference goes on
        h.loop.advance(rejoin);
        assertEquals(Set.of("a"), h.placement("c").keySet());
        assertEquals(Set.of("a"), h.backend.endpointsOn(jvb1.id()));
        assertEquals(1, h.backend.conferencesOn(jvb1.id()));
        h.assertBridgesMatchFocus();
    }

    @Test
    void aConferenceNobodyComesBackToEndsAndIsExpiredOnItsBridge() {
        FakeRooms.Room r = call("c", "a", "b");
        lose();
        r.nextJoinCreates = true;
        back();
        h.loop.advance(rejoin.minusSeconds(1));
        assertNotNull(h.view("c"), "kept while they may come back");
        h.loop.advance(Duration.ofSeconds(1));
        assertNull(h.view("c"));
        assertEquals(0, h.backend.conferencesOn(jvb1.id()));
        assertTrue(r.left);
    }

    @Test
    void participantsTheServerTakesOutWhileShuttingDownAreAwayNotGone() {
        FakeRooms.Room r = call("c", "a", "b");
        r.listener.occupantDropped("b", "Disconnected: Received SIGTERM");
        h.loop.runPending();
        assertEquals(Set.of("a", "b"), h.placement("c").keySet());
        assertEquals(List.of("lost b"), h.signals);
        assertTrue(h.backend.calls.isEmpty(), "nothing expired: " + h.backend.calls);
        r.joinAs("b", "b@guest/2");
        h.loop.runPending();
        assertEquals(List.of("jvb1 allocate b replace"), h.backend.calls);
    }

    @Test
    void theTimeToComeBackCountsFromWhenTheFocusIsBackInTheRoom() {
        FakeRooms.Room r = call("c", "a", "b");
        r.listener.occupantDropped("a", "Disconnected: Received SIGTERM");
        r.listener.occupantDropped("b", "Disconnected: Received SIGTERM");
        lose();
        h.loop.advance(rejoin.plusSeconds(10));   // the server takes long to come back
        assertNotNull(h.view("c"), "nobody could come back while the server was away");
        r.nextJoinCreates = true;
        back();
        r.joinAs("a", "a@guest/2");
        h.loop.advance(rejoin.minusSeconds(1));
        assertEquals(Set.of("a", "b"), h.view("c").participants().stream().map(ParticipantView::id)
                .collect(java.util.stream.Collectors.toSet()));
        h.loop.advance(Duration.ofSeconds(1));
        assertEquals(Set.of("a"), h.placement("c").keySet());
    }

    @Test
    void aRestartedFocusReUsesOneBridgeConferenceAndExpiresTheRest() {
        String room = Harness.room("saved");
        // what the previous process left: its conference on jvb1 (a, b, gone) and on jvb2 (c)
        FakeBackend.Conf onJvb1 = new FakeBackend.Conf();
        onJvb1.endpoints.addAll(List.of("a", "b", "gone"));
        h.backend.model.computeIfAbsent(jvb1.id(), k -> new java.util.LinkedHashMap<>()).put("mid-1", onJvb1);
        FakeBackend.Conf onJvb2 = new FakeBackend.Conf();
        onJvb2.endpoints.add("c");
        h.backend.model.computeIfAbsent(jvb2.id(), k -> new java.util.LinkedHashMap<>()).put("mid-1", onJvb2);

        CompletableFuture<Integer> n = h.manager.restore(List.of(new SavedConference(room, "mid-1", List.of(
                new SavedConference.Bridge(jvb1.id(), "jvb1", "jvb1", List.of("a", "b", "gone")),
                new SavedConference.Bridge(jvb2.id(), "jvb2", "jvb2", List.of("c"))))));
        h.loop.runPending();
        assertEquals(1, n.join());
        assertEquals("mid-1", h.view("saved").meetingId());
        assertEquals(0, h.backend.conferencesOn(jvb2.id()), "the smaller conference is expired");
        FakeRooms.Room r = h.rooms.room(room);
        r.joinAs("a", "a@guest/1");
        r.joinAs("b", "b@guest/1");
        h.loop.runPending();
        assertTrue(h.backend.calls.containsAll(List.of("jvb1 allocate a replace", "jvb1 allocate b replace")),
                h.backend.calls::toString);
        assertTrue(h.backend.calls.stream().noneMatch(c -> c.contains("create")), h.backend.calls::toString);
        assertEquals(Map.of("a", "jvb1", "b", "jvb1"), h.placement("saved"));

        h.loop.advance(rejoin);
        assertEquals(Set.of("a", "b"), h.backend.endpointsOn(jvb1.id()), "the endpoint nobody came back for expired");
        h.assertBridgesMatchFocus();
    }

    @Test
    void aSavedConferenceNobodyComesBackToIsExpired() {
        String room = Harness.room("empty");
        FakeBackend.Conf onJvb1 = new FakeBackend.Conf();
        onJvb1.endpoints.addAll(List.of("a", "b"));
        h.backend.model.computeIfAbsent(jvb1.id(), k -> new java.util.LinkedHashMap<>()).put("mid-2", onJvb1);
        h.manager.restore(List.of(new SavedConference(room, "mid-2", List.of(
                new SavedConference.Bridge(jvb1.id(), "jvb1", null, List.of("a", "b"))))));
        h.loop.runPending();
        assertNotNull(h.view("empty"));
        h.loop.advance(rejoin);
        assertNull(h.view("empty"));
        assertEquals(0, h.backend.conferencesOn(jvb1.id()));
    }
}
