package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One bridge per conference; a new conference goes to the bridge with the fewest conferences of this focus (ties:
 * lower corrected stress, then snapshot order). Beyond Jicofo (jicofo#1300): classes that are created while still
 * nearly empty all look alike to "least stress" and pile onto one bridge; counting conferences spreads them.
 */
public final class FewestConferencesStrategy extends OneBridgePerConference {
    public static final String NAME = "fewest-conferences";
    private static final Comparator<BridgeState> FEWEST_CONFERENCES =
            Comparator.comparingInt(BridgeState::conferences).thenComparing(Picks.BY_STRESS);

    public FewestConferencesStrategy() {
        super(NAME, "fewest conferences");
    }

    @Override public String name() { return NAME; }

    @Override BridgeState choose(List<BridgeState> pool) {
        return Picks.least(pool, b -> true, FEWEST_CONFERENCES);
    }

    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of(); } // Jicofo has no such strategy
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new FewestConferencesStrategy();
        }
    }
}
