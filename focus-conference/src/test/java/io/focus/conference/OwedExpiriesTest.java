package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.testing.ManualLoop;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ledger of expiries owed to bridges, against {@link FakeBackend}'s model of the bridges: what is owed, when it
 * is sent again, what settles, voids or drops it, and its bound.
 */
class OwedExpiriesTest {
    static final String P = "[room=r1@conference.meet.test]";
    final ManualLoop loop = new ManualLoop();
    final FakeBridges bridges = new FakeBridges();
    final FakeBackend backend = new FakeBackend();
    final CollectorRegistry registry = new CollectorRegistry();
    final OwedExpiries owed = new OwedExpiries(backend, bridges, loop, loop.clock, new ConferenceMetrics(registry),
            Duration.ofMinutes(3));
    final ConferenceSpec spec = new ConferenceSpec("m1", "r1@conference.meet.test", true);
    final BridgeState b5 = bridges.add("b5", 0.1, "r1");

    OwedExpiriesTest() {
        bridges.addListener(e -> loop.execute(() -> owed.onBridgeEvent(e)));
        loop.runPending();
    }

    /** b5 holds the conference with endpoints a and b (a conference the focus made there). */
    void onB5(String... endpoints) {
        FakeBackend.Conf c = new FakeBackend.Conf();
        c.endpoints.addAll(List.of(endpoints));
        backend.model.computeIfAbsent(b5.id(), k -> new java.util.LinkedHashMap<>()).put(spec.meetingId(), c);
    }

    /** b5 is deaf: what is sent to it now is lost (times out, never processed). */
    void deafWhile(Runnable r) {
        backend.hung.add(b5.id());
        r.run();
        loop.runPending();
        backend.timeOutHeld();
        loop.runPending();
        backend.hung.remove(b5.id());
    }

    double outcome(String o) {
        Double v = registry.getSampleValue("focus_owed_expiries_total", new String[] {"outcome"}, new String[] {o});
        return v == null ? 0 : v;
    }

    void heardFrom() {
        bridges.fire(BridgeEvent.Type.SUSPICION_CLEARED, b5.id(), "a health check passed");
        loop.runPending();
    }

    @Test
    void aTimedOutConferenceExpireIsOwedAndSentAgainWhenTheBridgeIsHeardFrom() {
        onB5("a", "b");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        assertEquals(1, owed.debts().size());
        assertEquals(1, backend.conferencesOn(b5.id()), "the bridge never saw the expire");

        heardFrom();

        assertEquals(0, backend.conferencesOn(b5.id()), "expired once the bridge answered again");
        assertEquals(List.of(), owed.debts());
        assertEquals(1, outcome("owed"));
        assertEquals(1, outcome("settled"));
    }

    @Test
    void anExpireToAFailedBridgeStillUnansweredIsSentOnceMoreWhenTheBridgeIsHeardFrom() {
        onB5("a", "b");
        bridges.fail("b5");
        backend.hung.add(b5.id());
        owed.expireConference(b5, spec, P);
        loop.runPending();
        backend.hung.remove(b5.id()); // it resumes; what it got while hung is lost (still waiting for its timeout)

        heardFrom();

        assertEquals(0, backend.conferencesOn(b5.id()), "expired when the bridge was heard from, not at the timeout");
        assertEquals(1, outcome("resent_in_flight"));
        backend.timeOutHeld();
        loop.runPending();
        assertEquals(List.of(), owed.debts(), "the first attempt's timeout owes nothing: the second was answered");
        assertEquals(0, outcome("owed"));
    }

    @Test
    void anExpireToAnOperationalBridgeWaitsForItsOwnReply() {
        onB5("a");
        backend.hung.add(b5.id());
        owed.expireConference(b5, spec, P);
        loop.runPending();
        backend.hung.remove(b5.id());

        heardFrom();

        assertEquals(1, backend.conferencesOn(b5.id()), "not sent twice: the bridge was not failed when it went out");
        assertEquals(0, outcome("resent_in_flight"));
        backend.answerHeld();
        loop.runPending();
        assertEquals(0, backend.conferencesOn(b5.id()));
    }

    @Test
    void anExpireInFlightIsSentOnceMoreAtMostThenOwedLikeAnyOther() {
        onB5("a");
        bridges.fail("b5");
        backend.hung.add(b5.id());
        owed.expireConference(b5, spec, P);
        loop.runPending();
        heardFrom(); // still deaf: the second attempt is held too
        heardFrom();
        assertEquals(2, backend.calls.stream().filter(c -> c.equals("b5 expire-conference")).count(),
                "one extra attempt, not one per event");
        backend.timeOutHeld();
        loop.runPending();
        assertEquals(1, owed.debts().size(), "the second attempt's timeout is owed");
        backend.hung.remove(b5.id());
        heardFrom();
        assertEquals(0, backend.conferencesOn(b5.id()));
        assertEquals(List.of(), owed.debts());
    }

    @Test
    void aReSendThatFailsAgainStaysOwedUntilOneIsAnswered() {
        onB5("a");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        deafWhile(this::heardFrom);
        assertEquals(1, owed.debts().size(), "still owed");
        assertEquals(1, owed.debts().get(0).resends);
        heardFrom();
        assertEquals(0, backend.conferencesOn(b5.id()));
        assertEquals(List.of(), owed.debts());
    }

    @Test
    void theBridgesOwnErrorReplyMeansNothingIsOwed() {
        // no conference m1 on b5: the bridge answers item-not-found/conference_not_found
        owed.expireConference(b5, spec, P);
        loop.runPending();
        assertEquals(List.of(), owed.debts());
        assertEquals(0, outcome("owed"));
    }

    @Test
    void aServerBounceIsOwed() {
        onB5("a");
        backend.faults.put(b5.id(), op -> ColibriException.bounced("recipient-unavailable", "bounced"));
        owed.expireConference(b5, spec, P);
        loop.runPending();
        assertEquals(1, owed.debts().size());
        backend.faults.clear();
        heardFrom();
        assertEquals(0, backend.conferencesOn(b5.id()));
    }

    @Test
    void endpointRelayAndRelayEndpointExpiresAreOwedToo() {
        onB5("a", "b");
        backend.model.get(b5.id()).get("m1").relays.put("b6", new java.util.TreeSet<>(Set.of("x", "y")));
        deafWhile(() -> {
            owed.expireEndpoint(b5, spec, "a", P);
            owed.expireRelayEndpoint(b5, spec, "b6", "x", P);
        });
        assertEquals(2, owed.debts().size());
        deafWhile(() -> owed.expireRelay(b5, spec, "b6", P));
        assertEquals(2, owed.debts().size(), "the relay's expire covers its endpoint's");
        heardFrom();
        assertEquals(Set.of("b"), backend.endpointsOn(b5.id()));
        assertEquals(Map.of(), backend.relaysOn(b5.id(), "m1"));
        assertEquals(List.of(), owed.debts());
    }

    @Test
    void aConferenceExpireCoversWhatIsOwedOfItOnTheBridge() {
        onB5("a", "b");
        deafWhile(() -> owed.expireEndpoint(b5, spec, "a", P));
        deafWhile(() -> owed.expireConference(b5, spec, P));
        assertEquals(List.of(OwedExpiries.Kind.CONFERENCE), owed.debts().stream().map(d -> d.key.kind()).toList());
    }

    @Test
    void theSweepSendsAgainToABridgeThatIsNotSuspectButNotToASuspectOne() {
        onB5("a");
        bridges.update("b5", b -> b.suspect(io.focus.core.bridge.SuspectSignal.COLIBRI_DEADLINE, "silent", loop.clock.instant()));
        deafWhile(() -> owed.expireConference(b5, spec, P));
        backend.calls.clear();
        loop.advance(OwedExpiries.SWEEP_EVERY.multipliedBy(3));
        assertEquals(List.of(), backend.calls, "a suspect bridge is left alone until it is heard from");
        assertEquals(1, owed.debts().size());
        bridges.update("b5", b -> b.suspect(null, null, null));
        loop.advance(OwedExpiries.SWEEP_EVERY);
        assertEquals(List.of("b5 expire-conference"), backend.calls);
        assertEquals(0, backend.conferencesOn(b5.id()));
        assertEquals(List.of(), owed.debts());
        assertEquals(0, loop.pendingTimers(), "no sweep while nothing is owed");
    }

    @Test
    void aBridgeThatRestartedTakesItsDebtsAlong() {
        onB5("a");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        bridges.fire(BridgeEvent.Type.RESTARTED, b5.id(), "uptime went back");
        loop.runPending();
        assertEquals(List.of(), owed.debts());
        assertEquals(1, outcome("dropped"));
    }

    @Test
    void aBridgeThatLeftKeepsItsDebtsAndGetsThemWhenItIsBack() {
        // a hung bridge Prosody kicked from the brewery comes back with its conferences (the 10-minute soak)
        onB5("a");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        bridges.remove("b5");
        loop.runPending();
        loop.advance(OwedExpiries.SWEEP_EVERY.multipliedBy(3));
        assertEquals(1, owed.debts().size(), "kept while it is away, the sweep included");
        assertTrue(backend.model.get(b5.id()).containsKey(spec.meetingId()));
        bridges.add("b5", 0.1, "r1");
        loop.runPending();
        assertEquals(List.of(), owed.debts());
        assertFalse(backend.model.getOrDefault(b5.id(), java.util.Map.of()).containsKey(spec.meetingId()),
                "the conference is gone from the bridge that came back");
        assertEquals(1, outcome("settled"));
    }

    @Test
    void aDebtOfABridgeThatNeverCameBackIsDroppedAtItsBoundNotGivenUp() {
        onB5("a");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        bridges.remove("b5");
        loop.runPending();
        loop.advance(Duration.ofMinutes(4));
        assertEquals(List.of(), owed.debts());
        assertEquals(1, outcome("dropped"));
        assertEquals(0, outcome("given_up"));
    }

    @Test
    void aDebtIsGivenUpAfterItsBound() {
        onB5("a");
        bridges.update("b5", b -> b.suspect(io.focus.core.bridge.SuspectSignal.COLIBRI_DEADLINE, "silent", loop.clock.instant()));
        deafWhile(() -> owed.expireConference(b5, spec, P));
        loop.advance(Duration.ofMinutes(2));
        assertEquals(1, owed.debts().size());
        loop.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), owed.debts());
        assertEquals(1, outcome("given_up"));
        assertEquals(0, loop.pendingTimers());
    }

    @Test
    void creatingTheConferenceAgainSendsTheOwedExpireFirst() {
        onB5("a", "b");
        deafWhile(() -> owed.expireConference(b5, spec, P));
        backend.calls.clear();
        owed.beforeCreateConference(b5, spec, P);
        backend.allocate(b5, spec, EndpointSpec.of("c"), true);
        loop.runPending();
        assertEquals(List.of("b5 expire-conference", "b5 allocate c create"), backend.calls);
        assertEquals(Set.of("c"), backend.endpointsOn(b5.id()), "no \"Conference already exists\"");
        assertEquals(List.of(), owed.debts());
        heardFrom();
        assertEquals(Set.of("c"), backend.endpointsOn(b5.id()), "the new conference is not expired");
    }

    @Test
    void aCreateVoidsAnExpireStillInFlight() {
        onB5("a");
        backend.hung.add(b5.id());
        owed.expireConference(b5, spec, P);
        loop.runPending();
        owed.beforeCreateConference(b5, spec, P);
        backend.timeOutHeld();
        loop.runPending();
        assertEquals(List.of(), owed.debts(), "in use there again: nothing owed");
    }

    @Test
    void anEndpointAllocatedAgainReplacesTheOneOwedAnExpire() {
        onB5("a", "b");
        deafWhile(() -> owed.expireEndpoint(b5, spec, "a", P));
        assertTrue(owed.claimEndpoint(b5, spec, "a"));
        assertEquals(List.of(), owed.debts());
        assertFalse(owed.claimEndpoint(b5, spec, "a"), "claimed once");
        heardFrom();
        assertEquals(Set.of("a", "b"), backend.endpointsOn(b5.id()), "the claimed endpoint is not expired");
    }

    @Test
    void creatingARelayAgainSendsItsOwedExpireFirst() {
        onB5("a");
        backend.model.get(b5.id()).get("m1").relays.put("b6", new java.util.TreeSet<>(Set.of("x")));
        deafWhile(() -> owed.expireRelay(b5, spec, "b6", P));
        backend.calls.clear();
        owed.beforeCreateRelay(b5, spec, "b6", P);
        loop.runPending();
        assertEquals(List.of("b5 relay-expire b6"), backend.calls.stream().filter(c -> c.contains("relay")).toList());
        assertEquals(List.of(), owed.debts());
    }
}
