package io.focus.bench.call;

import static io.focus.bench.Stats.pct;

import io.focus.bench.e2e.InProcessFocus;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How calls come through XMPP trouble (issue #13, rooms), on the simulated setup: the focus in-process as production
 * wires it ({@link BenchDaemon}), two SimBridges, Jingle-speaking SimParticipants, a real Prosody (stream management
 * on, {@code smacks_hibernation_time = 15} for {@code auth.<domain>}, as stock installs). Each run sets up
 * {@code --conferences} calls of {@code --participants} participants (on jvb1, the least stressed, unless the
 * registry suspects it), complete at both ends ({@link CallAssertions}), then:
 * <ul>
 *   <li>{@code prosody}: Prosody restarts (SIGTERM, exit, start again: every room and session gone). The participants
 *       reconnect at once and rejoin (conference request first) as {@link SimParticipant#rejoinAfterConnectionLoss}
 *       does. Figures: time from the restart's start, and from Prosody accepting connections again, until every call
 *       is complete again; whether each call is on the bridge conference it had (same meeting id); what is left over
 *       on the bridges.</li>
 *   <li>{@code focus}: the focus stops (SIGTERM path: it leaves its rooms, keeps the bridge conferences, saves them)
 *       and a new one starts with the same {@code focus.state.directory}; the participants stay in their rooms.
 *       Figures: time from the new focus's start until every participant got its new session from it and every
 *       call is complete again (and from the stop); same meeting id; left over.</li>
 *   <li>{@code focus-reload}: the same stop and start, but the participants do what jitsi-meet does on FOCUS_LEFT:
 *       leave, and come back as new participants (new endpoint ids) once the new focus is up (without the 10–30 s
 *       reload countdown). Figures: time from their first conference request until every call is complete; same
 *       meeting id; left over once the rejoin timeout (5 s here) has expired the old endpoints.</li>
 * </ul>
 * Left over = on any bridge, a conference of a call that the call does not use, or an endpoint nobody is placed as.
 */
public final class RoomsBench {
    static final List<String> ALL = List.of("prosody", "focus", "focus-reload");
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String EXTRA = "focus.conference.rejoin-timeout = 5 seconds";

    private final ProsodyServer server;
    private final Path dir;
    private final SimBridge jvb1;
    private final SimBridge jvb2;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final Map<String, List<String>> facts = new LinkedHashMap<>();
    private BenchDaemon focus;
    private int seq;

    RoomsBench(ProsodyServer server, Path dir) throws Exception {
        this.server = server;
        this.dir = dir;
        server.register("focus", server.authDomain(), BenchDaemon.FOCUS_PASSWORD);
        server.register("jvb", server.authDomain(), BenchDaemon.JVB_PASSWORD);
        jvb1 = bridge("jvb1", 0.1);
        jvb2 = bridge("jvb2", 0.5);
        focus = BenchDaemon.start(server, dir, config());
    }

    private String config() {
        return "focus.state.directory = \"" + dir.resolve("state") + "\"\n" + EXTRA;
    }

    private SimBridge bridge(String nick, double stress) {
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                .statsInterval(Duration.ofSeconds(1)).credentials("jvb", BenchDaemon.JVB_PASSWORD));
        b.setStress(stress);
        return b;
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int conferences = 5;
        int participants = 3;
        List<String> scenarios = ALL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--conferences" -> conferences = Integer.parseInt(args[++i]);
                case "--participants" -> participants = Integer.parseInt(args[++i]);
                case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (runs < 1 || conferences < 1 || participants < 2 || !ALL.containsAll(scenarios)) {
            usage("bad arguments");
        }
        InProcessFocus.quietSmack();
        System.out.printf("RoomsBench %s: %d run(s) of %s, %d conference(s) x %d participant(s); %d cores%n",
                LocalDateTime.now().withNano(0), runs, scenarios, conferences, participants,
                Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("rooms-bench-");
        try (ProsodyServer server = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withAuthHibernationTime(CallBench.HIBERNATION))) {
            RoomsBench b = new RoomsBench(server, dir);
            try {
                for (int r = 1; r <= runs; r++) {
                    for (String s : scenarios) {
                        b.run(s, r, conferences, participants);
                    }
                }
            } finally {
                b.close();
            }
            b.print();
        }
        System.exit(0);
    }

    static void usage(String why) {
        System.err.println("RoomsBench: " + why + "\nusage: RoomsBench [--runs N] [--conferences C] [--participants P]"
                + " [--scenarios prosody,focus,focus-reload]");
        System.exit(2);
    }

    // ------------------------------------------------------------------ scenarios

    void run(String scenario, int run, int conferences, int participants) throws Exception {
        Map<String, List<SimParticipant>> calls = new LinkedHashMap<>();
        for (int c = 0; c < conferences; c++) {
            String room = scenario.replace("-", "") + "-" + (++seq) + "@" + server.conferenceMucDomain();
            calls.put(room, join(room, participants, scenario.equals("prosody")));
        }
        await("calls complete", () -> placed(calls) && complete(calls), () -> problems(calls));
        Map<String, Set<String>> meetings = meetingIds(calls.keySet());
        long t0 = System.nanoTime();
        switch (scenario) {
            case "prosody" -> {
                server.restart();
                long up = System.nanoTime();
                await("calls complete after the Prosody restart", () -> complete(calls), () -> problems(calls));
                long done = System.nanoTime();
                record(scenario, "restart began -> every call complete", t0, done);
                record(scenario, "Prosody accepting again -> every call complete", up, done);
                record(scenario, "Prosody down (stop + start)", t0, up);
            }
            case "focus" -> {
                // the old sessions and endpoints keep the calls complete on their own: taken back means each
                // participant was re-invited by the new focus and its call is complete again
                Map<SimParticipant, Integer> sessions = new LinkedHashMap<>();
                calls.values().forEach(ps -> ps.forEach(p -> sessions.put(p, p.sessionsStarted())));
                focus.close();
                long started = System.nanoTime();
                focus = BenchDaemon.start(server, dir, config());
                long ready = System.nanoTime();
                await("calls taken back and complete after the focus restart", () -> sessions.entrySet().stream()
                        .allMatch(e -> e.getKey().sessionsStarted() > e.getValue()) && complete(calls),
                        () -> problems(calls));
                long done = System.nanoTime();
                record(scenario, "new focus started -> every call complete", started, done);
                record(scenario, "old focus stopping -> every call complete", t0, done);
                record(scenario, "new focus start-up (until it answers)", started, ready);
            }
            case "focus-reload" -> {
                focus.close();
                calls.values().forEach(ps -> ps.forEach(SimParticipant::close));
                focus = BenchDaemon.start(server, dir, config());
                long back = System.nanoTime();
                for (String room : calls.keySet()) {
                    calls.put(room, join(room, participants, false));
                }
                // complete but for the old endpoints, which wait for the rejoin timeout
                await("the new participants' calls complete", () -> completeButOldEndpoints(calls),
                        () -> problems(calls));
                long done = System.nanoTime();
                record(scenario, "clients back (new endpoint ids) -> every call complete", back, done);
                // the old endpoints go when the rejoin timeout (5 s) expires
                await("old endpoints expired", () -> leftOver(calls).isEmpty(), () -> leftOver(calls));
                record(scenario, "clients back -> nothing left over (rejoin timeout 5 s)", back, System.nanoTime());
            }
            default -> throw new IllegalArgumentException(scenario);
        }
        Map<String, Set<String>> after = meetingIds(calls.keySet());
        long reused = calls.keySet().stream().filter(r -> after.get(r).equals(meetings.get(r))).count();
        List<String> left = leftOver(calls);
        fact(scenario, String.format("run %d: %d of %d call(s) on the bridge conference they had; left over on the "
                + "bridges: %s", run, reused, calls.size(), left.isEmpty() ? "nothing" : left));
        calls.values().forEach(ps -> ps.forEach(SimParticipant::close));
        await("conferences ended and expired", () -> jvb1.model().conferences().isEmpty()
                && jvb2.model().conferences().isEmpty(), () -> leftOver(Map.of()));
    }

    private List<SimParticipant> join(String room, int n, boolean rejoin) {
        List<SimParticipant> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SimParticipant p = SimParticipant.anonymous(server, String.format("%08x", (seq << 12) + (int) (
                    System.nanoTime() & 0xfff) * 16 + i), "eu-west");
            if (rejoin) {
                p.rejoinAfterConnectionLoss(focus.focusJid(), Duration.ZERO);
            }
            FocusReply r = p.requestConference(focus.focusJid(), room, Map.of(), Duration.ofSeconds(20));
            if (!r.isResult() || !r.ready()) {
                throw new IllegalStateException("conference request for " + room + " answered " + r);
            }
            p.join(room);
            ps.add(p);
        }
        return ps;
    }

    /** Where each call is: the bridge with a conference of its name (jvb1, the least stressed, unless suspect). */
    private final Map<String, SimBridge> where = new LinkedHashMap<>();

    private boolean placed(Map<String, List<SimParticipant>> calls) {
        for (String room : calls.keySet()) {
            SimBridge on = jvb1.model().conferences().values().stream().anyMatch(c -> room.equals(c.name())) ? jvb1
                    : jvb2.model().conferences().values().stream().anyMatch(c -> room.equals(c.name())) ? jvb2 : null;
            if (on == null) {
                return false;
            }
            where.put(room, on);
        }
        return true;
    }

    private CallAssertions assertions(String room, List<SimParticipant> ps) {
        SimBridge on = where.getOrDefault(room, jvb1);
        return CallAssertions.call(room).on(on, ps).andNothingOn(on == jvb1 ? jvb2 : jvb1);
    }

    private boolean completeButOldEndpoints(Map<String, List<SimParticipant>> calls) {
        return calls.entrySet().stream().allMatch(e -> assertions(e.getKey(), e.getValue()).problems().stream()
                .allMatch(p -> p.contains("never expired")));
    }

    private boolean complete(Map<String, List<SimParticipant>> calls) {
        return calls.entrySet().stream().allMatch(e -> assertions(e.getKey(), e.getValue()).complete());
    }

    private List<String> problems(Map<String, List<SimParticipant>> calls) {
        List<String> out = new ArrayList<>();
        calls.forEach((room, ps) -> out.addAll(assertions(room, ps).problems()));
        return out;
    }

    /** Conferences of these calls on the bridges that are not the one in use, and endpoints nobody is placed as. */
    private List<String> leftOver(Map<String, List<SimParticipant>> calls) {
        List<String> out = new ArrayList<>();
        for (SimBridge b : List.of(jvb1, jvb2)) {
            for (ConferenceState c : b.model().conferences().values()) {
                List<SimParticipant> ps = calls.get(c.name());
                if (ps == null) {
                    out.add(b.nick() + ": conference " + c.name() + " of no call");
                    continue;
                }
                Set<String> ids = ps.stream().map(SimParticipant::endpointId).collect(Collectors.toSet());
                Set<String> extra = new TreeSet<>(c.endpoints());
                extra.removeAll(ids);
                if (b != where.getOrDefault(c.name(), jvb1)) {
                    out.add(b.nick() + ": conference of " + c.name());
                } else if (!extra.isEmpty()) {
                    out.add(b.nick() + ": endpoints " + extra + " of " + c.name());
                }
            }
            Map<String, Long> perRoom = b.model().conferences().values().stream()
                    .collect(Collectors.groupingBy(ConferenceState::name, Collectors.counting()));
            perRoom.forEach((room, n) -> {
                if (n > 1) {
                    out.add(b.nick() + ": " + n + " conferences of " + room);
                }
            });
        }
        return out;
    }

    private Map<String, Set<String>> meetingIds(Set<String> rooms) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (String room : rooms) {
            m.put(room, where.getOrDefault(room, jvb1).model().conferences().values().stream()
                    .filter(c -> room.equals(c.name())).map(ConferenceState::meetingId).collect(Collectors.toSet()));
        }
        return m;
    }

    private static void await(String what, BooleanSupplier condition, Supplier<List<String>> problems)
            throws InterruptedException {
        String why = CallBench.poll(() -> condition.getAsBoolean() ? null : what,
                System.nanoTime() + TIMEOUT.toNanos(), Duration.ofMillis(10));
        if (why != null) {
            throw new IllegalStateException(what + ": not within " + TIMEOUT + ":\n  "
                    + String.join("\n  ", problems.get()));
        }
    }

    private void record(String scenario, String figure, long from, long to) {
        figures.computeIfAbsent(scenario + ": " + figure, k -> new ArrayList<>()).add((to - from) / 1e6);
    }

    private void fact(String scenario, String line) {
        facts.computeIfAbsent(scenario, k -> new ArrayList<>()).add(line);
    }

    void print() {
        System.out.println();
        System.out.printf("%-78s %6s %8s %8s %8s%n", "figure (ms)", "n", "min", "median", "max");
        figures.forEach((k, v) -> System.out.printf("%-78s %6d %8.0f %8.0f %8.0f%n", k, v.size(), pct(v, 0),
                pct(v, 50), pct(v, 100)));
        System.out.println();
        facts.forEach((k, v) -> v.forEach(l -> System.out.println(k + ": " + l)));
        System.out.println("Goals: Prosody restart -> every call complete < 2 s on the same bridge conferences; focus "
                + "restart -> rooms taken back < 3 s, 0 leaked conferences.");
    }

    void close() {
        try {
            focus.close();
        } finally {
            jvb1.close();
            jvb2.close();
        }
    }
}
