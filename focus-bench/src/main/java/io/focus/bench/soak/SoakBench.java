package io.focus.bench.soak;

import io.focus.bench.call.BenchDaemon;
import io.focus.bench.call.CallBench;
import io.focus.bench.e2e.FocusProcess;
import io.focus.bench.e2e.FocusRest;
import io.focus.bench.e2e.InProcessFocus;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak benchmark of issue 13 ("Survive XMPP trouble"), run by hand ({@code scripts/soak.sh}), not in CI.
 *
 * <p>A real Prosody as {@link CallBench} has it (stream management on, 15 s hibernation on {@code auth.<domain>}),
 * {@code --bridges} SimBridges, and the focus as it ships: the daemon process ({@code bin/focus}) with the config
 * CallBench's {@link BenchDaemon} writes (with {@code --aggressive}: CallBench's aggressive health settings), so its
 * RSS, threads and file descriptors are its own ({@code /proc/<pid>}). Then {@code --calls} calls of
 * {@code --participants-per-call} Jingle-speaking SimParticipants, all complete before the chaos starts; then
 * {@code --minutes} of {@link Chaos} (seeded: crash, hang, health-flap, graceful shutdown, sometimes two bridges at
 * once); then every fault undone and {@code --settle-seconds} for the calls to be complete again. Meanwhile the
 * {@link CallSampler} looks at every participant's call every {@code --sample-ms}. At the end {@link LeakCheck} (5 s
 * after settling, then every 1 s while it finds leaks, up to {@code --leak-wait-seconds}) and the {@link SoakReport}:
 * participants with an incomplete call over 3 s, the worst incomplete time, moves per participant, back-and-forth
 * moves, placements onto a faulted bridge, stranded participants, leaked endpoints (first and last check, how long
 * they took to clear), and the focus's RSS, threads and file descriptors at the start and the end, and its live heap
 * after a full GC ({@link HeapHistogram}) before the calls, at the chaos start and at the end.
 */
public final class SoakBench {
    private static final PrintStream out = System.out;
    /** After settling, how long expiries in flight get before the bridges are checked for leaks the first time. */
    static final Duration QUIET = Duration.ofSeconds(5);
    /** Leaks found at the first check are checked again this often, up to {@code --leak-wait-seconds}. */
    private static final Duration LEAK_EVERY = Duration.ofSeconds(1);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROC_EVERY = Duration.ofSeconds(30);

    private final SoakOptions o;
    private final ProsodyServer server;
    private final SoakReport report = new SoakReport();
    private final List<SimParticipant> participants = Collections.synchronizedList(new ArrayList<>());

    private SoakBench(SoakOptions o, ProsodyServer server) {
        this.o = o;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        SoakOptions o;
        try {
            o = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SoakBench: " + e.getMessage() + "\n" + SoakOptions.USAGE);
            System.exit(2);
            return;
        }
        InProcessFocus.quietSmack();
        long t = System.nanoTime();
        String load = CallBench.loadAverage();
        out.printf("SoakBench %s: %s%n(seed %d; %d cores; load average %s)%n", LocalDateTime.now().withNano(0),
                o.command(), o.seed(), Runtime.getRuntime().availableProcessors(), load);
        int code;
        try (ProsodyServer server = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withAuthHibernationTime(CallBench.HIBERNATION).withExtraGlobalConfig(o.prosodyConfig()))) {
            SoakBench b = new SoakBench(o, server);
            b.report.loadBefore = load;
            code = b.run(t);
        }
        System.exit(code);
    }

    private int run(long started) throws Exception {
        server.register("focus", server.authDomain(), BenchDaemon.FOCUS_PASSWORD);
        server.register("jvb", server.authDomain(), BenchDaemon.JVB_PASSWORD);
        CallBench.Setting setting = CallBench.SETTINGS.get(o.aggressive() ? "aggressive" : "default");
        report.options = o;
        report.settings = setting.name() + " health settings (" + setting.description() + ")";
        Fleet fleet = new Fleet(server, o.seed());
        report.fleet = fleet;
        Path dir = Files.createTempDirectory("focus-soak-");
        int port = FocusProcess.freePort();
        // as the package runs it: conferences saved (and every allocation journaled) under a state directory
        String config = BenchDaemon.config(server, setting.config() + "\njicofo.rest.port = " + port
                + "\nfocus.state.directory = \"" + dir.resolve("state") + "\"");
        try (fleet; FocusProcess focus = FocusProcess.startWithConfig(o.checkout(), dir, config, port,
                System.getenv().getOrDefault("SOAK_FOCUS_JAVA_OPTS", ""))) {
            out.printf("focus pid %d, log %s%n", focus.pid(), focus.log());
            report.focusLog = focus.log();
            // Ctrl-C: the daemon is a child process; ProsodyServer stops Prosody by its own hook
            Runtime.getRuntime().addShutdownHook(new Thread(focus::close, "soak-stop-focus"));
            for (int i = 0; i < o.bridges(); i++) {
                fleet.add();
            }
            FocusView view = new FocusView(new FocusRest(port));
            await(() -> focus.alive() ? fleet.running().stream().filter(b -> !view.usable(b.nick())).findFirst()
                    .map(b -> b.nick() + " not usable for the focus yet").orElse(null) : "the focus exited",
                    Duration.ofSeconds(90), view::refresh, "the bridges usable", focus);
            report.idle = ProcStats.read(focus.pid(), Double.NaN);
            report.heapBefore = heap(focus, "before the calls");
            List<ParticipantTrack> tracks = setUpCalls();
            report.tracks = tracks;
            CallSampler sampler = new CallSampler(tracks, fleet, view);
            report.sampler = sampler;
            Duration setupWait = Duration.ofMillis(30_000L + 200L * tracks.size());
            String why = awaitQuietly(sampler::firstIncomplete, setupWait);
            out.printf("%d participants in %d calls%s%n", tracks.size(), tracks.size() / o.perCall(),
                    why == null ? ", every call complete" : "; NOT every call complete: " + why);
            view.refresh();
            report.setupFalseAlarms = notOperational(fleet, view);
            if (!report.setupFalseAlarms.isEmpty()) {
                // every run starts its chaos with every bridge usable: wait out the failure-reset period
                out.println("failed by the focus during the call setup, with no fault injected: "
                        + String.join(", ", report.setupFalseAlarms));
                long w = System.nanoTime();
                String still = awaitQuietly(() -> {
                    view.refresh();
                    List<String> l = notOperational(fleet, view);
                    return l.isEmpty() ? null : String.join(", ", l);
                }, Duration.ofSeconds(90));
                out.printf("waited %.0f s for every bridge to be operational again%s%n", (System.nanoTime() - w) / 1e9,
                        still == null ? "" : " (still not: " + still + "; the chaos starts anyway)");
                why = awaitQuietly(sampler::firstIncomplete, setupWait);
            }
            report.incompleteAtStart = why == null ? 0 : sampler.incompleteNow();
            // with every call up, as at the end: growth between the two is what the chaos left, not the calls
            report.heapStart = heap(focus, "at the chaos start (every call up)");
            try {
                soak(focus, fleet, view, sampler);
            } finally {
                stopParticipants();
            }
            report.loadAfter = CallBench.loadAverage();
            report.wallSeconds = (System.nanoTime() - started) / 1e9;
            report.print(out);
            int rc = focus.stop(Duration.ofSeconds(15));
            if (rc != 0 && rc != 143) {
                out.println("(the focus exited with " + rc + " on SIGTERM; see " + focus.log() + ")");
            }
        }
        return 0;
    }

    private void soak(FocusProcess focus, Fleet fleet, FocusView view, CallSampler sampler) throws Exception {
        long t0 = System.nanoTime();
        report.proc.add(ProcStats.read(focus.pid(), 0));
        sampler.startMeasuring(t0);
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r,
                "soak-sampler"));
        sampling.scheduleWithFixedDelay(() -> {
            try {
                sampler.sample();
            } catch (RuntimeException e) {
                System.err.println("sample failed: " + e);
            }
        }, 0, o.sampleMillis(), TimeUnit.MILLISECONDS);
        CpuShares cpu = new CpuShares(List.of(
                new CpuShares.Proc("Prosody (one thread)", server.pid()),
                new CpuShares.Proc("focus", focus.pid()),
                new CpuShares.Proc("this JVM (simulated bridges, participants)", ProcessHandle.current().pid())));
        report.cpu = cpu;
        report.prosodyStart = ProcStats.read(server.pid(), 0);
        cpu.start();
        Chaos chaos = new Chaos(fleet, view, o, t0, out);
        report.chaos = chaos;
        out.printf("chaos for %d min (fault log: seconds from its start)%n", o.minutes());
        chaos.start();
        long end = t0 + Duration.ofMinutes(o.minutes()).toNanos();
        while (System.nanoTime() < end) {
            CallBench.sleepAtMost(PROC_EVERY, end);
            ProcStats p = ProcStats.read(focus.pid(), (System.nanoTime() - t0) / 1e9);
            report.proc.add(p);
            out.printf("  %+7.1f s  -- %d incomplete now, %d moves so far; focus %s%n", p.atSeconds(),
                    sampler.incompleteLast(), sampler.movesSoFar(), p);
        }
        chaos.stopAndUndo();
        cpu.stop();
        report.prosodyEnd = ProcStats.read(server.pid(), (System.nanoTime() - t0) / 1e9);
        long undone = System.nanoTime();
        out.printf("  %+7.1f s  every fault undone; settling (up to %d s)%n", (undone - t0) / 1e9, o.settleSeconds());
        String left = awaitQuietly(() -> sampler.incompleteLast() == 0 ? null : sampler.incompleteLast()
                + " incomplete", Duration.ofSeconds(o.settleSeconds()));
        if (left == null) {
            report.settledAfterSeconds = (System.nanoTime() - undone) / 1e9;
        }
        Thread.sleep(QUIET.toMillis());
        sampling.shutdown();
        sampling.awaitTermination(10, TimeUnit.SECONDS);
        sampler.closeOpen(System.nanoTime());
        checkLeaks(fleet, view);
        report.proc.add(ProcStats.read(focus.pid(), (System.nanoTime() - t0) / 1e9));
        report.heapEnd = heap(focus, "at the end (every call still up)");
    }

    /**
     * {@link LeakCheck} once, {@link #QUIET} after settling, then again every {@link #LEAK_EVERY} while it finds leaked
     * endpoints or conferences, up to {@code --leak-wait-seconds} after the first check: expiries still waiting for
     * their reply (a resumed bridge's backlog, a reply timeout) get their time, and the report tells leaks that clear
     * from leaks that stay. The sampler has stopped: each participant's bridge is the one it last saw (nothing is
     * faulted any more, so nobody should move).
     */
    private void checkLeaks(Fleet fleet, FocusView view) throws InterruptedException {
        long first = System.nanoTime();
        long[] at = {first};
        CallBench.poll(() -> {
            if (report.leaksFirst != null) {
                at[0] = System.nanoTime();
            }
            LeakCheck l = LeakCheck.run(report.tracks, fleet, view.rest());
            if (report.leaksFirst == null) {
                report.leaksFirst = l;
                if (l.leaked()) {
                    out.printf("leak check: %d endpoints / %d conferences leaked; checking again every %d s for up "
                                    + "to %d s%n", l.leakedEndpoints.size(), l.leakedConferences.size(),
                            LEAK_EVERY.toSeconds(), o.leakWaitSeconds());
                }
            }
            report.leaks = l;
            report.leakChecks++;
            return l.leaked() ? "leaked" : null;
        }, first + Duration.ofSeconds(o.leakWaitSeconds()).toNanos(), LEAK_EVERY);
        LeakCheck c = report.leaks;
        report.leaksClearedAfterSeconds = c.leaked() ? -1 : (at[0] - first) / 1e9;
        if (report.leaksFirst.leaked()) {
            out.println(c.leaked() ? String.format("leak check: still %d endpoints / %d conferences leaked after %d "
                    + "s", c.leakedEndpoints.size(), c.leakedConferences.size(), o.leakWaitSeconds())
                    : String.format("leak check: cleared %.1f s after the first check",
                    report.leaksClearedAfterSeconds));
        }
    }

    /**
     * The focus's live heap by class, after the full GC {@code jcmd GC.class_histogram} runs first; a failure is said
     * here and in the report, not skipped.
     */
    private static HeapHistogram.Reading heap(FocusProcess focus, String when) throws InterruptedException {
        long t = System.nanoTime();
        HeapHistogram.Reading r = HeapHistogram.read(focus.pid(), JCMD_TIMEOUT);
        if (r.histogram() == null) {
            out.printf("HEAP HISTOGRAM NOT AVAILABLE %s: jcmd %d GC.class_histogram failed: %s%n", when, focus.pid(),
                    r.failure());
        } else {
            out.printf("focus live heap after a full GC %s: %.1f MB (jcmd took %.1f s)%n", when,
                    r.histogram().totalMb(), (System.nanoTime() - t) / 1e9);
        }
        return r;
    }

    /**
     * Sets up the calls one after the other (in parallel, the setup starved this JVM's simulated bridges on 2 cores,
     * and the aggressive health checks failed them); a call whose setup fails is left out (and reported).
     */
    private List<ParticipantTrack> setUpCalls() {
        String focusJid = "focus@" + server.authDomain() + "/focus";
        List<ParticipantTrack> tracks = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int c = 1; c <= o.calls(); c++) {
            String room = String.format("soak%d-c%03d@%s", o.seed(), c, server.conferenceMucDomain());
            List<SimParticipant> members = new ArrayList<>();
            try {
                for (int i = 1; i <= o.perCall(); i++) {
                    members.add(CallBench.enter(server, focusJid, room, String.format("c%03dp%d", c, i)));
                }
                List<SimParticipant> frozen = List.copyOf(members);
                participants.addAll(frozen);
                frozen.forEach(p -> tracks.add(new ParticipantTrack(p, frozen, room)));
            } catch (RuntimeException e) {
                failures.add(room + ": " + e.getMessage());
                members.forEach(SimParticipant::close);
            }
        }
        report.participantsWanted = o.calls() * o.perCall();
        report.setupFailures = List.copyOf(failures);
        return tracks;
    }

    /** The bridges the focus does not list as operational now, with what it says of them. */
    private static List<String> notOperational(Fleet fleet, FocusView view) {
        return fleet.running().stream().filter(b -> view.status(b.nick()) == null
                || !view.status(b.nick()).operational()).map(b -> b.nick() + " (" + view.status(b.nick()) + ")")
                .toList();
    }

    private void stopParticipants() {
        List<SimParticipant> all;
        synchronized (participants) {
            all = new ArrayList<>(participants);
        }
        all.parallelStream().forEach(p -> {
            try {
                p.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + p.endpointId() + ": " + e);
            }
        });
    }

    /** Polls {@code check} (null = done) until done or {@code timeout}; its last answer, null when done. */
    private static String awaitQuietly(java.util.function.Supplier<String> check, Duration timeout)
            throws InterruptedException {
        return CallBench.poll(check, System.nanoTime() + timeout.toNanos(), Duration.ofMillis(100));
    }

    /** As {@link #awaitQuietly}, refreshing first, and failing with the focus's log tail when it does not get done. */
    private static void await(java.util.function.Supplier<String> check, Duration timeout, Runnable refresh,
                              String what, FocusProcess focus) throws InterruptedException, IOException {
        String why = awaitQuietly(() -> {
            refresh.run();
            return check.get();
        }, timeout);
        if (why != null) {
            List<String> log = Files.readAllLines(focus.log());
            log.subList(Math.max(0, log.size() - 30), log.size()).forEach(System.err::println);
            throw new IllegalStateException("timed out waiting for " + what + ": " + why);
        }
    }
}
