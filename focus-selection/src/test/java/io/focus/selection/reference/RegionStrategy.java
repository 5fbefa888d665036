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
import io.focus.selection.SelectionLimits;
import io.focus.selection.SelectionSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geo-aware selection with Octo (Jicofo's {@code RegionBasedBridgeSelectionStrategy}). The region is the
 * participant's, else {@code jicofo.local-region}. With a local region configured: (a) a participant starting a
 * conference from a region whose group contains the local region is treated as local (the other early participant
 * is probably local); (b) when no candidate is in the region's group, the local region is used.
 *
 * <p>Then the first of eight tiers that finds a bridge, each the least loaded (minimum corrected stress, ties in
 * snapshot order) of the candidates that:
 * <ol>
 *   <li>are not over the limits for this conference, already in the conference, in the region;</li>
 *   <li>the same, in the region group;</li>
 *   <li>are not over the limits, in the region;</li>
 *   <li>are not over the limits, in the region group;</li>
 *   <li>are not over the limits, already in the conference;</li>
 *   <li>are not overloaded (the bridge's own stress only);</li>
 *   <li>are in the conference below {@code max-bridge-participants} (join rate ignored);</li>
 *   <li>any candidate.</li>
 * </ol>
 * All eight are found in one pass.
 */
public final class RegionStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "region";
    private static final Logger log = LoggerFactory.getLogger(RegionStrategy.class);

    static final Reason[] TIERS = {
        Reason.of("region: not loaded, in conference, in region"),
        Reason.of("region: not loaded, in conference, in region group"),
        Reason.of("region: not loaded, in region"),
        Reason.of("region: not loaded, in region group"),
        Reason.of("region: not loaded, in conference"),
        Reason.of("region: not overloaded"),
        Reason.of("region: least loaded in conference below max-bridge-participants"),
        Reason.of("region: least loaded"),
    };

    private final SelectionSettings settings;
    private final SelectionLimits caps;

    public RegionStrategy(SelectionSettings settings) {
        this.settings = settings;
        this.caps = new SelectionLimits(settings);
    }

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        boolean hasConf = !conf.isEmpty();
        String local = settings.localRegion();
        String region = request.participant().region() != null ? request.participant().region() : local;
        if (local != null && !local.equals(region)) {
            if (Picks.anchor(request) == null && settings.regionGroup(region).contains(local)) {
                region = local; // (a)
            } else if (!anyInGroup(request, settings.regionGroup(region))) {
                region = local; // (b)
            }
        }
        Set<String> group = settings.regionGroup(region);
        boolean groupEmpty = group.isEmpty();
        BridgeState[] best = new BridgeState[8];
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            double s = b.correctedStress();
            ConferenceBridgeProperties p = hasConf ? conf.get(b.id()) : null;
            boolean inConf = p != null;
            boolean ok = !limits.overloadedFor(b, request);
            boolean inRegion = Picks.sameRegion(region, b);
            boolean inGroup = inRegion || (!groupEmpty && b.region() != null && group.contains(b.region()));
            if (ok) {
                if (inConf && inRegion) best[0] = min(best[0], b, s);
                if (inConf && inGroup) best[1] = min(best[1], b, s);
                if (inRegion) best[2] = min(best[2], b, s);
                if (inGroup) best[3] = min(best[3], b, s);
                if (inConf) best[4] = min(best[4], b, s);
            }
            if (!limits.bridgeOverloaded(b)) best[5] = min(best[5], b, s);
            if (inConf && !caps.maxed(p)) best[6] = min(best[6], b, s);
            best[7] = min(best[7], b, s);
        }
        for (int t = 0; t < 8; t++) {
            if (best[t] != null) {
                return Decision.of(best[t], TIERS[t]);
            }
        }
        return Decision.none(Reason.of("region: no candidates"));
    }

    /**
     * (b) looks at the bridges Jicofo would have as candidates here (operational, not shutting down, not excluded),
     * not at ours: ours already lack the overloaded bridges, and a region whose only bridge is overloaded is not a
     * region without bridges (its participant then gets the least loaded bridge, as in Jicofo, not the local one).
     */
    private static boolean anyInGroup(SelectionRequest request, Set<String> group) {
        if (group.isEmpty()) {
            return false;
        }
        List<BridgeState> all = request.snapshot().bridges();
        for (int i = 0, n = all.size(); i < n; i++) {
            BridgeState b = all.get(i);
            String r = b.region();
            if (r != null && group.contains(r) && b.operational() && !b.shuttingDown()
                    && !request.exclusions().excludes(b.id())) {
                return true;
            }
        }
        return false;
    }

    private static BridgeState min(BridgeState best, BridgeState b, double s) {
        return best == null || s < best.correctedStress() ? b : best;
    }

    /** {@code region}, also Jicofo's {@code RegionBasedBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("RegionBasedBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings s = SelectionSettings.from(config);
            if (!s.octoEnabled()) {
                log.warn("The region strategy is meant for Octo but jicofo.octo.enabled=false: conferences will not"
                        + " spread over regions, only new conferences are placed by region.");
            }
            return new RegionStrategy(s);
        }
    }
}
