package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bridge per conference; new conferences take the eligible bridges in turn (snapshot order). Beyond Jicofo
 * (jicofo#1300). The only state is a counter, so it is safe from any thread; when the set of eligible bridges
 * changes, the turn moves on from the same position in the new set.
 */
public final class RoundRobinStrategy extends OneBridgePerConference {
    public static final String NAME = "round-robin";
    private final AtomicLong turn = new AtomicLong();

    public RoundRobinStrategy() {
        super(NAME, "next in turn");
    }

    @Override public String name() { return NAME; }

    @Override BridgeState choose(List<BridgeState> pool) {
        return pool.get((int) Math.floorMod(turn.getAndIncrement(), (long) pool.size()));
    }

    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of(); } // Jicofo has no such strategy
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new RoundRobinStrategy();
        }
    }
}
