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
 * <p>"Least loaded" is the minimum corrected stress found in one pass; ties keep snapshot order.
 */
public final class LeastStressStrategy implements BridgeSelectionStrategy {
    public static final String NAME = "least-stress";

    static final Reason STAY = Reason.of("least-stress: stay on the conference's bridge");
    static final Reason NEW_IN_REGION = Reason.of("least-stress: least loaded in the participant's region");
    static final Reason NEW_ANYWHERE = Reason.of("least-stress: least loaded, none in the participant's region");
    static final Reason STAY_OVERLOADED = Reason.of("least-stress: every bridge over its limits, stay on the conference's bridge");
    static final Reason OVERLOADED_IN_REGION = Reason.of("least-stress: every bridge over its limits, least loaded in region");
    static final Reason OVERLOADED_ANYWHERE = Reason.of("least-stress: every bridge over its limits, least loaded");

    @Override public String name() { return NAME; }

    @Override
    public Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        boolean hasConf = !conf.isEmpty();
        String region = request.participant().region();
        BridgeState stay = null, inRegion = null, any = null, stayOver = null, regionOver = null, anyOver = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            double s = b.correctedStress();
            boolean inConf = hasConf && conf.containsKey(b.id());
            boolean ok = !limits.overloadedFor(b, request);
            boolean sameRegion = Picks.sameRegion(region, b);
            if (inConf) {
                if (ok && (stay == null || s < stay.correctedStress())) {
                    stay = b;
                }
                if (stayOver == null || s < stayOver.correctedStress()) {
                    stayOver = b;
                }
            } else if (ok) {
                if (sameRegion && (inRegion == null || s < inRegion.correctedStress())) {
                    inRegion = b;
                }
                if (any == null || s < any.correctedStress()) {
                    any = b;
                }
            }
            if (sameRegion && (regionOver == null || s < regionOver.correctedStress())) {
                regionOver = b;
            }
            if (anyOver == null || s < anyOver.correctedStress()) {
                anyOver = b;
            }
        }
        if (stay != null) return Decision.of(stay, STAY);
        if (inRegion != null) return Decision.of(inRegion, NEW_IN_REGION);
        if (any != null) return Decision.of(any, NEW_ANYWHERE);
        if (stayOver != null) return Decision.of(stayOver, STAY_OVERLOADED);
        if (regionOver != null) return Decision.of(regionOver, OVERLOADED_IN_REGION);
        if (anyOver != null) return Decision.of(anyOver, OVERLOADED_ANYWHERE);
        return Decision.none(Reason.of("least-stress: no candidates"));
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
