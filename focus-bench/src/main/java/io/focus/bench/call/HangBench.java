package io.focus.bench.call;

import static io.focus.bench.Stats.pct;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Two busy bridges hang at the same moment (issue 13, the soak's seed-13 miss), phase by phase. The set-up is
 * {@link CallBench}'s with its aggressive health settings (the focus as it ships, in this JVM; a real Prosody with
 * stream management; three spare SimBridges, stress 0.5–0.7): per run two fresh victims, {@code --big} 3-party calls
 * (10: 30 participants) on the first and {@code --small} (2: 6) on the second, all complete; then both
 * {@link SimBridge#hang()} at once, at a random point of the check cycle (fixed seed).
 *
 * <p>Phases, each from the hang, over the victims' conferences or participants (first / median / last): the focus's
 * first missed check and first probe of a victim and its FAILED event (focus log lines and registry events, captured
 * in this JVM with their {@link System#nanoTime()}); per conference, "removing bridge" (the failover starts); per
 * participant, its re-allocation sent ({@code Placement}'s "placing" debug line), its allocation reply handled
 * ("moved from"), its new offer sent (the signaller's "session-initiate/transport-replace #n" line), seen by the
 * participant (a new session), accepted by it, and its call complete ({@link CallViews}: its own view, and a spare
 * holding its endpoint connected with its transport and sources).
 *
 * <pre>
 * java -cp focus-bench/target/benchmarks.jar io.focus.bench.call.HangBench --runs 3 --big 10 --small 2
 * </pre>
 */
public final class HangBench {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(25);
    private static final Pattern PARTICIPANT = Pattern.compile("participant=([^\\] ]+)");

    /** Focus log lines of interest, with when they were logged. */
    record Line(long nanos, String logger, String message) {}

    /** Catches the focus's own log lines (INFO and the placement's DEBUG) without printing them. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<Line> lines = new ArrayList<>();

        @Override protected void append(ILoggingEvent e) {
            long now = System.nanoTime();
            synchronized (lines) {
                lines.add(new Line(now, e.getLoggerName(), e.getFormattedMessage()));
            }
        }

        void clear() {
            synchronized (lines) {
                lines.clear();
            }
        }

        List<Line> matching(Predicate<Line> p) {
            synchronized (lines) {
                return lines.stream().filter(p).toList();
            }
        }

        static Capture install() {
            Capture c = new Capture();
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            c.setContext(root.getLoggerContext());
            c.start();
            for (String name : List.of("io.focus.health", "io.focus.conference")) {
                Logger l = (Logger) LoggerFactory.getLogger(name);
                l.setLevel(Level.INFO);
                l.setAdditive(false);
                l.addAppender(c);
            }
            ((Logger) LoggerFactory.getLogger("io.focus.conference.Placement")).setLevel(Level.DEBUG);
            return c;
        }
    }

    private final ProsodyServer server;
    private final CallViews views = new CallViews(new ModelBridgeView());
    private final List<SimBridge> spares = new ArrayList<>();
    private final Capture capture;
    private final Random phase = new Random(1313);
    /** phase → milliseconds from the hang, every run's values */
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private BenchDaemon focus;
    private int serial;

    private HangBench(ProsodyServer server, Capture capture) {
        this.server = server;
        this.capture = capture;
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int big = 10;
        int small = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--big" -> big = Integer.parseInt(args[++i]);
                case "--small" -> small = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: HangBench [--runs N] [--big calls] [--small calls]");
                    System.exit(2);
                }
            }
        }
        InProcessFocus.quietSmack();
        Capture capture = Capture.install();
        String load = CallBench.loadAverage();
        long t0 = System.nanoTime();
        System.out.printf("HangBench %s: %d runs, %d + %d 3-party calls on two bridges that hang at once; "
                        + "aggressive health settings; %d cores; load average %s%n", LocalDateTime.now().withNano(0),
                runs, big, small, Runtime.getRuntime().availableProcessors(), load);
        try (ProsodyServer server = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withAuthHibernationTime(CallBench.HIBERNATION))) {
            HangBench b = new HangBench(server, capture);
            try {
                b.run(runs, big, small);
            } finally {
                b.spares.forEach(SimBridge::close);
            }
            b.print();
        }
        System.out.printf("Done in %.0f s; load average before %s, after %s%n", (System.nanoTime() - t0) / 1e9, load,
                CallBench.loadAverage());
        System.exit(0);
    }

    void run(int runs, int big, int small) throws Exception {
        spares.addAll(BenchDaemon.accountsAndSpares(server));
        Path dir = Files.createTempDirectory("hang-bench-");
        focus = BenchDaemon.start(server, dir, CallBench.SETTINGS.get("aggressive").config());
        try {
            for (SimBridge s : spares) {
                CallBench.waitUntil(() -> operational(s), "spare " + s.nick() + " known to the focus");
            }
            for (int r = 1; r <= runs; r++) {
                try {
                    runOnce(r, big, small);
                } catch (IllegalStateException e) {
                    System.out.printf("  run %d failed: %s%n", r, e.getMessage());
                }
            }
        } finally {
            focus.close();
        }
    }

    void runOnce(int run, int big, int small) throws Exception {
        SimBridge a = victim("hbig" + run);
        List<List<SimParticipant>> calls = new ArrayList<>();
        SimBridge b = null;
        try {
            for (int i = 0; i < big; i++) {
                calls.add(call(a));
            }
            // the second victim gets the small calls: the first looks busy now
            a.setStress(0.95);
            a.publishStatsNow();
            CallBench.waitUntil(() -> stress(a) > 0.9, a.nick() + "'s stress seen by the focus");
            b = victim("hsmall" + run);
            for (int i = 0; i < small; i++) {
                calls.add(call(b));
            }
            List<SimParticipant> all = calls.stream().flatMap(List::stream).toList();
            Map<SimParticipant, String> old = new HashMap<>();
            all.forEach(p -> old.put(p, p.session().sid()));
            Map<SimParticipant, List<SimParticipant>> callOf = new HashMap<>();
            calls.forEach(c -> c.forEach(p -> callOf.put(p, c)));

            Duration interval = focus.config().getDuration("jicofo.bridge.health-checks.interval");
            Thread.sleep((long) (phase.nextDouble() * interval.toMillis()));
            capture.clear();
            Map<String, Long> cpu0 = threadCpu();
            long prosody0 = processCpuMs(server.pid());
            long t0 = System.nanoTime();
            a.hang();
            b.hang();
            Map<SimParticipant, Long> offered = new HashMap<>();
            Map<SimParticipant, Long> accepted = new HashMap<>();
            Map<SimParticipant, Long> complete = new HashMap<>();
            long deadline = t0 + RUN_LIMIT.toNanos();
            while (complete.size() < all.size() && System.nanoTime() < deadline) {
                for (SimParticipant p : all) {
                    if (complete.containsKey(p)) {
                        continue;
                    }
                    long now = System.nanoTime();
                    JingleSession s = p.session();
                    if (s == null || s.sid().equals(old.get(p))) {
                        continue;
                    }
                    offered.putIfAbsent(p, now);
                    if (s.accepted()) {
                        accepted.putIfAbsent(p, now);
                    }
                    if (CallViews.participantSide(p, callOf.get(p), old.get(p)) == null
                            && spares.stream().anyMatch(x -> views.bridgeSide().endpointComplete(x, p.endpointId(),
                            s.localTransport(), p.ownSources().ssrcs()))) {
                        complete.put(p, now);
                    }
                }
                Thread.sleep(2);
            }
            long window = System.nanoTime() - t0;
            Map<String, Long> cpu1 = threadCpu();
            long prosody1 = processCpuMs(server.pid());
            report(run, t0, a, b, all, offered, accepted, complete);
            printCpu(cpu0, cpu1, prosody1 - prosody0, window);
        } finally {
            calls.forEach(c -> c.forEach(SimParticipant::close));
            a.close();
            if (b != null) {
                b.close();
            }
        }
        settle(a);
        if (b != null) {
            settle(b);
        }
    }

    private void report(int run, long t0, SimBridge a, SimBridge b, List<SimParticipant> all,
                        Map<SimParticipant, Long> offered, Map<SimParticipant, Long> accepted,
                        Map<SimParticipant, Long> complete) {
        System.out.printf("  run %d (hang at %d ms since the epoch): %d participants (%d on %s, %d on %s); %d complete "
                        + "again%n", run, System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000, all.size(),
                a.endpoints().values().stream().mapToInt(Map::size).sum(), a.nick(),
                b.endpoints().values().stream().mapToInt(Map::size).sum(), b.nick(), complete.size());
        for (SimBridge v : List.of(a, b)) {
            String n = v.nick();
            phase(run, n + ": first missed check", t0, lines(l -> l.message().startsWith("Health check of " + n + " ")
                    && l.message().contains(" missed")));
            phase(run, n + ": first probe", t0, lines(l -> l.message().startsWith("Probing suspect bridge " + n + " ")));
            BenchDaemon.Seen f = focus.firstEvent(n, t0, BridgeEvent.Type.FAILED, BridgeEvent.Type.REMOVED);
            phase(run, n + ": FAILED (registry event)", t0, f == null ? List.of() : List.of(f.nanos()));
            phase(run, n + ": conferences failing over", t0, lines(l -> l.message().contains("removing bridge " + n
                    + " ")));
        }
        List<String> ids = all.stream().map(SimParticipant::endpointId).toList();
        phase(run, "re-allocation sent", t0, perParticipant(ids, l -> l.message().contains(" placing ")
                && l.message().contains(", create=")));
        phase(run, "allocation reply handled (moved)", t0, perParticipant(ids, l -> l.message().contains(" moved from ")));
        phase(run, "new offer sent (Jingle)", t0, perParticipant(ids, l -> l.message().matches(
                ".*\\] (session-initiate|transport-replace) #\\d+ on .*")));
        phase(run, "new session seen by the participant", t0, List.copyOf(offered.values()));
        phase(run, "accepted (participant)", t0, List.copyOf(accepted.values()));
        phase(run, "complete (participant + spare endpoint)", t0, List.copyOf(complete.values()));
        if (complete.size() < all.size()) {
            System.out.printf("    %d participant(s) never complete within %s%n", all.size() - complete.size(),
                    RUN_LIMIT);
        }
    }

    private List<Long> lines(Predicate<Line> p) {
        return capture.matching(p).stream().map(Line::nanos).toList();
    }

    /** The first matching line per participant of {@code ids} (by the "participant=" tag of the line). */
    private List<Long> perParticipant(List<String> ids, Predicate<Line> p) {
        Map<String, Long> first = new LinkedHashMap<>();
        for (Line l : capture.matching(p)) {
            Matcher m = PARTICIPANT.matcher(l.message());
            String id = m.find() ? m.group(1) : null;
            if (id == null) {
                // the placement's debug line names the participant after "placing"
                String[] w = l.message().split(" placing ", 2);
                id = w.length == 2 ? w[1].split(" ", 2)[0] : null;
            }
            if (id != null && ids.contains(id)) {
                first.putIfAbsent(id, l.nanos());
            }
        }
        return List.copyOf(first.values());
    }

    private void phase(int run, String name, long t0, List<Long> nanos) {
        List<Double> ms = nanos.stream().map(n -> (n - t0) / 1e6).sorted().toList();
        String key = name.replaceFirst("^h(big|small)\\d+", "h$1");
        figures.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ms);
        if (ms.isEmpty()) {
            System.out.printf("    %-45s none%n", name);
        } else {
            System.out.printf("    %-45s n=%-3d first %6.0f  median %6.0f  last %6.0f ms%n", name, ms.size(), ms.get(0),
                    pct(ms, 50), ms.get(ms.size() - 1));
        }
    }

    void print() {
        System.out.printf("%n%-47s | %5s | %8s | %8s | %8s%n", "phase (ms from the hang, all runs)", "n", "first",
                "median", "last");
        figures.forEach((k, v) -> {
            if (v.isEmpty()) {
                System.out.printf("%-47s | %5d | %8s | %8s | %8s%n", k, 0, "-", "-", "-");
            } else {
                System.out.printf("%-47s | %5d | %8.0f | %8.0f | %8.0f%n", k, v.size(), pct(v, 0), pct(v, 50),
                        pct(v, 100));
            }
        });
    }

    // ------------------------------------------------------------------ CPU by thread group

    /** CPU nanoseconds per thread group of this JVM (thread names with their numbers taken out). */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new HashMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long c = mx.getThreadCpuTime(ti.getThreadId());
            if (c > 0) {
                m.merge(ti.getThreadName() + "#" + ti.getThreadId(), c, Long::sum);
            }
        }
        return m;
    }

    /** Utime + stime of a process in ms, from /proc (-1 when unknown). */
    private static long processCpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void printCpu(Map<String, Long> before, Map<String, Long> after, long prosodyMs, long window) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            String g = k.substring(0, k.lastIndexOf('#')).replaceAll("[0-9]+", "N");
            groups.merge(g, d, Long::sum);
        });
        long total = groups.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("    CPU from the hang to the last complete (%.0f ms wall): this JVM %.0f ms, Prosody %d ms; "
                + "top thread groups:%n", window / 1e6, total / 1e6, prosodyMs);
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("      %-50s %6.0f ms%n", e.getKey(), e.getValue() / 1e6));
    }

    // ------------------------------------------------------------------ helpers

    private SimBridge victim(String nick) throws InterruptedException {
        SimBridge v = SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick).streamManagement(true));
        CallBench.waitUntil(() -> operational(v), nick + " known to the focus");
        return v;
    }

    private List<SimParticipant> call(SimBridge on) throws InterruptedException {
        serial++;
        String room = "hangbench-" + serial + "@" + server.conferenceMucDomain();
        List<SimParticipant> call = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            call.add(CallBench.enter(server, focus.focusJid(), room, "h" + serial + (char) ('a' + i)));
        }
        String why = CallBench.poll(() -> views.incomplete(call, List.of(on), Map.of()),
                System.nanoTime() + CallBench.SETUP_TIMEOUT.toNanos(), Duration.ofMillis(5));
        if (why != null) {
            call.forEach(SimParticipant::close);
            throw new IllegalStateException("call " + room + " not complete on " + on.nick() + ": " + why);
        }
        return call;
    }

    private boolean operational(SimBridge b) {
        BridgeState s = focus.registry().snapshot().get(b.occupantJid());
        return s != null && s.operational();
    }

    private double stress(SimBridge b) {
        BridgeState s = focus.registry().snapshot().get(b.occupantJid());
        return s == null ? 0 : s.reportedStress();
    }

    /** Waits until the focus dropped the victim (closed: it leaves the brewery), so runs do not overlap. */
    private void settle(SimBridge victim) throws InterruptedException {
        if (CallBench.poll(() -> focus.registry().snapshot().get(victim.occupantJid()) != null ? "known" : null,
                System.nanoTime() + Duration.ofSeconds(60).toNanos(), Duration.ofMillis(20)) != null) {
            System.out.printf("    (%s still known to the focus 60 s after the run)%n", victim.nick());
        }
    }
}
