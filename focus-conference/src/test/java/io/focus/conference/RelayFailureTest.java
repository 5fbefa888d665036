package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A relay that fails to come up never costs a healthy bridge its participants ({@link RelayMesh}). */
class RelayFailureTest {
    static Harness twoBridges(ConferenceSettings settings) {
        Harness h = new Harness(settings.withOcto(true));
        h.bridges.add("jvb1", 0.1, "r1");
        h.bridges.add("jvb2", 0.1, "r2");
        return h;
    }

    static long relayCreates(Harness h, String bridge) {
        return h.backend.calls.stream().filter(c -> c.startsWith(bridge + " relay-create")).count();
    }

    static void assertNobodyMoved(Harness h) {
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb2"), h.placement("c1"), "participants stay where they are");
        assertEquals(0, h.counter("jitsi_jicofo_participants_moved_total"));
        assertEquals(0, h.counter("jitsi_jicofo_bridges_removed_total"), "no bridge left the conference");
        assertEquals(2, h.view("c1").bridges().size());
    }

    @Test
    void aRelayThatKeepsFailingIsRetriedWithBackoffThenLeftDownWhileEveryoneStays() {
        Harness h = twoBridges(ConferenceSettings.defaults(Harness.MUC));  // 3 attempts, 1 s backoff doubling
        h.backend.faults.put(FakeBridges.id("jvb2"), op -> op.startsWith("relay-create")
                ? ColibriException.error("internal-server-error", null, "boom") : null);
        h.conference("c1", "p1", "r1", "p2", "r2");

        assertNobodyMoved(h);
        assertEquals(1, relayCreates(h, "jvb2"));
        h.loop.advance(Duration.ofMillis(999));
        assertEquals(1, relayCreates(h, "jvb2"));
        h.loop.advance(Duration.ofMillis(1));
        assertEquals(2, relayCreates(h, "jvb2"), "second attempt after 1 s");
        h.loop.advance(Duration.ofMillis(2000));
        assertEquals(3, relayCreates(h, "jvb2"), "third after 2 s more");
        h.loop.advance(Duration.ofMinutes(1));
        assertEquals(3, relayCreates(h, "jvb2"), "focus.octo.relay-max-attempts bounds the attempts");

        assertNobodyMoved(h);
        assertEquals(List.of(), h.feedback, "an error that is not a timeout is no evidence against the bridge");
        assertEquals(1, h.counter("focus_relay_failures_total"));
        assertEquals(List.of("jvb1"), h.view("c1").bridge(FakeBridges.id("jvb2")).failedRelays());
        assertEquals(List.of("jvb2"), h.view("c1").bridge(FakeBridges.id("jvb1")).failedRelays());
        assertEquals(0, h.loop.pendingTimers());
        // Both relays were expired: the fakes hold no half relay.
        h.assertBridgesMatchFocus();
    }

    @Test
    void aRelayTimeoutCountsAgainstThatBridgeOnlyAndTheRelayIsRetried() {
        Harness h = twoBridges(ConferenceSettings.defaults(Harness.MUC));
        AtomicInteger left = new AtomicInteger(1);
        h.backend.faults.put(FakeBridges.id("jvb2"), op -> op.startsWith("relay-create") && left.getAndDecrement() > 0
                ? ColibriException.timeout("no reply from jvb2") : null);
        h.conference("c1", "p1", "r1", "p2", "r2");
        assertEquals(List.of("failed jvb2"), h.feedback);
        assertNobodyMoved(h);

        h.loop.advance(Duration.ofSeconds(1));
        assertEquals(2, relayCreates(h, "jvb2"));
        assertNobodyMoved(h);
        String meeting = h.view("c1").meetingId();
        assertEquals(Map.of("jvb2", Set.of("p2")), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting));
        assertEquals(Map.of("jvb1", Set.of("p1")), h.backend.relaysOn(FakeBridges.id("jvb2"), meeting));
        assertEquals(List.of(), h.view("c1").bridge(FakeBridges.id("jvb2")).failedRelays());
        assertEquals(0, h.counter("focus_relay_failures_total"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void aRelaySctpRefusalIsRetriedAtOnceWithoutSctpAndRemembered() {
        // Participants without SCTP, relays with it (jicofo.octo.sctp-datachannels = true set explicitly).
        Harness h = twoBridges(ConferenceSettings.defaults(Harness.MUC).withSctp(false, true));
        h.backend.noSctp.add(FakeBridges.id("jvb2"));
        h.conference("c1", "p1", "r1", "p2", "r2");

        assertNobodyMoved(h);
        assertEquals(List.of(), h.feedback);
        List<FakeBackend.Request> creates = h.backend.requests.stream()
                .filter(r -> r.op().equals("relay-create")).toList();
        assertTrue(creates.get(0).sctp(), "first asked with SCTP: " + creates);
        List<FakeBackend.Request> after = creates.subList(2, creates.size());
        assertEquals(2, after.size(), "one new pair: " + creates);
        assertTrue(after.stream().noneMatch(FakeBackend.Request::sctp), "then both sides without: " + creates);
        String meeting = h.view("c1").meetingId();
        assertEquals(Map.of("jvb2", Set.of("p2")), h.backend.relaysOn(FakeBridges.id("jvb1"), meeting));
        assertEquals(Map.of("jvb1", Set.of("p1")), h.backend.relaysOn(FakeBridges.id("jvb2"), meeting));
        assertEquals(1, RefusedRequestTest.sctpFallbacks(h, "relay"));
        assertEquals(1, RefusedRequestTest.refused(h, "relay", "feature-not-implemented"));
        assertEquals(0, h.loop.pendingTimers());

        // Another conference on the same bridges: its relays ask for no SCTP from the start.
        h.backend.requests.clear();
        h.conference("c2", "q1", "r1", "q2", "r2");
        assertFalse(h.backend.requests.stream().filter(r -> r.op().equals("relay-create")).toList().isEmpty());
        assertTrue(h.backend.requests.stream().filter(r -> r.op().equals("relay-create"))
                .noneMatch(FakeBackend.Request::sctp));
        assertEquals(1, RefusedRequestTest.sctpFallbacks(h, "relay"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void anotherRefusedRelayRequestIsRetriedOnceThenLeftDown() {
        Harness h = twoBridges(ConferenceSettings.defaults(Harness.MUC));
        h.backend.faults.put(FakeBridges.id("jvb2"), op -> op.startsWith("relay-create")
                ? ColibriException.error("bad-request", null, "no") : null);
        h.conference("c1", "p1", "r1", "p2", "r2");
        h.loop.advance(Duration.ofMinutes(1));

        assertEquals(2, relayCreates(h, "jvb2"), "the first attempt and one retry");
        assertNobodyMoved(h);
        assertEquals(List.of(), h.feedback);
        assertEquals(2, RefusedRequestTest.refused(h, "relay", "bad-request"));
        assertEquals(1, h.counter("focus_relay_failures_total"));
        h.assertBridgesMatchFocus();
    }

    @Test
    void conferenceNotFoundOnARelayMovesThatBridgesParticipantsOnly() {
        Harness h = twoBridges(ConferenceSettings.defaults(Harness.MUC));
        h.conference("c1", "p1", "r1", "p2", "r2");
        h.backend.restart(FakeBridges.id("jvb2"));  // jvb2 lost the conference
        h.rooms.room(Harness.room("c1")).join("p3", "r1");  // p3 on jvb1 is announced on jvb2's relay
        h.loop.runPending();

        assertEquals(List.of("restarted jvb2"), h.feedback);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1", "p3", "jvb1"), h.placement("c1"));
        h.assertBridgesMatchFocus();
    }
}
