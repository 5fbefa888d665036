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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geo-aware selection with Octo (Jicofo's {@code RegionBasedBridgeSelectionStrategy}). The region is the
 * participant's, else {@code jicofo.local-region}. With a local region configured: (a) a participant starting a
 * conference from a region whose group contains the local region is treated as local (the other early participant
 * is probably local); (b) when no live bridge is in the region's group, the local region is used.
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
 *   <li>are in the conference below {@code max-bridge-participants} (join rate ignored,
 *   {@link ConferenceLimits#maxed});</li>
 *   <li>any candidate.</li>
 * </ol>
 */
public final class RegionStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "region";
    private static final Logger log = LoggerFactory.getLogger(RegionStrategy.class);

    static final Reason IN_CONFERENCE_IN_REGION = Reason.of("region: not loaded, in conference, in region");
    static final Reason IN_CONFERENCE_IN_GROUP = Reason.of("region: not loaded, in conference, in region group");
    static final Reason IN_REGION = Reason.of("region: not loaded, in region");
    static final Reason IN_GROUP = Reason.of("region: not loaded, in region group");
    static final Reason IN_CONFERENCE = Reason.of("region: not loaded, in conference");
    static final Reason NOT_OVERLOADED = Reason.of("region: not overloaded");
    static final Reason IN_CONFERENCE_BELOW_MAX =
            Reason.of("region: least loaded in conference below max-bridge-participants");
    static final Reason LEAST_LOADED = Reason.of("region: least loaded");
    static final Reason NO_CANDIDATES = Reason.of("region: no candidates");
    private static final Tiers TIERS = new Tiers(IN_CONFERENCE_IN_REGION, IN_CONFERENCE_IN_GROUP, IN_REGION, IN_GROUP,
            IN_CONFERENCE, NOT_OVERLOADED, IN_CONFERENCE_BELOW_MAX, LEAST_LOADED);

    private final SelectionSettings settings;

    public RegionStrategy(SelectionSettings settings) {
        this.settings = settings;
    }

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Picks is = new Picks(request, limits);
        String region = region(request);
        Set<String> group = settings.regionGroup(region);
        Predicate<BridgeState> inGroup = b -> Picks.inRegion(region, b) || (b.region() != null && group.contains(b.region()));
        return TIERS.first(candidates, NO_CANDIDATES, b -> {
            boolean ok = is.withinLimits(b);
            boolean mine = is.inConference(b);
            boolean inRegion = Picks.inRegion(region, b);
            if (ok && mine && inRegion) return IN_CONFERENCE_IN_REGION;
            if (ok && mine && inGroup.test(b)) return IN_CONFERENCE_IN_GROUP;
            if (ok && inRegion) return IN_REGION;
            if (ok && inGroup.test(b)) return IN_GROUP;
            if (ok && mine) return IN_CONFERENCE;
            if (is.notOverloaded(b)) return NOT_OVERLOADED;
            if (mine && is.belowMaxParticipants(b)) return IN_CONFERENCE_BELOW_MAX;
            return LEAST_LOADED;
        });
    }

    /** The region to place in: the participant's, else the local one; (a) and (b) of the class description. */
    private String region(SelectionRequest request) {
        String local = settings.localRegion();
        String region = request.participant().region() != null ? request.participant().region() : local;
        if (local == null || local.equals(region)) {
            return region;
        }
        Set<String> group = settings.regionGroup(region);
        if (Picks.anchor(request) == null && group.contains(local)) {
            return local; // (a)
        }
        return anyLiveIn(group, request) ? region : local; // (b)
    }

    /**
     * (b) looks at the bridges Jicofo would have as candidates here (operational, not shutting down, not excluded),
     * not at ours: ours may lack the overloaded bridges, and a region whose only bridge is overloaded is not a
     * region without bridges (its participant then gets the least loaded bridge, as in Jicofo, not the local one).
     */
    private static boolean anyLiveIn(Set<String> group, SelectionRequest request) {
        for (BridgeState b : request.snapshot().bridges()) {
            if (b.region() != null && group.contains(b.region()) && b.operational() && !b.shuttingDown()
                    && !request.exclusions().excludes(b.id())) {
                return true;
            }
        }
        return false;
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
