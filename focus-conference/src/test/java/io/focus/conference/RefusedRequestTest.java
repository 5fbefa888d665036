package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.colibri.IceUdpTransport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests a bridge refuses because of the request (AllocationErrorPolicy's REQUEST rows): adapted or refused, counted,
 * never reported as a failed bridge.
 */
class RefusedRequestTest {
    static double refused(Harness h, String request, String condition) {
        Double v = h.registry.getSampleValue("focus_colibri_request_refused_total",
                new String[] {"request", "condition"}, new String[] {request, condition});
        return v == null ? 0 : v;
    }

    static double sctpFallbacks(Harness h, String request) {
        Double v = h.registry.getSampleValue("focus_colibri_sctp_fallbacks_total", new String[] {"request"},
                new String[] {request});
        return v == null ? 0 : v;
    }

    static List<FakeBackend.Request> requests(Harness h, String bridge, String op, String id) {
        return h.backend.requests.stream()
                .filter(r -> r.bridge().equals(bridge) && r.op().equals(op) && (id == null || r.id().equals(id)))
                .toList();
    }

    @Test
    void aBridgeWithoutSctpGetsTheSameEndpointsWithoutSctpAndWithoutASecondCreateAndStaysHealthy() {
        Harness h = new Harness();  // jicofo.sctp.enabled = true
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.backend.noSctp.add(FakeBridges.id("jvb1"));
        h.conference("c1", "p1", null, "p2", null);

        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"), "placed on the bridge that refused SCTP");
        assertEquals(List.of(), h.feedback, "the bridge is not failed");
        assertEquals(1, requests(h, "jvb1", "allocate", null).stream().filter(FakeBackend.Request::create).count(),
                "create is never sent again: the bridge created the conference with the refused request");
        for (String p : List.of("p1", "p2")) {
            List<FakeBackend.Request> rs = requests(h, "jvb1", "allocate", p);
            assertEquals(2, rs.size(), p + ": refused with SCTP, then allocated without");
            assertTrue(rs.get(0).sctp());
            assertFalse(rs.get(1).sctp(), "the retry asks for no SCTP");
            assertFalse(rs.get(1).create());
            assertTrue(h.backend.calls.contains("jvb1 allocate " + p + " replace"),
                    "the refused request left the endpoint on the bridge: the retry replaces it");
            assertNull(h.view("c1").participant(p).allocation().sctpPort(), "so the offer has no data channel");
        }
        assertEquals(java.util.Set.of("p1", "p2"), h.backend.model.get(FakeBridges.id("jvb1")).values().iterator()
                .next().endpoints, "each endpoint once on the bridge");
        assertEquals(2, refused(h, "allocate", "feature-not-implemented"));
        assertEquals(2, sctpFallbacks(h, "allocate"));

        // A later participant on that bridge is allocated without SCTP at once.
        h.rooms.room(Harness.room("c1")).join("p3", null);
        h.loop.runPending();
        assertEquals("jvb1", h.placement("c1").get("p3"));
        List<FakeBackend.Request> p3 = requests(h, "jvb1", "allocate", "p3");
        assertEquals(1, p3.size());
        assertFalse(p3.get(0).sctp());
        // ... and so is one of another conference.
        h.conference("c2", "q1", null, "q2", null);
        assertEquals(Map.of("q1", "jvb1", "q2", "jvb1"), h.placement("c2"));
        assertTrue(requests(h, "jvb1", "allocate", "q1").stream().noneMatch(FakeBackend.Request::sctp));
        assertEquals(2, sctpFallbacks(h, "allocate"), "nothing refused any more");
        assertEquals(List.of(), h.feedback);
        assertEquals(0, h.counter("jitsi_jicofo_bridges_removed_total"));
        // The far end: the bridge holds every endpoint, none with SCTP.
        String meeting = h.view("c1").meetingId();
        assertEquals(Map.of("p1", false, "p2", false, "p3", false),
                h.backend.model.get(FakeBridges.id("jvb1")).get(meeting).endpointSctp);
        h.assertBridgesMatchFocus();
    }

    @Test
    void aBridgeWithSctpStillGetsSctp() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.conference("c1", "p1", null, "p2", null);
        assertTrue(h.backend.requests.stream().allMatch(FakeBackend.Request::sctp));
        assertEquals(5000, h.view("c1").participant("p1").allocation().sctpPort());
        assertEquals(0, sctpFallbacks(h, "allocate"));
    }

    @Test
    void conferenceAlreadyThereIsUsedAndAStaleEndpointIsExpiredFirst() {
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        var f = h.manager.requestConference(Harness.room("c1"), Map.of());
        h.loop.runPending();
        String meeting = f.join().meetingId();
        // The bridge already has this conference, with a stale endpoint p1 (e.g. a create whose reply was lost).
        FakeBackend.Conf stale = new FakeBackend.Conf();
        stale.endpoints.add("p1");
        h.backend.model.computeIfAbsent(FakeBridges.id("jvb1"), k -> new java.util.LinkedHashMap<>()).put(meeting, stale);
        FakeRooms.Room r = h.rooms.room(Harness.room("c1"));
        r.join("p1", null);
        r.join("p2", null);
        h.loop.runPending();

        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        // the stale endpoint is expired in the same request that creates it again (as two requests, a bridge would
        // expire a conference the expire left empty)
        assertEquals(List.of("jvb1 allocate p1 create", "jvb1 allocate p2", "jvb1 allocate p1",
                "jvb1 allocate p1 replace"), h.backend.calls.subList(0, 4));
        assertEquals(List.of(), h.feedback);
        assertEquals(1, refused(h, "allocate", "conflict/conference_already_exists"));
        assertEquals(1, refused(h, "allocate", "conflict"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void unknownEndpointOnAnUpdateRestartsOnlyThatParticipantAndIsCountedNotFailed() {
        Harness h = Harness.octo();
        h.bridges.add("jvb1", 0.1, null);
        h.bridges.add("jvb2", 0.2, null);
        h.conference("c1", "a", null, "b", null);
        String meeting = h.view("c1").meetingId();
        h.backend.model.get(FakeBridges.id("jvb1")).get(meeting).endpoints.remove("a");  // the bridge lost it
        IceUdpTransport t = IceUdpTransport.builder().ufrag("u").pwd("p").build();
        assertTrue(h.manager.participantMedia(Harness.room("c1"), "a", t, SignallingHooksTest.sources(11)));
        h.loop.runPending();

        assertEquals(1, refused(h, "update", "item-not-found/unknown_endpoint"));
        assertEquals(List.of(), h.feedback);
        assertEquals(Map.of("a", "jvb2", "b", "jvb1"), h.placement("c1"), "a gets a fresh endpoint; b stays");
        h.assertBridgesMatchFocus();
    }
}
