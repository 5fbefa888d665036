package io.focus.selection.reference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import java.util.List;
import java.util.Map;

/**
 * The shape shared by the strategies that keep a conference on one bridge while they may: stay on the conference's
 * least loaded bridge that is within the limits; else pick a new bridge among those within the limits (how is up
 * to the subclass); else stay on the conference's least loaded bridge anyway; else pick among all candidates.
 */
abstract class OneBridgePerConference implements BridgeSelectionStrategy {
    private final Reason stay;
    private final Reason pick;
    private final Reason stayOverloaded;
    private final Reason pickOverloaded;
    private final Reason none;

    OneBridgePerConference(String name, String how) {
        stay = Reason.of(name + ": stay on the conference's bridge");
        pick = Reason.of(name + ": " + how);
        stayOverloaded = Reason.of(name + ": every bridge over its limits, stay on the conference's bridge");
        pickOverloaded = Reason.of(name + ": every bridge over its limits, " + how);
        none = Reason.of(name + ": no candidates");
    }

    /**
     * Picks one bridge of the pool: the candidates not in the conference and, when {@code withinLimits}, not over
     * the limits for it. {@code poolSize} (at least 1) is how many there are.
     */
    abstract BridgeState choose(List<BridgeState> candidates, Pool pool, int poolSize);

    @Override
    public final Decision select(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        boolean hasConf = !conf.isEmpty();
        BridgeState stayOn = null, stayAnyway = null;
        int ok = 0, outside = 0;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            BridgeState b = candidates.get(i);
            boolean within = !limits.overloadedFor(b, request);
            if (hasConf && conf.containsKey(b.id())) {
                double s = b.correctedStress();
                if (within && (stayOn == null || s < stayOn.correctedStress())) stayOn = b;
                if (stayAnyway == null || s < stayAnyway.correctedStress()) stayAnyway = b;
            } else {
                outside++;
                if (within) ok++;
            }
        }
        if (stayOn != null) return Decision.of(stayOn, stay);
        if (ok > 0) return Decision.of(choose(candidates, new Pool(request, limits, true), ok), pick);
        if (stayAnyway != null) return Decision.of(stayAnyway, stayOverloaded);
        if (outside > 0) return Decision.of(choose(candidates, new Pool(request, limits, false), outside), pickOverloaded);
        return Decision.none(none);
    }

    /** Which candidates a new pick may take. */
    static final class Pool {
        private final SelectionRequest request;
        private final ConferenceLimits limits;
        private final boolean withinLimits;

        Pool(SelectionRequest request, ConferenceLimits limits, boolean withinLimits) {
            this.request = request;
            this.limits = limits;
            this.withinLimits = withinLimits;
        }

        boolean contains(BridgeState b) {
            Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
            return (conf.isEmpty() || !conf.containsKey(b.id())) && (!withinLimits || !limits.overloadedFor(b, request));
        }

        /** The k-th (0-based) member of the pool in candidate order. */
        BridgeState nth(List<BridgeState> candidates, int k) {
            for (int i = 0, n = candidates.size(); i < n; i++) {
                BridgeState b = candidates.get(i);
                if (contains(b) && k-- == 0) {
                    return b;
                }
            }
            throw new IllegalStateException("pool smaller than counted");
        }
    }
}
