package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.conference.FailoverAction.Exclude;
import io.focus.conference.FailoverAction.Expire;
import io.focus.conference.FailoverAction.Tell;
import io.focus.conference.FailoverAction.Who;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Sources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the failover table ({@link FailoverTrigger}) row by row: fires each trigger at a conference whose two
 * participants p1 and p2 are on jvb1 (the least stressed bridge, so it would be chosen again were it not excluded)
 * and checks what the row says: who left jvb1, what was expired there, what the movers are kept off, and what the
 * registry was told. Each row runs in three set-ups: another bridge to go to (its replies held, so the movers stay
 * "placing" there with their exclusions in view), the same without Octo (the conference cannot spread), and no other
 * bridge at all.
 */
class FailoverTableTest {
    static final String J1 = FakeBridges.id("jvb1");
    static final String J2 = FakeBridges.id("jvb2");
    static final String ROOM = Harness.room("c1");

    enum Setup {
        /** Octo on, jvb2 there (holding its replies). */
        SPREAD,
        /** Octo off, jvb2 there (holding its replies). */
        UNSPLIT,
        /** Octo on, no other bridge. */
        NOWHERE_ELSE
    }

    /** How a trigger is fired; {@code newcomer}: p3 joins as part of it (on jvb1, where its allocation fails). */
    record Scenario(String name, Consumer<Harness> fire, boolean newcomer) {
        @Override public String toString() { return name; }
    }

    static Scenario event(BridgeEvent.Type type, Consumer<Harness> before) {
        return new Scenario("event " + type, h -> {
            before.accept(h);
            if (type != BridgeEvent.Type.REMOVED) {
                h.bridges.fire(type, J1, "test");
            }
        }, false);
    }

    static Scenario allocationError(ColibriException ce, Consumer<Harness> before) {
        return new Scenario("allocation " + ce.label(), h -> {
            before.accept(h);
            h.backend.faults.put(J1, op -> op.startsWith("allocate") ? ce : null);
            h.rooms.room(ROOM).join("p3", null);
        }, true);
    }

    static Consumer<Harness> nothing() { return h -> { }; }

    static Map<FailoverTrigger, List<Scenario>> scenarios() {
        Map<FailoverTrigger, List<Scenario>> m = new EnumMap<>(FailoverTrigger.class);
        m.put(FailoverTrigger.BRIDGE_LEFT, List.of(event(BridgeEvent.Type.REMOVED, h -> {
            h.backend.restart(J1);  // gone, and its state with it
            h.bridges.remove("jvb1");
        })));
        m.put(FailoverTrigger.BRIDGE_FAILED, List.of(event(BridgeEvent.Type.FAILED,
                h -> h.bridges.update("jvb1", b -> b.health(BridgeState.Health.FAILED)))));
        m.put(FailoverTrigger.BRIDGE_SHUTTING_DOWN, List.of(event(BridgeEvent.Type.SHUTTING_DOWN,
                h -> h.bridges.update("jvb1", b -> b.shuttingDown(true)))));
        m.put(FailoverTrigger.BRIDGE_RESTARTED, List.of(
                event(BridgeEvent.Type.RESTARTED, h -> h.backend.restart(J1)),
                allocationError(ColibriException.error("item-not-found", ColibriException.CONFERENCE_NOT_FOUND, "x"),
                        h -> h.backend.restart(J1)),
                new Scenario("endpoint update conference_not_found", h -> {
                    h.backend.restart(J1);
                    h.manager.participantMedia(ROOM, "p1", null, Sources.EMPTY);
                }, false)));
        m.put(FailoverTrigger.BRIDGE_GRACEFUL_SHUTDOWN, List.of(event(BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED,
                h -> h.bridges.update("jvb1", b -> b.gracefulShutdown(true)))));
        m.put(FailoverTrigger.BRIDGE_DRAINING, List.of(event(BridgeEvent.Type.DRAINING_CHANGED,
                h -> h.bridges.update("jvb1", b -> b.draining(true)))));
        m.put(FailoverTrigger.BRIDGE_SUSPECTED, List.of(event(BridgeEvent.Type.SUSPECTED, nothing())));
        m.put(FailoverTrigger.GRACEFUL_SHUTDOWN_REFUSAL, List.of(allocationError(
                ColibriException.error("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN, "x"), nothing())));
        m.put(FailoverTrigger.COLIBRI_TIMEOUT, List.of(new Scenario("allocation timeout", h -> {
            h.backend.hung.add(J1);
            h.rooms.room(ROOM).join("p3", null);
            h.loop.runPending();
            h.backend.timeOutHeld();
        }, true)));
        m.put(FailoverTrigger.BRIDGE_UNREACHABLE, List.of(allocationError(
                ColibriException.error("item-not-found", null, "Recipient not in room"), nothing())));
        m.put(FailoverTrigger.BRIDGE_ERROR, List.of(
                allocationError(ColibriException.error("internal-server-error", null, "x"), nothing()),
                allocationError(ColibriException.error("service-unavailable", null, "x"), nothing())));
        m.put(FailoverTrigger.CLIENT_RESTART, List.of(new Scenario("ICE failed",
                h -> h.manager.restartParticipant(ROOM, "p1", "ICE failed"), false)));
        m.put(FailoverTrigger.ENDPOINT_UPDATE_REFUSED, List.of(new Scenario("endpoint update unknown_endpoint", h -> {
            h.backend.model.get(J1).get(h.view("c1").meetingId()).endpoints.remove("p1");
            h.manager.participantMedia(ROOM, "p1", null, Sources.EMPTY);
        }, false)));
        m.put(FailoverTrigger.ADMIN_MOVE_ENDPOINT, List.of(new Scenario("move-endpoint",
                h -> h.manager.moveEndpoint(ROOM, "p1", "jvb1"), false)));
        m.put(FailoverTrigger.ADMIN_MOVE, List.of(
                new Scenario("move-endpoints 1", h -> h.manager.moveEndpoints("jvb1", null, 1), false),
                new Scenario("move-fraction 0.5", h -> h.manager.moveFraction("jvb1", 0.5), false)));
        m.put(FailoverTrigger.LOAD_REDISTRIBUTION, List.of(new Scenario("redistribute 1",
                h -> h.manager.redistribute("jvb1", 1, "load redistribution: test"), false)));
        m.put(FailoverTrigger.FOCUS_DRAIN, List.of(new Scenario("drain 1 per minute",
                h -> h.manager.drain("jvb1", true, 1, Duration.ofMinutes(1)), false)));
        return m;
    }

    @Test
    void everyRowHasAScenario() {
        assertEquals(EnumSet.allOf(FailoverTrigger.class), scenarios().keySet());
    }

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        scenarios().forEach((t, ss) -> ss.forEach(s -> {
            for (Setup setup : Setup.values()) {
                out.add(Arguments.of(t, s, setup));
            }
        }));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @MethodSource("rows")
    void theRowIsWhatHappens(FailoverTrigger trigger, Scenario scenario, Setup setup) {
        FailoverAction row = trigger.action();
        Harness h = setup == Setup.UNSPLIT ? new Harness() : Harness.octo();
        h.bridges.add("jvb1", 0.0, null);
        if (setup != Setup.NOWHERE_ELSE) {
            h.bridges.add("jvb2", 0.5, null);
        }
        h.conference("c1", "p1", null, "p2", null);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), h.placement("c1"));
        h.backend.hung.add(J2);
        int mark = h.backend.calls.size();
        h.feedback.clear();
        h.signals.clear();

        scenario.fire().accept(h);
        h.loop.runPending();

        List<String> sent = List.copyOf(h.backend.calls.subList(mark, h.backend.calls.size()));
        Set<String> onJvb1 = scenario.newcomer() ? Set.of("p1", "p2", "p3") : Set.of("p1", "p2");
        Set<String> leaving = switch (row.who()) {
            case NOBODY -> Set.of();
            case EVERYONE_ON_THE_BRIDGE -> onJvb1;
            case CHOSEN, THE_PARTICIPANT -> Set.of("p1");  // one asked for: the first placed
        };
        boolean inPlace = false;  // a fresh endpoint on jvb1
        if (setup == Setup.UNSPLIT && !leaving.isEmpty() && !leaving.equals(onJvb1)) {
            switch (row.unsplittable()) {
                case EVERYONE_MOVES -> leaving = onJvb1;
                case NOTHING_MOVES -> leaving = Set.of();
                case SAME_BRIDGE -> inPlace = true;
            }
        }
        if (setup == Setup.NOWHERE_ELSE && row.exclude() == Exclude.THE_BRIDGE_UNLESS_NOWHERE_ELSE) {
            inPlace = true;
        }

        // who left jvb1, and what they are kept off
        ConferenceView v = h.view("c1");
        for (ParticipantView p : v.participants()) {
            String id = p.id();
            if (leaving.contains(id) && inPlace) {
                assertEquals(ParticipantView.State.PLACED, p.state(), id);
                assertEquals(J1, p.bridgeId(), id + ": nowhere else, so a fresh endpoint on the same bridge");
                assertTrue(sent.indexOf("jvb1 expire " + id) >= 0
                        && sent.indexOf("jvb1 expire " + id) < sent.lastIndexOf("jvb1 allocate " + id), sent::toString);
            } else if (leaving.contains(id)) {
                assertNotEquals(J1, p.bridgeId(), id + " left jvb1");
                if (setup == Setup.NOWHERE_ELSE) {
                    assertEquals(ParticipantView.State.NO_BRIDGE, p.state(), id);
                } else {
                    assertEquals(ParticipantView.State.PLACING, p.state(), id);
                    assertEquals(J2, p.bridgeId(), id);
                }
                assertEquals(row.exclude() != Exclude.NOTHING, p.excludedBridges().contains(J1),
                        id + " kept off jvb1: " + p.excludedBridges());
            } else {
                assertEquals(ParticipantView.State.PLACED, p.state(), id + " stays");
                assertEquals(J1, p.bridgeId(), id + " stays");
            }
            boolean hadPlace = !id.equals("p3");
            assertEquals(hadPlace && leaving.contains(id), h.signals.contains("moving " + id + " jvb1"),
                    id + ": " + h.signals);
        }

        // what was expired on jvb1
        boolean whole = !inPlace && !leaving.isEmpty() && leaving.equals(onJvb1);
        boolean expire = !leaving.isEmpty() && switch (row.expire()) {
            case NOTHING -> false;
            case ON_THE_BRIDGE -> true;
            case IF_CREATED -> true;  // every scenario's conference was created on jvb1
        };
        if (!expire) {
            assertTrue(sent.stream().noneMatch(c -> c.startsWith("jvb1 expire")), sent::toString);
        } else if (whole) {
            assertTrue(sent.contains("jvb1 expire-conference"), sent::toString);
        } else {
            leaving.forEach(id -> assertTrue(sent.contains("jvb1 expire " + id), sent::toString));
            assertFalse(sent.contains("jvb1 expire-conference"), sent::toString);
        }

        // what the conference told the registry itself
        assertEquals(row.tell() == Tell.PARTICIPANT_TROUBLE ? List.of("trouble jvb1 " + ROOM + "/p1") : List.of(),
                h.feedback.stream().filter(f -> f.startsWith("trouble")).toList());

        // the held replies come: the movers are placed on jvb2, and the bridges hold what the focus believes
        h.backend.hung.clear();
        h.backend.answerHeld();
        h.loop.runPending();
        if (setup != Setup.NOWHERE_ELSE) {
            for (String id : leaving) {
                assertEquals(inPlace ? "jvb1" : "jvb2", h.placement("c1").get(id), id);
            }
        }
        if (whole && !expire) {
            h.backend.model.remove(J1);  // the state left on a bridge that is gone or lost the conference is moot
        }
        h.assertBridgesMatchFocus();
    }

    @Test
    void aGracefulRefusalOfTheCreateExpiresNothing() {
        assertEquals(Expire.IF_CREATED, FailoverTrigger.GRACEFUL_SHUTDOWN_REFUSAL.action().expire());
        Harness h = new Harness();
        h.bridges.add("jvb1", 0.0, null);
        h.bridges.add("jvb2", 0.5, null);
        h.backend.faults.put(J1, op -> op.startsWith("allocate")
                ? ColibriException.error("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN, "x") : null);
        h.conference("c1", "p1", null, "p2", null);
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2"), h.placement("c1"));
        assertTrue(h.backend.calls.stream().noneMatch(c -> c.startsWith("jvb1 expire")), h.backend.calls::toString);
    }

    @Test
    void everyFailureEventHasItsRowAndMovesExactlyWhenTheEventRequiresIt() {
        BridgeState b = BridgeState.builder(J1).build();
        for (BridgeEvent.Type type : BridgeEvent.Type.values()) {
            FailoverTrigger t = FailoverTrigger.forEvent(type);
            boolean requiresMove = new BridgeEvent(type, b, "test").requiresMove();
            assertEquals(requiresMove, t != null && t.action().moves(), type.name());
            if (t != null) {
                assertEquals(type, t.event());
            }
        }
        assertEquals(null, FailoverTrigger.forEvent(BridgeEvent.Type.RECOVERED), "not a failure");
    }

    @Test
    void everyMoveEveryoneErrorHasItsRow() {
        Map<ColibriException, FailoverTrigger> expected = Map.of(
                ColibriException.timeout("x"), FailoverTrigger.COLIBRI_TIMEOUT,
                ColibriException.error("item-not-found", ColibriException.CONFERENCE_NOT_FOUND, "x"),
                FailoverTrigger.BRIDGE_RESTARTED,
                ColibriException.error("item-not-found", null, "x"), FailoverTrigger.BRIDGE_UNREACHABLE,
                ColibriException.error("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN, "x"),
                FailoverTrigger.GRACEFUL_SHUTDOWN_REFUSAL,
                ColibriException.error("service-unavailable", null, "x"), FailoverTrigger.BRIDGE_ERROR,
                ColibriException.error("internal-server-error", null, "x"), FailoverTrigger.BRIDGE_ERROR);
        expected.forEach((ce, t) -> assertEquals(t, FailoverTrigger.forAllocationError(ce,
                AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.ALLOCATE, ce, false)), ce.label()));
    }

    @Test
    void whoeverMovesIsKeptOffTheBridgeItLeft() {
        for (FailoverTrigger t : FailoverTrigger.values()) {
            FailoverAction a = t.action();
            assertEquals(a.who() != Who.NOBODY, a.exclude() != Exclude.NOTHING, t.name());
        }
    }
}
