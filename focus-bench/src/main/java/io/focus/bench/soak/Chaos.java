package io.focus.bench.soak;

import io.focus.sim.bridge.HealthMode;
import io.focus.sim.bridge.SimBridge;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos loop: every 3–7 s it may fault one bridge, or two at once (30 %), picked among the bridges the focus
 * lists as usable and that carry no fault (busier bridges more likely), as long as no more than
 * {@link SoakOptions#maxFaulted()} are faulted and at least {@link SoakOptions#minUsable()} stay usable. Tick n
 * draws everything (the delay to the next tick, one or two faults, their kinds, the victim rolls, each stage's
 * length) from its own generator seeded by the seed and n, so the plan is the same on every run with the seed;
 * whether a tick's fault happens and which bridge it hits depend on what the focus lists as usable then. Faults:
 * <ul>
 *   <li>{@link Kind#CRASH}: {@link SimBridge#crash()} (no stream management: Prosody ends the session at once) or
 *       {@link SimBridge#kill()} (stream management: the session hibernates); after 1–4 s a fresh bridge replaces it
 *       (a crashed JVB restarts empty, under another name here);</li>
 *   <li>{@link Kind#HANG}: {@link SimBridge#hang()} (connected, silent); after 3–10 s {@link SimBridge#rejoin()}
 *       (it keeps its conferences, as a frozen JVB that resumes);</li>
 *   <li>{@link Kind#FLAP}: health checks answered with an error for 2–6 s, then healthy again;</li>
 *   <li>{@link Kind#GRACEFUL}: {@code graceful_shutdown} for 2–5 s, then {@code shutting_down} for 2–5 s, then the
 *       bridge leaves cleanly and a fresh one replaces it.</li>
 * </ul>
 * Everything runs on one thread, so the bridges are faulted and healed in a well-defined order.
 */
final class Chaos {
    enum Kind { CRASH, HANG, FLAP, GRACEFUL }

    private static final class Episode {
        final Kind kind;
        final SimBridge bridge;
        Runnable finish;
        ScheduledFuture<?> next;
        boolean done;

        Episode(Kind kind, SimBridge bridge) {
            this.kind = kind;
            this.bridge = bridge;
        }
    }

    private final Fleet fleet;
    private final FocusView focus;
    private final long seed;
    /** The ticks so far; tick n draws from its own generator (seed, n), so the fault plan does not depend on timing. */
    private int ticks;
    private final SoakOptions o;
    private final long t0;
    private final PrintStream out;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-chaos");
        t.setDaemon(true);
        return t;
    });
    private final List<Episode> episodes = new ArrayList<>();
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private int kills;
    private int pairs;
    private int skipped;
    private boolean stopping;

    Chaos(Fleet fleet, FocusView focus, SoakOptions o, long t0, PrintStream out) {
        this.fleet = fleet;
        this.focus = focus;
        this.seed = o.seed();
        this.o = o;
        this.t0 = t0;
        this.out = out;
    }

    void start() {
        exec.schedule(this::tick, between(new Random(seed), 2_000, 4_000), TimeUnit.MILLISECONDS);
    }

    /** Stops faulting and undoes every fault still in place (replacing, rejoining, healing); waits until done. */
    void stopAndUndo() throws InterruptedException {
        try {
            exec.submit(() -> {
                stopping = true;
                for (Episode e : episodes) {
                    if (!e.done) {
                        if (e.next != null) {
                            e.next.cancel(false);
                        }
                        e.finish.run();
                    }
                }
            }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("undoing the faults failed", e.getCause());
        }
        exec.shutdown();
        exec.awaitTermination(30, TimeUnit.SECONDS);
    }

    Map<Kind, Integer> counts() { return counts; }

    int kills() { return kills; }

    int pairs() { return pairs; }

    /** Ticks at which no fault was injected because too few bridges were usable for the focus. */
    int skipped() { return skipped; }

    // ------------------------------------------------------------------ the loop (chaos thread)

    private void tick() {
        if (stopping) {
            return;
        }
        Random rnd = new Random(seed * 1_000_003L + (++ticks));
        long next = between(rnd, 3_000, 7_000);
        try {
            focus.refresh();
            maybeFault(rnd);
        } catch (RuntimeException e) {
            log("chaos tick failed: " + e);
        }
        exec.schedule(this::tick, next, TimeUnit.MILLISECONDS);
    }

    private void maybeFault(Random rnd) {
        long active = episodes.stream().filter(e -> !e.done).count();
        List<SimBridge> usable = fleet.running().stream()
                .filter(b -> fleet.faultOf(b.nick()) == null && focus.usable(b.nick())).toList();
        // every draw of this tick is made whatever happens, in the same order
        int k = rnd.nextDouble() < 0.3 ? 2 : 1;
        Kind[] kinds = {Kind.values()[rnd.nextInt(Kind.values().length)],
                Kind.values()[rnd.nextInt(Kind.values().length)]};
        double[] picks = {rnd.nextDouble(), rnd.nextDouble()};
        long[] episodeSeeds = {rnd.nextLong(), rnd.nextLong()};
        if (k == 2 && (active + 2 > o.maxFaulted() || usable.size() - 2 < o.minUsable())) {
            k = 1;
        }
        if (active + k > o.maxFaulted()) {
            return;
        }
        if (usable.size() - k < o.minUsable()) {
            skipped++;
            log("(no fault: " + usable.size() + " bridges usable for the focus, " + (o.minUsable() + k) + " needed)");
            return;
        }
        List<SimBridge> pool = new ArrayList<>(usable);
        if (k == 2) {
            pairs++;
        }
        for (int i = 0; i < k; i++) {
            SimBridge victim = pickBusy(pool, picks[i]);
            pool.remove(victim);
            fault(victim, kinds[i], k == 2, new Random(episodeSeeds[i]));
        }
    }

    /**
     * A bridge of {@code pool}, with odds growing with its endpoints (an empty bridge's fault tests little);
     * {@code roll} in [0, 1).
     */
    private static SimBridge pickBusy(List<SimBridge> pool, double roll) {
        int total = 0;
        int[] w = new int[pool.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 + pool.get(i).model().endpointCount();
            total += w[i];
        }
        int r = (int) (roll * total);
        for (int i = 0; i < w.length; i++) {
            r -= w[i];
            if (r < 0) {
                return pool.get(i);
            }
        }
        return pool.get(pool.size() - 1);
    }

    /** Faults {@code b}; {@code rnd} (the episode's own) draws how long each stage lasts. */
    private void fault(SimBridge b, Kind kind, boolean pair, Random rnd) {
        Episode e = new Episode(kind, b);
        episodes.add(e);
        counts.merge(kind, 1, Integer::sum);
        String n = b.nick();
        String with = (pair ? " (one of two at once)" : "") + ", " + b.model().endpointCount() + " endpoints";
        switch (kind) {
            case CRASH -> {
                boolean sm = fleet.streamManagement(n);
                fleet.fault(n, sm ? "kill" : "crash");
                if (sm) {
                    kills++;
                    b.kill();
                } else {
                    b.crash();
                }
                log((sm ? "kill (session hibernates) " : "crash (socket closed) ") + n + with);
                e.finish = () -> replace(e);
                e.next = later(between(rnd, 1_000, 4_000), e.finish);
            }
            case HANG -> {
                fleet.fault(n, "hang");
                b.hang();
                log("hang " + n + with);
                e.finish = () -> {
                    b.rejoin();
                    fleet.heal(n);
                    e.done = true;
                    log(n + " resumes (rejoins with its conferences)");
                };
                e.next = later(between(rnd, 3_000, 10_000), e.finish);
            }
            case FLAP -> {
                fleet.fault(n, "health-flap");
                b.setHealthMode(HealthMode.FAILING);
                log("health checks failing on " + n + with);
                e.finish = () -> {
                    b.setHealthMode(HealthMode.HEALTHY);
                    fleet.heal(n);
                    e.done = true;
                    log(n + " healthy again");
                };
                e.next = later(between(rnd, 2_000, 6_000), e.finish);
            }
            case GRACEFUL -> {
                fleet.fault(n, "graceful shutdown");
                b.setGracefulShutdown(true);
                log("graceful shutdown of " + n + with);
                e.finish = () -> replace(e);
                long shutDownFor = between(rnd, 2_000, 5_000);
                e.next = later(between(rnd, 2_000, 5_000), () -> {
                    b.setShuttingDown(true);
                    log(n + " shutting down");
                    e.next = later(shutDownFor, e.finish);
                });
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    private void replace(Episode e) {
        SimBridge fresh = fleet.replace(e.bridge);
        e.done = true;
        log(e.bridge.nick() + " replaced by " + fresh.nick());
    }

    /** Runs {@code r} on the chaos thread after {@code delayMs}; a failure is printed in the fault log. */
    private ScheduledFuture<?> later(long delayMs, Runnable r) {
        return exec.schedule(() -> {
            try {
                r.run();
            } catch (RuntimeException ex) {
                log("chaos step failed: " + ex);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private static long between(Random rnd, int minMs, int maxMs) {
        return minMs + rnd.nextInt(maxMs - minMs + 1);
    }

    private void log(String what) {
        out.printf("  %+7.1f s  %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
