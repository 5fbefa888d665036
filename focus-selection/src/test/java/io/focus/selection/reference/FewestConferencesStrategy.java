package io.focus.selection.reference;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Set;

/**
 * One bridge per conference; a new conference goes to the bridge with the fewest conferences of this focus (ties:
 * lower corrected stress, then snapshot order). Beyond Jicofo (jicofo#1300): classes that are created while still
 * nearly empty all look alike to "least stress" and pile onto one bridge; counting conferences spreads them.
 */
public final class FewestConferencesStrategy extends OneBridgePerConference {
    public static final String NAME = "fewest-conferences";

    public FewestConferencesStrategy() {
        super(NAME, "fewest conferences");
    }

    @Override public String name() { return NAME; }

    @Override BridgeState choose(List<BridgeState> candidates, Pool pool, int poolSize) {
        BridgeState best = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            if (!pool.contains(b)) {
                continue;
            }
            if (best == null || b.conferences() < best.conferences()
                    || (b.conferences() == best.conferences() && b.correctedStress() < best.correctedStress())) {
                best = b;
            }
        }
        return best;
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
