package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
    @Test
    void nobodyIsPlacedBeforeMinParticipantsThenAllOnTheLeastStressedBridge() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.5, null);
        h.bridges.add("jvb2", 0.1, null);
        h.bridges.add("jvb3", 0.3, null);
        FakeRooms.Room r = h.conference("c1", "p1", null);
        assertEquals(ParticipantView.State.WAITING, h.view("c1").participant("p1").state());
        assertTrue(h.backend.calls.isEmpty());

        r.join("p2", null);
        r.join("p3", null);
        h.loop.runPending();

        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), h.placement("c1"));
        assertEquals(List.of("jvb2 allocate p1 create", "jvb2 allocate p2", "jvb2 allocate p3"), h.backend.calls);
        assertEquals(1, r.bridgeCount);
        assertFalse(r.bridgeNotAvailable);
        assertEquals(List.of("p1"), r.owners);
        ParticipantView p1 = h.view("c1").participant("p1");
        assertEquals(h.view("c1").bridges().get(0).sessionId(), p1.allocation().bridgeSessionId());
        assertEquals("jvb2", p1.allocation().bridgeNick());
        assertTrue(h.signals.containsAll(List.of("placed p1 jvb2", "placed p2 jvb2", "placed p3 jvb2")));
        h.assertBridgesMatchFocus();
    }

    @Test
    void regionConferenceSpreadsWithRelaysInBothDirections() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, "us-east");
        h.bridges.add("jvb2", 0.1, "eu-west");
        h.conference("c1", "a", "us-east", "b", "eu-west", "c", "eu-west");

        assertEquals(Map.of("a", "jvb1", "b", "jvb2", "c", "jvb2"), h.placement("c1"));
        String meeting = h.view("c1").meetingId();
        assertEquals(Map.of("jvb2", Set.of("b", "c")), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting));
        assertEquals(Map.of("jvb1", Set.of("a")), h.backend.relaysOn(FakeBridges.id("jvb2"), meeting));
        // Each side got the other's transport.
        assertEquals("jvb2", h.backend.model.get(FakeBridges.id("jvb1")).get(meeting).relayTransports.get("jvb2"));
        assertEquals("jvb1", h.backend.model.get(FakeBridges.id("jvb2")).get(meeting).relayTransports.get("jvb1"));
        assertEquals(2, h.rooms.room(Harness.room("c1")).bridgeCount);
        h.assertBridgesMatchFocus();

        // A leaving participant disappears from the relay on the other bridge.
        h.rooms.room(Harness.room("c1")).leave("c");
        h.loop.runPending();
        assertEquals(Map.of("jvb2", Set.of("b")), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting));
        h.assertBridgesMatchFocus();

        // The last one on jvb2 leaving expires the conference there and the relay on jvb1.
        h.rooms.room(Harness.room("c1")).leave("b");
        h.loop.runPending();
        assertEquals(0, h.backend.conferencesOn(FakeBridges.id("jvb2")));
        assertEquals(Map.of(), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting));
        assertEquals(1, h.rooms.room(Harness.room("c1")).bridgeCount);
        h.assertBridgesMatchFocus();
    }

    @Test
    void withoutOctoAConferenceStaysOnOneBridge() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, "us-east");
        h.bridges.add("jvb2", 0.1, "eu-west");
        h.conference("c1", "a", "us-east", "b", "eu-west");
        // The test selector would pick eu-west for b; the conference cannot spread, so b waits.
        assertEquals(Map.of("a", "jvb1"), h.placement("c1"));
        assertEquals(ParticipantView.State.NO_BRIDGE, h.view("c1").participant("b").state());
        assertTrue(h.rooms.room(Harness.room("c1")).bridgeNotAvailable);
    }

    @Test
    void lastParticipantLeavingEndsTheConferenceAndExpiresItOnTheBridge() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "p1", null, "p2", null);
        r.leave("p1");
        h.loop.runPending();
        assertEquals(Set.of("p2"), h.backend.endpointsOn(FakeBridges.id("jvb1")));
        assertTrue(h.backend.calls.contains("jvb1 expire p1"));
        assertEquals(List.of("p1", "p2"), r.owners, "ownership passes to the next participant");
        r.leave("p2");
        h.loop.runPending();
        assertNull(h.view("c1"));
        assertTrue(r.left);
        assertEquals(0, h.backend.conferencesOn(FakeBridges.id("jvb1")));
        assertEquals(0, h.manager.conferenceCount());
    }

    @Test
    void initialTimeoutEndsAConferenceNobodyJoined() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        h.conference("c1");
        h.loop.advance(Duration.ofSeconds(14));
        assertTrue(h.view("c1") != null);
        h.loop.advance(Duration.ofSeconds(2));
        assertNull(h.view("c1"));
        assertTrue(h.rooms.room(Harness.room("c1")).left);
    }

    @Test
    void singleParticipantTimeoutReleasesTheLoneParticipantsAllocation() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        FakeRooms.Room r = h.conference("c1", "p1", null, "p2", null);
        r.leave("p2");
        h.loop.runPending();
        h.loop.advance(Duration.ofSeconds(19));
        assertEquals(ParticipantView.State.PLACED, h.view("c1").participant("p1").state());
        h.loop.advance(Duration.ofSeconds(2));
        assertEquals(ParticipantView.State.WAITING, h.view("c1").participant("p1").state());
        assertEquals(0, h.backend.conferencesOn(FakeBridges.id("jvb1")));
        assertTrue(h.signals.contains("removed p1"));
        // Someone joins again: both are placed.
        r.join("p3", null);
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb1", "p3", "jvb1"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void aLateAllocationForSomeoneWhoLeftIsExpired() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.1, null);
        h.backend.hung.add(FakeBridges.id("jvb1"));
        FakeRooms.Room r = h.conference("c1", "p1", null, "p2", null, "p3", null);
        assertEquals(3, h.backend.held.size());
        // p3 leaves while its allocation is in flight; then the bridge answers everything.
        r.leave("p3");
        h.loop.runPending();
        h.backend.hung.clear();
        h.backend.answerHeld();
        h.loop.runPending();
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        assertTrue(h.backend.calls.contains("jvb1 expire p3"));
        h.assertBridgesMatchFocus();
    }
}
