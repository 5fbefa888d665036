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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one selection (filters + strategy + reason) with 10, 100 and 1,000 bridges in five regions, for every
 * built-in strategy. Requests: a participant starting a conference; a participant joining a conference that already
 * has two bridges; a new conference whose best bridges are excluded (as when participants are moved off them); and a
 * new conference on each of 16 snapshot objects in turn (the selector keeps nothing per snapshot, so this costs what
 * {@code newConference} costs; it would show a cache that pays on the first decision after each published
 * snapshot). Octo on, so every strategy runs its full logic. The selector and the strategies scan the snapshot's
 * bridges (no index): the cost grows with the number of bridges; at 1,000 it measured 9–25 µs of CPU per decision on
 * the shared 2-core machine (focus-bench/README.md, "Selection": the ≤ 5 µs goal is not reached).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SelectionBench {
    private static final String[] REGIONS = {"ap-south", "eu-central", "eu-west", "us-east", "us-west"};

    @Param({"10", "100", "1000"})
    public int bridges;

    @Param({"least-stress", "region", "split", "intra-region", "fewest-conferences", "round-robin", "power-of-two"})
    public String strategy;

    private FilteringBridgeSelector selector;
    private SelectionRequest newConference;
    private SelectionRequest joining;
    private SelectionRequest newConferenceBestsExcluded;
    private SelectionRequest[] onFreshSnapshots;
    private int fresh;

    @Setup
    public void setup() {
        Config config = ConfigFactory.parseString("jicofo.octo.enabled = true\n"
                + "jicofo.bridge.selection-strategy = " + strategy + "\n"
                + "jicofo.bridge.region-groups = [[us-east, us-west], [eu-central, eu-west]]\n"
                + "jicofo.local-region = us-east\n"
                + "focus.selection.max-participants-per-bridge = 400\n");
        selector = FilteringBridgeSelector.create(config, new CollectorRegistry(), Clock.systemUTC());
        SplittableRandom rnd = new SplittableRandom(7);
        List<BridgeState> list = new ArrayList<>(bridges);
        for (int i = 0; i < bridges; i++) {
            String nick = "jvb" + i;
            list.add(BridgeState.builder("jvbbrewery@internal.auth.example.com/" + nick)
                    .region(REGIONS[i % REGIONS.length]).relayId(nick).version("2.3-1")
                    .reportedStress(rnd.nextDouble(0.0, 0.95)).recentlyAddedEndpoints(rnd.nextInt(5))
                    .endpoints(rnd.nextInt(300)).conferences(rnd.nextInt(20))
                    .draining(i % 37 == 5).build());
        }
        BridgeSnapshot snapshot = new BridgeSnapshot(1, Instant.now(), list);
        newConference = new SelectionRequest(snapshot, Map.of(), ParticipantProperties.inRegion("eu-west"), null,
                ExclusionSet.none(), "new@conference.example.com");
        // the bridges a new conference would get (least stressed in eu-west and anywhere, fewest conferences, the
        // first in snapshot order) excluded, as when participants are moved off them
        java.util.Set<String> bests = new java.util.HashSet<>();
        BridgeState leastEu = null, least = null, fewest = null;
        for (BridgeState b : list) {
            if ("eu-west".equals(b.region()) && (leastEu == null || b.correctedStress() < leastEu.correctedStress())) leastEu = b;
            if (least == null || b.correctedStress() < least.correctedStress()) least = b;
            if (fewest == null || b.conferences() < fewest.conferences()) fewest = b;
        }
        bests.add(leastEu.id());
        bests.add(least.id());
        bests.add(fewest.id());
        bests.add(list.get(0).id());
        newConferenceBestsExcluded = new SelectionRequest(snapshot, Map.of(), ParticipantProperties.inRegion("eu-west"),
                null, ExclusionSet.of(bests), "moved@conference.example.com");
        Map<String, ConferenceBridgeProperties> conf = new java.util.LinkedHashMap<>();
        conf.put(list.get(2).id(), ConferenceBridgeProperties.of(12));
        conf.put(list.get(bridges - 1).id(), ConferenceBridgeProperties.of(3));
        joining = new SelectionRequest(snapshot, conf, ParticipantProperties.inRegion("eu-west"), null,
                ExclusionSet.none(), "running@conference.example.com");
        // the same bridges in 16 distinct snapshot objects, taken in turn
        onFreshSnapshots = new SelectionRequest[16];
        for (int i = 0; i < onFreshSnapshots.length; i++) {
            onFreshSnapshots[i] = new SelectionRequest(new BridgeSnapshot(2 + i, Instant.now(), list), Map.of(),
                    ParticipantProperties.inRegion("eu-west"), null, ExclusionSet.none(), "new@conference.example.com");
        }
    }

    @Benchmark
    public Decision newConference() {
        return selector.select(newConference);
    }

    /** A new conference whose best bridges are excluded. */
    @Benchmark
    public Decision newConferenceBestsExcluded() {
        return selector.select(newConferenceBestsExcluded);
    }

    @Benchmark
    public Decision joinRunningConference() {
        return selector.select(joining);
    }

    /** A new conference on a snapshot the selector has not seen: the first decision after each published snapshot. */
    @Benchmark
    public Decision newConferenceOnNewSnapshot() {
        SelectionRequest r = onFreshSnapshots[fresh];
        fresh = (fresh + 1) & (onFreshSnapshots.length - 1);
        return selector.select(r);
    }
}
