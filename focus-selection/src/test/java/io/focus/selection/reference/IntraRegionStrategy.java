package io.focus.selection.reference;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import io.focus.core.selection.StrategyProvider;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Map;
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

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        BridgeState anchor = Picks.anchor(request);
        if (anchor == null) {
            String region = request.participant().region();
            BridgeState inRegion = null, any = null;
            for (int i = 0, n = candidates.size(); i < n; i++) {
                BridgeState b = candidates.get(i);
                double s = b.correctedStress();
                if (Picks.sameRegion(region, b) && (inRegion == null || s < inRegion.correctedStress())
                        && !limits.overloadedFor(b, request)) {
                    inRegion = b;
                }
                if (any == null || s < any.correctedStress()) {
                    any = b;
                }
            }
            if (inRegion != null) return Decision.of(inRegion, NEW_IN_REGION);
            if (any != null) return Decision.of(any, NEW_ANY);
            return Decision.none(Reason.of("intra-region: no candidates"));
        }
        String r = anchor.region();
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        BridgeState stay = null, spill = null, stayLoaded = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            if (r == null ? b.region() != null : !r.equals(b.region())) {
                continue;
            }
            double s = b.correctedStress();
            boolean inConf = conf.containsKey(b.id());
            boolean ok = !limits.overloadedFor(b, request);
            if (ok && inConf && (stay == null || s < stay.correctedStress())) stay = b;
            if (ok && (spill == null || s < spill.correctedStress())) spill = b;
            if (inConf && (stayLoaded == null || s < stayLoaded.correctedStress())) stayLoaded = b;
        }
        if (stay != null) return Decision.of(stay, STAY);
        if (spill != null) return Decision.of(spill, SPILL);
        if (stayLoaded != null) return Decision.of(stayLoaded, STAY_LOADED);
        return Decision.none(NOTHING_IN_REGION);
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
