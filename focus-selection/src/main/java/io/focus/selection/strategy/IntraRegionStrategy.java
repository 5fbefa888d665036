package io.focus.selection.strategy;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Set;

/**
 * Octo only for load (Jicofo's {@code IntraRegionBridgeSelectionStrategy}). A new conference gets the least loaded
 * bridge in the participant's region that is within its limits, else the least loaded bridge. A running
 * conference stays in the region R of its first bridge: its least loaded bridge in R within the limits, else the
 * least loaded bridge in R within the limits (spill over for load), else its least loaded bridge in R whatever the
 * load. Nothing in R gives no pick; the selector then relaxes its filters, and decides "none" when even that
 * finds nothing in R (as Jicofo does).
 */
public final class IntraRegionStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "intra-region";

    static final Reason NEW_IN_REGION = Reason.of("intra-region: not loaded in the participant's region");
    static final Reason NEW_ANY = Reason.of("intra-region: least loaded");
    static final Reason STAY = Reason.of("intra-region: not loaded, in conference, in the conference's region");
    static final Reason SPILL = Reason.of("intra-region: not loaded, in the conference's region");
    static final Reason STAY_LOADED = Reason.of("intra-region: least loaded in conference, in the conference's region");
    static final Reason NOTHING_IN_REGION = Reason.of("intra-region: no candidate in the conference's region");
    static final Reason NO_CANDIDATES = Reason.of("intra-region: no candidates");

    private static final Tiers NEW = new Tiers(NEW_IN_REGION, NEW_ANY);
    private static final Tiers RUNNING = new Tiers(STAY, SPILL, STAY_LOADED);

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Picks is = new Picks(request, limits);
        BridgeState anchor = Picks.anchor(request);
        if (anchor == null) {
            String region = request.participant().region();
            return NEW.first(candidates, NO_CANDIDATES,
                    b -> Picks.inRegion(region, b) && is.withinLimits(b) ? NEW_IN_REGION : NEW_ANY);
        }
        // a running conference stays in the region of its first bridge (or among bridges without a region)
        return RUNNING.first(candidates, NOTHING_IN_REGION, b -> {
            if (!Picks.sameRegion(anchor, b)) return null;
            boolean mine = is.inConference(b);
            boolean ok = is.withinLimits(b);
            if (mine && ok) return STAY;
            if (ok) return SPILL;
            if (mine) return STAY_LOADED;
            return null;
        });
    }

    /** {@code intra-region}, also Jicofo's {@code IntraRegionBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("IntraRegionBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new IntraRegionStrategy();
        }
    }
}
