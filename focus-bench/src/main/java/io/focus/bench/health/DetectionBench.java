package io.focus.bench.health;

import io.focus.bench.e2e.InProcessFocus;
import io.focus.core.bridge.BridgeEvent;
import io.focus.health.HealthSettings;
import io.focus.sim.bridge.HealthMode;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How fast the focus notices a broken bridge (issue 3), with the real {@code BridgeRegistry}, {@code BreweryWatcher}
 * and {@code HealthDoctor} (IQ checks) on one XMPP connection to a real Prosody, and SimBridges in the brewery.
 *
 * <p>For each setting — the defaults (interval 10 s, retry-delay 5 s, timeout 5 s, 2 misses) and an aggressive one
 * (interval 1 s, retry-delay 500 ms, timeout 500 ms, 2 misses) — and {@code --reps} times each (3), on a fresh
 * bridge next to three healthy ones (so one silent bridge is not mistaken for the focus's own trouble):
 * <ul>
 *   <li><b>crash</b>: the bridge's socket is closed abruptly → time to its REMOVED (or FAILED) event;</li>
 *   <li><b>hang</b> (a frozen bridge, SIGSTOP): the bridge stays connected and answers nothing → time to FAILED,
 *       from the hang and from the first health check it left unanswered;</li>
 *   <li><b>killed</b> (SIGKILL with stream management, as stock Prosody has it): the bridge uses XEP-0198 and its
 *       socket is reset, so Prosody keeps its session hibernating ({@code smacks_hibernation_time = 15}): it stays in
 *       the brewery and stanzas to it are queued → time to FAILED and to REMOVED (Prosody dropping it, ~15 s);</li>
 *   <li><b>failing</b>: the bridge answers health checks with {@code internal-server-error} → time from the first
 *       failing check's arrival at the bridge to FAILED, and from switching the mode.</li>
 * </ul>
 * The fault is injected at a random point of the check cycle. Prints min/median/max per figure, and Jicofo's figures
 * measured the same way (reference §12) for comparison. No assertions.
 *
 * <p>{@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.health.DetectionBench [--reps 3]
 * [--settings default,aggressive] [--seed 3]}. About 4 minutes with the defaults on 2 cores.
 */
public final class DetectionBench {
    static final String DEFAULT = "";
    static final String AGGRESSIVE = String.join("\n",
            "jicofo.bridge.health-checks { interval = 1 second, retry-delay = 500 ms }",
            "focus.health.timeout = 500 ms",
            "focus.health.misses = 2");

    private final SplittableRandom random;
    private int bridgeSeq;

    DetectionBench(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        int reps = 3;
        String settings = "default,aggressive";
        long seed = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                case "--settings" -> settings = args[i + 1];
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--reps N, --settings default,aggressive, --seed S)");
            }
        }
        InProcessFocus.quietSmack();
        new DetectionBench(seed).run(reps, List.of(settings.split(",")));
        System.exit(0);
    }

    void run(int reps, List<String> which) throws Exception {
        System.out.printf(Locale.ROOT, "Bridge failure detection: real registry, brewery watcher and health doctor, "
                + "real Prosody, SimBridges; %d repetitions each, %d cores%n", reps,
                Runtime.getRuntime().availableProcessors());
        // stream management on, with stock Jitsi's hibernation time for the bridges' sessions
        try (ProsodyServer server = ProsodyServer.start(ProsodyOptions.defaults().withStreamManagement(true)
                .withExtraGlobalConfig("smacks_hibernation_time = 15"))) {
            for (String w : which) {
                String extra = switch (w.trim()) {
                    case "default" -> DEFAULT;
                    case "aggressive" -> AGGRESSIVE;
                    default -> throw new IllegalArgumentException("settings: default or aggressive, not " + w);
                };
                runSetting(server, w.trim(), extra, reps);
            }
        }
        System.out.println();
        System.out.println("Jicofo (reference section 12, same simulated bridges, median of one run): sees a bridge "
                + "leave in ~41 ms and re-places a conference ~72 ms after a crash; ~94 ms after the first failing "
                + "health-check reply; a bridge that stops answering is marked non-operational after ~11 s and its "
                + "conference is NOT moved (jicofo#1050).");
    }

    void runSetting(ProsodyServer server, String name, String extra, int reps) throws Exception {
        List<Double> crash = new ArrayList<>();
        List<Double> hangFromFault = new ArrayList<>();
        List<Double> hangFromCheck = new ArrayList<>();
        List<Double> failFromCheck = new ArrayList<>();
        List<Double> failFromFault = new ArrayList<>();
        List<Double> killedFailed = new ArrayList<>();
        List<Double> killedRemoved = new ArrayList<>();
        List<SimBridge> steady = new ArrayList<>();
        try (InProcessFocus focus = InProcessFocus.start(server, extra, true)) {
            HealthSettings s = focus.healthSettings();
            System.out.printf(Locale.ROOT, "%n== %s: health checks every %s, retry-delay %s, timeout %s, %d misses ==%n",
                    name, s.interval(), s.retryDelay(), s.timeout(), s.misses());
            for (int i = 0; i < 3; i++) {
                steady.add(bridge(server, focus, "steady-" + name + "-" + i));
            }
            for (int r = 0; r < reps; r++) {
                // crash: Prosody sees the socket close and sends the room the bridge's unavailable presence
                SimBridge b = bridge(server, focus, null);
                pause(s);
                long t0 = System.nanoTime();
                b.crash();
                InProcessFocus.Seen removed = firstOf(focus, b.nick(), t0, Duration.ofSeconds(60),
                        BridgeEvent.Type.REMOVED, BridgeEvent.Type.FAILED);
                crash.add(ms(removed.nanos() - t0));
                System.out.printf(Locale.ROOT, "  crash   #%d %-14s -> %s after %8.1f ms%n", r + 1, b.nick(),
                        removed.type(), ms(removed.nanos() - t0));
                b.close();

                // hang: connected, in the room, silent
                b = bridge(server, focus, null);
                pause(s);
                int checks = b.healthChecks();
                t0 = System.nanoTime();
                b.hang();
                long firstCheck = firstCheckAfter(b, checks, Duration.ofSeconds(60));
                InProcessFocus.Seen failed = focus.await(BridgeEvent.Type.FAILED, b.nick(), t0, Duration.ofSeconds(90));
                if (failed == null) {
                    System.out.printf("  hang    #%d %-14s -> no FAILED within 90 s%n", r + 1, b.nick());
                } else {
                    hangFromFault.add(ms(failed.nanos() - t0));
                    hangFromCheck.add(ms(failed.nanos() - firstCheck));
                    System.out.printf(Locale.ROOT, "  hang    #%d %-14s -> FAILED %8.1f ms after the hang, %8.1f ms "
                            + "after the first unanswered check (%s)%n", r + 1, b.nick(), ms(failed.nanos() - t0),
                            ms(failed.nanos() - firstCheck), failed.reason());
                }
                b.close();

                // killed, hibernating: the session stays in Prosody for 15 s, in the brewery, silent
                b = bridge(server, focus, null, true);
                pause(s);
                t0 = System.nanoTime();
                b.kill();
                InProcessFocus.Seen killedFail = focus.await(BridgeEvent.Type.FAILED, b.nick(), t0, Duration.ofSeconds(30));
                InProcessFocus.Seen killedGone = focus.await(BridgeEvent.Type.REMOVED, b.nick(), t0, Duration.ofSeconds(30));
                if (killedFail != null) {
                    killedFailed.add(ms(killedFail.nanos() - t0));
                }
                if (killedGone != null) {
                    killedRemoved.add(ms(killedGone.nanos() - t0));
                }
                System.out.printf(Locale.ROOT, "  killed  #%d %-14s -> FAILED %s, REMOVED %s (%s)%n", r + 1, b.nick(),
                        killedFail == null ? "never" : String.format(Locale.ROOT, "%8.1f ms", ms(killedFail.nanos() - t0)),
                        killedGone == null ? "not within 30 s"
                                : String.format(Locale.ROOT, "%8.1f ms", ms(killedGone.nanos() - t0)),
                        killedFail == null ? "-" : killedFail.reason());
                b.close();

                // failing: health checks answered with internal-server-error
                b = bridge(server, focus, null);
                pause(s);
                checks = b.healthChecks();
                t0 = System.nanoTime();
                b.setHealthMode(HealthMode.FAILING);
                firstCheck = firstCheckAfter(b, checks, Duration.ofSeconds(60));
                failed = focus.await(BridgeEvent.Type.FAILED, b.nick(), t0, Duration.ofSeconds(60));
                if (failed == null) {
                    System.out.printf("  failing #%d %-14s -> no FAILED within 60 s%n", r + 1, b.nick());
                } else {
                    failFromCheck.add(ms(failed.nanos() - firstCheck));
                    failFromFault.add(ms(failed.nanos() - t0));
                    System.out.printf(Locale.ROOT, "  failing #%d %-14s -> FAILED %8.1f ms after the first failing "
                            + "check reached the bridge (%8.1f ms after the switch)%n", r + 1, b.nick(),
                            ms(failed.nanos() - firstCheck), ms(failed.nanos() - t0));
                }
                b.close();
            }
            System.out.printf("-- %s (min / median / max):%n", name);
            line("crash -> REMOVED event", crash);
            line("hang (frozen) -> FAILED", hangFromFault);
            line("killed (hibernating) -> FAILED", killedFailed);
            line("killed (hibernating) -> REMOVED", killedRemoved);
            line("first unanswered check -> FAILED", hangFromCheck);
            line("first failing check -> FAILED", failFromCheck);
            line("switch to failing -> FAILED", failFromFault);
        } finally {
            steady.forEach(SimBridge::close);
        }
    }

    /** A fresh bridge in the brewery, once the registry has announced it. */
    SimBridge bridge(ProsodyServer server, InProcessFocus focus, String nick) throws InterruptedException {
        return bridge(server, focus, nick, false);
    }

    /** A fresh bridge; with {@code streamManagement} a crash leaves its session hibernating in Prosody. */
    SimBridge bridge(ProsodyServer server, InProcessFocus focus, String nick, boolean streamManagement)
            throws InterruptedException {
        String n = nick != null ? nick : "jvb" + (++bridgeSeq);
        long t0 = System.nanoTime();
        SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, n).statsInterval(Duration.ofSeconds(5))
                .streamManagement(streamManagement));
        if (focus.await(BridgeEvent.Type.ADDED, n, t0, Duration.ofSeconds(30)) == null) {
            throw new IllegalStateException("the registry did not add " + n + " within 30 s");
        }
        return b;
    }

    /** A random point of the check cycle (the doctor checks a bridge as soon as it is added). */
    void pause(HealthSettings s) throws InterruptedException {
        Thread.sleep(200 + (long) (random.nextDouble() * s.interval().toMillis()));
    }

    static long firstCheckAfter(SimBridge b, int before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (b.healthChecks() <= before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    static InProcessFocus.Seen firstOf(InProcessFocus focus, String nick, long since, Duration timeout,
                                       BridgeEvent.Type... types) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            InProcessFocus.Seen best = null;
            for (BridgeEvent.Type t : types) {
                InProcessFocus.Seen s = focus.await(t, nick, since, Duration.ofMillis(5));
                if (s != null && (best == null || s.nanos() < best.nanos())) {
                    best = s;
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new IllegalStateException("no " + List.of(types) + " for " + nick + " within " + timeout);
    }

    static void line(String what, List<Double> v) {
        if (v.isEmpty()) {
            System.out.printf("  %-34s  (none)%n", what);
            return;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        System.out.printf(Locale.ROOT, "  %-34s %10.1f / %10.1f / %10.1f ms  (n=%d)%n", what, s.get(0), median,
                s.get(s.size() - 1), s.size());
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
