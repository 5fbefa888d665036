package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.Candidates;
import io.focus.selection.SelectionSettings;

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

    @Override int choose(Candidates c, boolean withinLimits, int poolSize) {
        int[] flaws = c.index().flaws();
        int[] conferences = c.index().conferences();
        double[] stress = c.index().stress();
        int[] outsiders = c.outsiders();
        int[] skip = c.skip();
        int best = -1;
        for (int t = 0, sp = 0, next = skip[0], n = outsiders.length; t < n; t++) {
            int j = outsiders[t];
            if (j == next) {
                next = skip[++sp];
                continue;
            }
            if (withinLimits && !Candidates.within(flaws[j])) {
                continue;
            }
            if (best < 0 || conferences[j] < conferences[best]
                    || (conferences[j] == conferences[best] && stress[j] < stress[best])) {
                best = j;
            }
        }
        return best;
    }

    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new FewestConferencesStrategy();
        }
    }
}
