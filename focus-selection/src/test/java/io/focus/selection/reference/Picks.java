package io.focus.selection.reference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.SelectionRequest;
import java.util.Map;

/** Small helpers shared by the built-in strategies. None of them sorts; each is one pass or a map look-up. */
final class Picks {
    private Picks() {}

    /**
     * The first bridge (in the conference's order) that the conference keeps using: known to the snapshot, not
     * excluded from this placement, not shutting down. Null when there is none, i.e. the placement starts the
     * conference afresh (a new conference, or every participant is being moved off its bridges).
     */
    static BridgeState anchor(SelectionRequest r) {
        Map<String, ?> conf = r.conferenceBridges();
        if (conf.isEmpty()) {
            return null;
        }
        for (String id : conf.keySet()) {
            BridgeState b = r.snapshot().get(id);
            if (b != null && !b.shuttingDown() && !r.exclusions().excludes(id)) {
                return b;
            }
        }
        return null;
    }

    static boolean sameRegion(String region, BridgeState b) {
        return region != null && region.equals(b.region());
    }
}
