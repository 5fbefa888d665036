package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * One bridge per conference; a new conference gets the less stressed of two eligible bridges drawn at random
 * ("power of two choices", as LiveKit's {@code twochoice} and Envoy's least-request balancer do). When the reported
 * stress is stale, least-stress sends a whole burst to the one bridge that looked idle; two random choices spread the
 * burst while still avoiding the busiest bridges.
 */
public final class PowerOfTwoStrategy extends OneBridgePerConference {
    public static final String NAME = "power-of-two";
    private final RandomGenerator random;

    /** Draws from {@link ThreadLocalRandom}. */
    public PowerOfTwoStrategy() {
        this(null);
    }

    /** @param random the source of draws (tests pass a seeded one); null for {@link ThreadLocalRandom} */
    public PowerOfTwoStrategy(RandomGenerator random) {
        super(NAME, "less stressed of two random bridges");
        this.random = random;
    }

    @Override public String name() { return NAME; }

    @Override BridgeState choose(List<BridgeState> pool) {
        if (pool.size() == 1) {
            return pool.get(0);
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        int i = r.nextInt(pool.size());
        int j = r.nextInt(pool.size() - 1);
        if (j >= i) {
            j++; // two different bridges
        }
        BridgeState first = pool.get(Math.min(i, j)), second = pool.get(Math.max(i, j));
        return second.correctedStress() < first.correctedStress() ? second : first;
    }

    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of(); } // Jicofo has no such strategy
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new PowerOfTwoStrategy();
        }
    }
}
