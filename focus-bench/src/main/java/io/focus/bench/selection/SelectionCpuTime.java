package io.focus.bench.selection;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link SelectionBench}'s four requests timed in the calling thread's CPU time instead of wall-clock time: on the
 * shared build machine, with a load average several times its two cores, JMH's wall-clock figures came out 10 to
 * 100 times too high while CPU time stayed within tens of percent of a quiet run. One strategy and size per call
 * (run one JVM per pair, as JMH forks, so one strategy's profile does not slow another's); 3 warm-up rounds, then
 * the best of 5 measured rounds, µs per decision.
 *
 * <p>Run: {@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.selection.SelectionCpuTime least-stress 1000}
 * (prints: strategy, bridges, then µs for newConference, joinRunningConference, newConferenceBestsExcluded,
 * newConferenceOnNewSnapshot).
 */
public final class SelectionCpuTime {
    private static volatile Object sink;

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: SelectionCpuTime <strategy> <bridges>");
            System.exit(2);
        }
        SelectionBench bench = new SelectionBench();
        bench.strategy = args[0];
        bench.bridges = Integer.parseInt(args[1]);
        bench.setup();
        List<Supplier<?>> requests = List.of(bench::newConference, bench::joinRunningConference,
                bench::newConferenceBestsExcluded, bench::newConferenceOnNewSnapshot);
        int calls = bench.bridges >= 1000 ? 20_000 : 200_000;
        StringBuilder line = new StringBuilder(String.format("%-20s %6d", bench.strategy, bench.bridges));
        for (Supplier<?> request : requests) {
            line.append(String.format(" %10.2f", microsPerCall(request, calls)));
        }
        System.out.println(line);
    }

    private static double microsPerCall(Supplier<?> request, int calls) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3 * calls; i++) {
            sink = request.get();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                sink = request.get();
            }
            best = Math.min(best, mx.getCurrentThreadCpuTime() - start);
        }
        return best / 1000.0 / calls;
    }
}
