package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.Candidates;
import io.focus.selection.SelectionSettings;
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

    @Override int choose(Candidates c, boolean withinLimits, int poolSize) {
        if (poolSize == 1) {
            return c.nth(withinLimits, 0);
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        int i = r.nextInt(poolSize);
        int j = r.nextInt(poolSize - 1);
        if (j >= i) {
            j++;
        }
        int first = c.nth(withinLimits, Math.min(i, j)), second = c.nth(withinLimits, Math.max(i, j));
        double[] stress = c.index().stress();
        return stress[second] < stress[first] ? second : first;
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
