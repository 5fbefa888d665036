package io.focus.conference;

import io.focus.core.testing.ManualLoop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Wires a manager to the fakes. */
class Harness {
    static final String MUC = "conference.meet.test";
    final ManualLoop loop = new ManualLoop();
    final FakeBridges bridges = new FakeBridges();
    final TestSelector selector = new TestSelector();
    final FakeBackend backend = new FakeBackend();
    final FakeRooms rooms = new FakeRooms();
    final CollectorRegistry registry = new CollectorRegistry();
    final List<String> feedback = new ArrayList<>();
    final List<String> signals = new ArrayList<>();
    ConferenceManager manager;

    Harness(ConferenceSettings settings) {
        this(settings, null);
    }

    /** @param real the selector to use instead of {@link TestSelector} (e.g. focus-selection's), or null */
    Harness(ConferenceSettings settings, io.focus.core.selection.BridgeSelector real) {
        manager = ConferenceManager.builder().settings(settings).bridges(bridges)
                .selector(real != null ? real : selector)
                .backend(backend).rooms(rooms).loop(loop).clock(loop.clock).metrics(registry)
                .feedback(new NoFeedback() {
                    @Override public void bridgeFailed(String id, String reason) { feedback.add("failed " + nick(id)); }
                    @Override public void gracefulShutdown(String id) { feedback.add("graceful " + nick(id)); }
                    @Override public void bridgeRestarted(String id) { feedback.add("restarted " + nick(id)); }
                    @Override public void participantTrouble(String id, String participant) {
                        feedback.add("trouble " + nick(id) + " " + participant);
                    }
                })
                .signaller(new NoSignalling() {
                    @Override public java.util.concurrent.CompletionStage<Void> onPlaced(ConferenceView c,
                            ParticipantView p, Allocation a) {
                        signals.add("placed " + p.id() + " " + a.bridgeNick());
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }
                    @Override public void onMoving(ConferenceView c, ParticipantView p, String from, String r) {
                        signals.add("moving " + p.id() + " " + nick(from));
                    }
                    @Override public void onRemoved(ConferenceView c, ParticipantView p, boolean left) {
                        signals.add("removed " + p.id());
                    }
                    @Override public void onSessionLost(ConferenceView c, ParticipantView p) {
                        signals.add("lost " + p.id());
                    }
                })
                .build().start();
    }

    Harness() {
        this(ConferenceSettings.defaults(MUC));
    }

    /** The default settings with Octo on: a conference may spread over bridges. */
    static Harness octo() {
        return new Harness(ConferenceSettings.defaults(MUC).withOcto(true));
    }

    static String nick(String id) { return io.focus.core.bridge.BridgeState.nickOf(id); }

    static String room(String name) { return name + "@" + MUC; }

    FakeRooms.Room conference(String name, String... participantsAndRegions) {
        var f = manager.requestConference(room(name), Map.of());
        loop.runPending();
        assertEquals(true, f.join().ready());
        FakeRooms.Room r = rooms.room(room(name));
        for (int i = 0; i < participantsAndRegions.length; i += 2) {
            r.join(participantsAndRegions[i], participantsAndRegions[i + 1]);
        }
        loop.runPending();
        return r;
    }

    ConferenceView view(String name) {
        return manager.conference(room(name));
    }

    /** Endpoint id → bridge nick for the placed participants of the conference. */
    Map<String, String> placement(String name) {
        Map<String, String> m = new HashMap<>();
        view(name).placement().forEach((ep, b) -> m.put(ep, nick(b)));
        return m;
    }

    double counter(String name, String... labels) {
        Double v = labels.length == 0 ? registry.getSampleValue(name)
                : registry.getSampleValue(name, new String[] {"from"}, labels);
        return v == null ? 0 : v;
    }

    /** The fake bridges hold exactly what the focus believes: endpoints, conferences and relay endpoints. */
    void assertBridgesMatchFocus() {
        Map<String, Set<String>> expected = new HashMap<>();
        Map<String, Integer> expectedConfs = new HashMap<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            for (ConferenceView.BridgeUse b : c.bridges()) {
                expectedConfs.merge(b.bridgeId(), 1, Integer::sum);
                for (String p : b.participants()) {
                    expected.computeIfAbsent(b.bridgeId(), k -> new LinkedHashSet<>()).add(p);
                }
                assertEquals(toSets(b.relayEndpoints()), backend.relaysOn(b.bridgeId(), c.meetingId()),
                        "relays on " + b.nick());
            }
        }
        Set<String> all = new LinkedHashSet<>(backend.model.keySet());
        all.addAll(expected.keySet());
        for (String id : all) {
            assertEquals(expected.getOrDefault(id, Set.of()), backend.endpointsOn(id), "endpoints on " + nick(id));
            assertEquals((int) expectedConfs.getOrDefault(id, 0), backend.conferencesOn(id), "conferences on " + nick(id));
        }
    }

    private static Map<String, Set<String>> toSets(Map<String, List<String>> m) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, new LinkedHashSet<>(v)));
        return out;
    }
}
