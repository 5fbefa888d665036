package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelector;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A small selector for unit tests (the real one is focus-selection's): operational, not shutting down, not
 * excluded; prefers non-drained; then a bridge in the participant's region (conference bridges first), else a
 * conference bridge, else the least stressed.
 */
final class TestSelector implements BridgeSelector {
    int calls;

    @Override public Decision select(SelectionRequest r) {
        calls++;
        List<BridgeState> c = r.snapshot().bridges().stream()
                .filter(BridgeState::operational).filter(b -> !b.shuttingDown())
                .filter(b -> !r.exclusions().excludes(b.id())).collect(Collectors.toList());
        if (c.stream().anyMatch(b -> !b.draining())) {
            c.removeIf(BridgeState::draining);
        }
        if (c.isEmpty()) {
            return Decision.none(Reason.of("no candidates"));
        }
        Comparator<BridgeState> byStress = Comparator.comparingDouble(BridgeState::correctedStress);
        String region = r.participant().region();
        if (region != null) {
            List<BridgeState> inRegion = c.stream().filter(b -> region.equals(b.region())).toList();
            if (!inRegion.isEmpty()) {
                return inRegion.stream().filter(b -> r.conferenceBridges().containsKey(b.id())).findFirst()
                        .or(() -> inRegion.stream().min(byStress))
                        .map(b -> Decision.of(b, Reason.of("in region"))).orElseThrow();
            }
        }
        return c.stream().filter(b -> r.conferenceBridges().containsKey(b.id())).findFirst()
                .map(b -> Decision.of(b, Reason.of("in conference")))
                .orElseGet(() -> Decision.of(c.stream().min(byStress).orElseThrow(), Reason.of("least stress")));
    }

    @Override public String strategyName() { return "test"; }
}
