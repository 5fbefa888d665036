package io.focus.bench.selection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.SelectionRequest;
import io.focus.selection.FilteringBridgeSelector;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A join burst on simulated time (no sleeping), the case of jicofo PR #1298: 500 joins in 60 s, in rooms of 3–30
 * participants, onto 10 bridges whose reported stress lags 5 s behind their real load (each endpoint is 0.01 of real
 * stress). The focus corrects the stale stress as the registry does: reported + joins in the last 20 s × 0.01.
 * Prints, for each strategy, the max and mean endpoints per bridge, the peak corrected and real stress, and the most
 * joins one bridge took inside any 20 s.
 *
 * <p>Run: {@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.selection.SelectionBurstBench [seed] [--no-rampup] [--octo]}
 */
public final class SelectionBurstBench {
    static final int BRIDGES = 10, JOINS = 500;
    static final double SECONDS = 60, LAG = 5, RAMPUP = 20, PER_ENDPOINT = 0.01;
    static final String[] STRATEGIES = {"least-stress", "region", "split", "intra-region", "fewest-conferences",
            "round-robin", "power-of-two"};

    static boolean octo;

    record Join(double at, int room) {}

    public static void main(String[] args) {
        long seed = args.length > 0 && !args[0].startsWith("--") ? Long.parseLong(args[0]) : 1298;
        boolean rampup = !List.of(args).contains("--no-rampup");
        octo = List.of(args).contains("--octo");
        List<Join> joins = joins(seed);
        System.out.printf("%d joins in %.0f s over %d rooms (3-30 participants), %d bridges, reported stress %.0f s stale,"
                        + " ramp-up correction %s, Octo %s, seed %d%n", joins.size(), SECONDS,
                joins.stream().mapToInt(Join::room).max().orElse(0) + 1, BRIDGES, LAG,
                rampup ? "on (20 s x 0.01)" : "off", octo ? "on" : "off", seed);
        System.out.printf("%-20s %8s %8s %10s %10s %12s%n", "strategy", "max ep", "mean ep", "peak corr", "peak real",
                "max 20s joins");
        for (String s : STRATEGIES) {
            run(s, joins, rampup, seed);
        }
    }

    static List<Join> joins(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Join> all = new ArrayList<>();
        int total = 0;
        for (int room = 0; total < JOINS; room++) {
            int size = Math.min(3 + rnd.nextInt(28), JOINS - total);
            double t = rnd.nextDouble(0, SECONDS * 0.85);
            for (int p = 0; p < size; p++) {
                all.add(new Join(Math.min(t, SECONDS - 0.001), room));
                t += -Math.log(1 - rnd.nextDouble()) * 1.0; // participants of a class arrive about 1 s apart
            }
            total += size;
        }
        all.sort((a, b) -> Double.compare(a.at, b.at));
        return all;
    }

    static void run(String strategy, List<Join> joins, boolean rampup, long seed) {
        Config config = ConfigFactory.parseString("jicofo.bridge.selection-strategy = " + strategy
                + "\njicofo.octo.enabled = " + octo);
        FilteringBridgeSelector selector = FilteringBridgeSelector.create(config, new CollectorRegistry(),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        List<List<Double>> joinTimes = new ArrayList<>(); // per bridge, ascending
        int[] conferences = new int[BRIDGES];
        for (int i = 0; i < BRIDGES; i++) joinTimes.add(new ArrayList<>());
        Map<Integer, Map<String, int[]>> rooms = new HashMap<>();
        double peakCorrected = 0, peakReal = 0;
        int max20 = 0;
        long seq = 0;
        for (Join j : joins) {
            double now = j.at;
            List<BridgeState> states = new ArrayList<>(BRIDGES);
            for (int i = 0; i < BRIDGES; i++) {
                List<Double> times = joinTimes.get(i);
                int real = times.size();
                int reported = countUpTo(times, now - LAG);
                int recent = rampup ? real - countUpTo(times, now - RAMPUP) : 0;
                states.add(BridgeState.builder("jvbbrewery@internal.auth.example.com/jvb" + i).relayId("jvb" + i)
                        .version("2.3-1").reportedStress(reported * PER_ENDPOINT).averageParticipantStress(PER_ENDPOINT)
                        .recentlyAddedEndpoints(recent).endpoints(real).conferences(conferences[i]).build());
            }
            Map<String, int[]> room = rooms.computeIfAbsent(j.room, r -> new LinkedHashMap<>());
            Map<String, ConferenceBridgeProperties> conf = new LinkedHashMap<>();
            room.forEach((id, n) -> conf.put(id, ConferenceBridgeProperties.of(n[0])));
            Decision d = selector.select(new SelectionRequest(new BridgeSnapshot(++seq, Instant.EPOCH, states), conf,
                    ParticipantProperties.NONE, null, ExclusionSet.none(), "room" + j.room));
            if (!d.found()) {
                throw new IllegalStateException(strategy + ": no bridge: " + d.reason());
            }
            int idx = states.indexOf(d.bridge());
            if (room.computeIfAbsent(d.bridge().id(), id -> new int[1])[0]++ == 0) {
                conferences[idx]++;
            }
            List<Double> times = joinTimes.get(idx);
            times.add(now);
            int inWindow = times.size() - countUpTo(times, now - RAMPUP);
            max20 = Math.max(max20, inWindow);
            double corrected = countUpTo(times, now - LAG) * PER_ENDPOINT + (rampup ? inWindow * PER_ENDPOINT : 0);
            peakCorrected = Math.max(peakCorrected, Math.max(corrected, d.bridge().correctedStress()));
            peakReal = Math.max(peakReal, times.size() * PER_ENDPOINT);
        }
        int max = 0;
        for (List<Double> t : joinTimes) max = Math.max(max, t.size());
        System.out.printf("%-20s %8d %8.1f %10.2f %10.2f %12d%n", strategy, max, joins.size() / (double) BRIDGES,
                peakCorrected, peakReal, max20);
    }

    /** How many of the ascending {@code times} are at or before {@code t}. */
    static int countUpTo(List<Double> times, double t) {
        int lo = 0, hi = times.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times.get(mid) <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
