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
 * One bridge per conference (Jicofo's {@code SingleBridgeSelectionStrategy}): the conference stays on its bridge
 * while that bridge is within the limits; a new conference gets the least loaded bridge in the participant's
 * region, else the least loaded anywhere.
 *
 * <p>Two deliberate differences from Jicofo. (1) The conference's bridge is kept only while it is within the
 * limits ({@link ConferenceLimits#overloadedFor}); past them the conference goes to another bridge like a new one
 * would (the selector only lets that happen when the conference can spread; otherwise it keeps the conference on
 * its bridge and flags it over cap). (2) Jicofo's initial pick takes the least loaded bridge <em>in the region</em>
 * with no overload check, so an overloaded in-region bridge beats an idle one elsewhere. Here the region is a
 * preference among bridges that are not overloaded: an overloaded in-region bridge loses to an idle one elsewhere,
 * because a participant on an overloaded bridge hurts everyone on it while a remote bridge costs only latency.
 * When every bridge is overloaded the region wins again (then latency is the only thing left to save).
 *
 * <p>"Least loaded" is the minimum corrected stress; ties go to the earlier bridge in snapshot order.
 */
public final class LeastStressStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "least-stress";

    static final Reason STAY = Reason.of("least-stress: stay on the conference's bridge");
    static final Reason NEW_IN_REGION = Reason.of("least-stress: least loaded in the participant's region");
    static final Reason NEW_ANYWHERE = Reason.of("least-stress: least loaded, none in the participant's region");
    static final Reason STAY_OVERLOADED = Reason.of("least-stress: every bridge over its limits, stay on the conference's bridge");
    static final Reason OVERLOADED_IN_REGION = Reason.of("least-stress: every bridge over its limits, least loaded in region");
    static final Reason OVERLOADED_ANYWHERE = Reason.of("least-stress: every bridge over its limits, least loaded");
    static final Reason NO_CANDIDATES = Reason.of("least-stress: no candidates");

    private static final Tiers TIERS = new Tiers(STAY, NEW_IN_REGION, NEW_ANYWHERE, STAY_OVERLOADED,
            OVERLOADED_IN_REGION, OVERLOADED_ANYWHERE);

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Picks is = new Picks(request, limits);
        String region = request.participant().region();
        return TIERS.first(candidates, NO_CANDIDATES, b -> {
            boolean mine = is.inConference(b);
            boolean ok = is.withinLimits(b);
            if (mine && ok) return STAY;
            if (!mine && ok && Picks.inRegion(region, b)) return NEW_IN_REGION;
            if (!mine && ok) return NEW_ANYWHERE;
            if (mine) return STAY_OVERLOADED;
            // from here on the conference has no candidate of its own (else it would have stayed on one)
            if (Picks.inRegion(region, b)) return OVERLOADED_IN_REGION;
            return OVERLOADED_ANYWHERE;
        });
    }

    /** {@code least-stress}, also Jicofo's {@code SingleBridgeSelectionStrategy}. */
    public static final class Provider implements StrategyProvider {
        @Override public String name() { return NAME; }
        @Override public Set<String> aliases() { return Set.of("SingleBridgeSelectionStrategy"); }
        @Override public BridgeSelectionStrategy create(Config config) {
            SelectionSettings.from(config);
            return new LeastStressStrategy();
        }
    }
}
