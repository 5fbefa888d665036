package io.focus.bench.soak;

import static io.focus.bench.Stats.pct;

import io.focus.bench.ProcessCpu;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CPU that Prosody, the focus and this JVM (the simulated bridges and participants, and the sampler) use during
 * the chaos, read every {@link #EVERY_MS} ms as each one's share of one core. Prosody runs its stanzas on one thread,
 * so an interval with Prosody at {@link #SATURATED} % or more is time in which Prosody, not the cores, set the pace.
 */
final class CpuShares {
    static final int EVERY_MS = 500;
    static final double SATURATED = 90;

    /** One watched process. */
    record Proc(String name, long pid) {}

    private final List<Proc> procs;
    private final List<double[]> shares = new ArrayList<>();
    private final long[] last;
    private long lastNanos;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-cpu");
        t.setDaemon(true);
        return t;
    });

    CpuShares(List<Proc> procs) {
        this.procs = List.copyOf(procs);
        this.last = new long[procs.size()];
    }

    void start() {
        read(last);
        lastNanos = System.nanoTime();
        exec.scheduleAtFixedRate(this::sample, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
        exec.shutdown();
        exec.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void read(long[] into) {
        for (int i = 0; i < procs.size(); i++) {
            into[i] = ProcessCpu.millis(procs.get(i).pid());
        }
    }

    private void sample() {
        try {
            long[] now = new long[procs.size()];
            read(now);
            long t = System.nanoTime();
            double wallMs = (t - lastNanos) / 1e6;
            double[] s = new double[procs.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = 100.0 * (now[i] - last[i]) / wallMs;
            }
            System.arraycopy(now, 0, last, 0, now.length);
            lastNanos = t;
            synchronized (shares) {
                shares.add(s);
            }
        } catch (RuntimeException e) {
            System.err.println("CPU sample failed: " + e);
        }
    }

    /** Per process: mean / p90 / max share, and for the first (Prosody) the time it spent saturated. */
    void print(PrintStream out) {
        List<double[]> all;
        synchronized (shares) {
            all = List.copyOf(shares);
        }
        out.printf("CPU during the chaos, %% of one core per %d ms (%d intervals): mean / p90 / max%n", EVERY_MS,
                all.size());
        for (int i = 0; i < procs.size(); i++) {
            List<Double> v = new ArrayList<>();
            int at = i;
            all.forEach(s -> v.add(s[at]));
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            String extra = "";
            if (i == 0) {
                int saturated = 0;
                int run = 0;
                int longest = 0;
                for (double x : v) {
                    run = x >= SATURATED ? run + 1 : 0;
                    saturated += x >= SATURATED ? 1 : 0;
                    longest = Math.max(longest, run);
                }
                extra = String.format("; at >= %.0f %%: %.1f s in all, longest stretch %.1f s", SATURATED,
                        saturated * EVERY_MS / 1000.0, longest * EVERY_MS / 1000.0);
            }
            out.printf("  %-44s %3.0f / %3.0f / %3.0f%s%n", procs.get(i).name(), mean, pct(v, 90), pct(v, 100),
                    extra);
        }
    }
}
