package io.focus.bench.call;

import static io.focus.bench.Stats.pct;

import com.typesafe.config.Config;
import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * How fast calls become complete, on the simulated setup: the focus in-process as production wires it
 * ({@link BenchDaemon}: {@code Main.Daemon} and its Guice modules, config loaded and validated as the daemon does),
 * SimBridges and Jingle-speaking SimParticipants, a real Prosody with stream management on and
 * {@code smacks_hibernation_time = 15} for {@code auth.<domain>} (where the focus and the bridges log in), as stock
 * Jitsi installs have it. Scenarios ({@code --scenarios}, default all), each {@code --runs} times (5), per health
 * setting ({@code --settings default,aggressive}):
 * <ul>
 *   <li>{@code join}: two participants in a call; a third sends its conference request, then joins the room; time
 *       from its room join (and from its conference request) until every participant's view is complete;</li>
 *   <li>{@code crash}: the bridge carrying a 3-party call (no stream management on its connection) closes its socket:
 *       Prosody ends its session at once and the brewery reports it gone; time until every view is complete on
 *       another bridge;</li>
 *   <li>{@code kill}: the same with stream management on the bridge's connection: Prosody keeps the dead session
 *       hibernating for 15 s (still in the brewery, stanzas queued); time until every participant got a new
 *       session-initiate, and until every view is complete;</li>
 *   <li>{@code freeze}: the bridge stays connected but answers nothing and publishes nothing; the same two
 *       figures.</li>
 * </ul>
 * A view is complete as {@link CallViews} says (participant side and bridge side). Spare bridges (stress 0.5–0.7)
 * take the moved calls; each run's victim is a fresh bridge with stress 0, so it gets the call. A kill or freeze
 * strikes after a random delay within one health-check interval (fixed seed), so its figures spread over the check
 * cycle. After each fault run the bench waits until the focus has dropped the victim, so runs do not overlap.
 */
public final class CallBench {
    public static final Duration HIBERNATION = Duration.ofSeconds(15);
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(20);
    static final List<String> ALL_SCENARIOS = List.of("join", "crash", "kill", "freeze");

    /** A health setting: its config lines and how long one run may take. */
    public record Setting(String name, String config, Duration runTimeout, String description) {}

    public static final Map<String, Setting> SETTINGS = Map.of(
            "default", new Setting("default", "", Duration.ofSeconds(45),
                    "reference defaults: health-checks interval 10 s, retry-delay 5 s, focus.health.timeout 5 s"),
            "aggressive", new Setting("aggressive", String.join("\n",
                    "jicofo.bridge.health-checks { interval = 1 second, retry-delay = 500 ms }",
                    "focus.health.timeout = 500 ms"), Duration.ofSeconds(25),
                    "health-checks interval 1 s, retry-delay 500 ms, focus.health.timeout 500 ms"));

    /** Goals from the issue, by scenario and figure. */
    static String goal(String scenario, String setting, String figure) {
        if (!figure.startsWith("complete")) {
            return "";
        }
        return switch (scenario) {
            case "join" -> "<= 300 ms";
            case "crash" -> "<= 250 ms";
            default -> setting.equals("aggressive") ? "< 3 s" : "< 10 s (Jicofo 16 s)";
        };
    }

    private final ProsodyServer server;
    private final CallViews views = new CallViews(new ModelBridgeView());
    private final List<SimBridge> spares = new ArrayList<>();
    /** "scenario|setting|figure" → milliseconds of each completed run */
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final Map<String, Integer> missed = new HashMap<>();
    private BenchDaemon focus;
    private int serial;
    private long faultAt;
    /** When in the health-check cycle kill and freeze strike (fixed seed: the same phases on every bench run). */
    private final Random phase = new Random(1298);

    private CallBench(ProsodyServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<String> scenarios = ALL_SCENARIOS;
        List<String> settings = List.of("default", "aggressive");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                case "--settings" -> settings = List.of(args[++i].split(","));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (runs < 1 || !ALL_SCENARIOS.containsAll(scenarios) || !SETTINGS.keySet().containsAll(settings)) {
            usage("bad --runs, --scenarios or --settings");
        }
        InProcessFocus.quietSmack();
        String load = loadAverage();
        long t0 = System.nanoTime();
        System.out.printf("CallBench %s: %d runs of %s at %s; %d cores; load average %s%n", LocalDateTime.now()
                .withNano(0), runs, scenarios, settings, Runtime.getRuntime().availableProcessors(), load);
        try (ProsodyServer server = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withAuthHibernationTime(HIBERNATION))) {
            CallBench b = new CallBench(server);
            try {
                b.run(runs, scenarios, settings);
            } finally {
                b.spares.forEach(SimBridge::close);
            }
            b.print(runs);
        }
        System.out.printf("Done in %.0f s; load average before %s, after %s%n", (System.nanoTime() - t0) / 1e9, load,
                loadAverage());
        System.exit(0);
    }

    static void usage(String why) {
        System.err.println("CallBench: " + why + "\nusage: CallBench [--runs N] [--scenarios join,crash,kill,freeze] "
                + "[--settings default,aggressive]");
        System.exit(2);
    }

    void run(int runs, List<String> scenarios, List<String> settings) throws Exception {
        spares.addAll(BenchDaemon.accountsAndSpares(server));
        Path dir = Files.createTempDirectory("call-bench-");
        for (String name : settings) {
            Setting setting = SETTINGS.get(name);
            focus = BenchDaemon.start(server, dir, setting.config());
            try {
                Config c = focus.config();
                System.out.printf("%nSetting %s: %s (effective: interval %s, retry-delay %s, timeout %s); Prosody "
                                + "smacks on, hibernation %d s on %s; focus.xmpp.use-stream-management = %s%n", name,
                        setting.description(), c.getDuration("jicofo.bridge.health-checks.interval"),
                        c.getDuration("jicofo.bridge.health-checks.retry-delay"),
                        c.getDuration("focus.health.timeout"), HIBERNATION.toSeconds(), server.authDomain(),
                        c.getBoolean("focus.xmpp.use-stream-management"));
                for (SimBridge s : spares) {
                    waitUntil(() -> operational(s), "spare " + s.nick() + " known to the focus");
                }
                for (String scenario : scenarios) {
                    for (int r = 1; r <= runs; r++) {
                        try {
                            if (scenario.equals("join")) {
                                join(setting, r);
                            } else {
                                fault(scenario, setting, r);
                            }
                        } catch (IllegalStateException e) {
                            // the call could not be set up: counted as a run that never completed
                            System.out.printf("  %s %s run %d failed: %s%n", scenario, name, r, e.getMessage());
                            String figure = scenario.equals("join") ? "complete after the room join"
                                    : "complete (all views on the new bridge)";
                            record(scenario, setting, figure, false, 0, 0);
                        }
                    }
                }
            } finally {
                focus.close();
            }
        }
    }

    // ------------------------------------------------------------------ scenarios

    void join(Setting setting, int run) throws Exception {
        String room = room("join", setting, run);
        List<SimParticipant> call = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                call.add(enter(room, "j" + serial + (char) ('a' + i)));
            }
            awaitComplete(call, spares, Map.of(), SETUP_TIMEOUT, "first two participants");
            SimParticipant third = SimParticipant.anonymous(server, "j" + serial + "c", null);
            call.add(third);
            long requested = System.nanoTime();
            FocusReply reply = third.requestConference(focus.focusJid(), room, Map.of(), SETUP_TIMEOUT);
            if (!reply.isResult()) {
                throw new IllegalStateException("conference request: " + reply);
            }
            long joined = System.nanoTime();
            third.join(room);
            long deadline = joined + setting.runTimeout().toNanos();
            String why = poll(() -> views.incomplete(call, spares, Map.of()), deadline, MEASURE_POLL);
            long done = System.nanoTime();
            boolean ok = why == null;
            record("join", setting, "complete after the room join", ok, joined, done);
            record("join", setting, "complete after the conference request", ok, requested, done);
            System.out.printf("  join %s run %d: room join -> all views complete %s; conference request -> %s%s%n",
                    setting.name(), run, ms(ok, joined, done), ms(ok, requested, done), ok ? "" : " (" + why + ")");
        } finally {
            call.forEach(SimParticipant::close);
        }
    }

    void fault(String scenario, Setting setting, int run) throws Exception {
        String nick = scenario.charAt(0) + "vic" + setting.name().charAt(0) + run;
        SimBridge victim = SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick)
                .streamManagement(!scenario.equals("crash")));
        List<SimParticipant> call = new ArrayList<>();
        try {
            waitUntil(() -> operational(victim), nick + " known to the focus");
            String room = room(scenario, setting, run);
            for (int i = 0; i < 3; i++) {
                call.add(enter(room, scenario.charAt(0) + "" + serial + (char) ('a' + i)));
            }
            awaitComplete(call, List.of(victim), Map.of(), SETUP_TIMEOUT, "the call on " + nick);
            Map<SimParticipant, String> old = new HashMap<>();
            call.forEach(p -> old.put(p, p.session().sid()));

            if (!scenario.equals("crash")) {
                // a fault lands at any point of the health-check cycle, not just after the victim's first check
                Duration interval = focus.config().getDuration("jicofo.bridge.health-checks.interval");
                Thread.sleep((long) (phase.nextDouble() * interval.toMillis()));
            }
            long t0 = System.nanoTime();
            faultAt = t0;
            switch (scenario) {
                case "crash" -> victim.crash();
                case "kill" -> victim.kill();
                case "freeze" -> victim.hang();
                default -> throw new IllegalArgumentException(scenario);
            }
            long deadline = t0 + setting.runTimeout().toNanos();
            long[] resignalledAt = {0};
            String why = poll(() -> {
                if (resignalledAt[0] == 0 && CallViews.notResignalled(call, old) == null) {
                    resignalledAt[0] = System.nanoTime();
                }
                return views.incomplete(call, spares, old);
            }, deadline, MEASURE_POLL);
            long resignalled = resignalledAt[0];
            long done = System.nanoTime();
            boolean ok = why == null;
            if (resignalled == 0 && ok) {
                resignalled = done;
            }
            BenchDaemon.Seen seen = focus.firstEvent(nick, t0, BridgeEvent.Type.REMOVED, BridgeEvent.Type.FAILED);
            record(scenario, setting, "detected (" + (scenario.equals("crash") ? "REMOVED" : "FAILED or REMOVED")
                    + ")", seen != null, t0, seen == null ? 0 : seen.nanos());
            record(scenario, setting, "re-signalled (new session-initiate to all)", resignalled != 0, t0, resignalled);
            record(scenario, setting, "complete (all views on the new bridge)", ok, t0, done);
            System.out.printf("  %s %s run %d: detected %s %s, re-signalled %s, all views complete %s%s%n", scenario,
                    setting.name(), run, seen == null ? "-" : seen.type(), ms(seen != null, t0, seen == null ? 0
                            : seen.nanos()), ms(resignalled != 0, t0, resignalled), ms(ok, t0, done),
                    ok ? "" : " (" + why + ")");
        } finally {
            call.forEach(SimParticipant::close);
            victim.close();
            views.bridgeSide().forget(victim);
        }
        if (faultAt != 0) {
            settle(victim, scenario);
            faultAt = 0;
        }
    }

    /**
     * Waits until the focus has dropped the victim, so the next run starts with only the spares: a dead bridge still
     * listed would count towards the health doctor's mass-miss guard and hold back the next victim's failure. A
     * killed bridge leaves the brewery only when its hibernation is over (15 s), then the focus waits out its
     * reconnect grace period, so a kill run costs about half a minute even when the move itself was fast.
     */
    void settle(SimBridge victim, String scenario) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        if (poll(() -> focus.registry().snapshot().get(victim.occupantJid()) != null ? "still known" : null, deadline,
                Duration.ofMillis(20)) != null) {
            System.out.printf("    (%s still known to the focus 60 s after the run)%n", victim.nick());
            return;
        }
        BenchDaemon.Seen removed = focus.firstEvent(victim.nick(), faultAt, BridgeEvent.Type.REMOVED);
        if (removed != null && scenario.equals("kill")) {
            System.out.printf("    (%s removed from the registry %.1f s after the kill)%n", victim.nick(),
                    (removed.nanos() - faultAt) / 1e9);
        }
    }

    // ------------------------------------------------------------------ helpers

    String room(String scenario, Setting setting, int run) {
        serial++;
        return "callbench-" + scenario + "-" + setting.name() + "-" + run + "-" + serial + "@"
                + server.conferenceMucDomain();
    }

    SimParticipant enter(String room, String endpoint) {
        return enter(server, focus.focusJid(), room, endpoint);
    }

    /**
     * A new anonymous participant {@code endpoint} that asks the focus ({@code focusJid}) for {@code room} and joins
     * it; an {@link IllegalStateException} when the focus refuses.
     */
    public static SimParticipant enter(ProsodyServer server, String focusJid, String room, String endpoint) {
        SimParticipant p = SimParticipant.anonymous(server, endpoint, null);
        FocusReply reply = p.requestConference(focusJid, room, Map.of(), SETUP_TIMEOUT);
        if (!reply.isResult()) {
            p.close();
            throw new IllegalStateException(endpoint + ": conference request: " + reply);
        }
        p.join(room);
        return p;
    }

    void awaitComplete(List<SimParticipant> call, List<SimBridge> live, Map<SimParticipant, String> old,
                       Duration timeout, String what) throws InterruptedException {
        String why = poll(() -> views.incomplete(call, live, old), System.nanoTime() + timeout.toNanos(),
                Duration.ofMillis(5));
        if (why != null) {
            live.forEach(b -> System.err.println(b.nick() + " holds " + b.model().endpoints() + " after "
                    + b.requests().size() + " Colibri2 requests"));
            throw new IllegalStateException(what + ": views not complete within " + timeout + ": " + why);
        }
    }

    boolean operational(SimBridge b) {
        BridgeState s = focus.registry().snapshot().get(b.occupantJid());
        return s != null && s.operational();
    }

    static void waitUntil(Supplier<Boolean> ok, String what) throws InterruptedException {
        if (poll(() -> ok.get() ? null : what, System.nanoTime() + SETUP_TIMEOUT.toNanos(), Duration.ofMillis(10))
                != null) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    /** How often a measured condition is checked: the figures are at most this much late. */
    static final Duration MEASURE_POLL = Duration.ofMillis(2);

    /**
     * The one wait of this bench: asks {@code check} (null = done, else why not) every {@code every} until it is done
     * or {@code deadline} ({@link System#nanoTime()}) has passed (the last wait ends at the deadline, so the last look
     * is not later than it by up to {@code every}); returns its last answer, null when it got done. A bench driver
     * measures by looking, so it polls; tests wait with Awaitility instead.
     */
    public static String poll(Supplier<String> check, long deadline, Duration every) throws InterruptedException {
        String why;
        while ((why = check.get()) != null && System.nanoTime() < deadline) {
            sleepAtMost(every, deadline);
        }
        return why;
    }

    /**
     * Sleeps {@code every}, or until {@code deadline} ({@link System#nanoTime()}) when that comes first (at least
     * 1 ms): a driver that looks every so often never looks later than its deadline.
     */
    public static void sleepAtMost(Duration every, long deadline) throws InterruptedException {
        Thread.sleep(Math.min(every.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }

    void record(String scenario, Setting setting, String figure, boolean ok, long from, long to) {
        String key = scenario + "|" + setting.name() + "|" + figure;
        List<Double> l = figures.computeIfAbsent(key, k -> new ArrayList<>());
        if (ok) {
            l.add((to - from) / 1e6);
        } else {
            missed.merge(key, 1, Integer::sum);
        }
    }

    static String ms(boolean ok, long from, long to) {
        return ok ? String.format("%.0f ms", (to - from) / 1e6) : "never";
    }

    void print(int runs) {
        System.out.printf("%n%-7s | %-10s | %-45s | %10s | %10s | %-5s | %s%n", "case", "setting", "figure (from the "
                + "third's join / from the fault)", "median ms", "worst ms", "runs", "goal");
        figures.forEach((key, values) -> {
            String[] k = key.split("\\|");
            int miss = missed.getOrDefault(key, 0);
            String worst = miss > 0 ? "never (" + miss + ")" : String.format("%.0f", pct(values, 100));
            System.out.printf("%-7s | %-10s | %-45s | %10.0f | %10s | %d/%d | %s%n", k[0], k[1], k[2],
                    pct(values, 50), worst, values.size(), values.size() + miss, goal(k[0], k[1], k[2]));
        });
        System.out.println("(median of the runs that completed; 'never (n)': n runs did not get there within the "
                + "run's time limit, 45 s at the defaults, 25 s aggressive)");
    }

    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
