package io.focus.selection;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * The selection counters, registered once per component: a selector rebuilt on a configuration reload counts on into
 * the same counters (labelled by its strategy), so a reload neither registers names twice nor keeps old registries.
 */
public final class SelectionMetrics {
    final Counter selections;
    final Counter relaxations;
    final Counter rateLimited;

    public SelectionMetrics(CollectorRegistry registry) {
        selections = Counter.build().name("focus_selections_total")
                .help("Bridge selections by strategy and outcome (selected, relaxed, over_cap, none)")
                .labelNames("strategy", "outcome").register(registry);
        relaxations = Counter.build().name("focus_selection_relaxations_total")
                .help("Selections that had to relax a filter because nothing else was left, by filter")
                .labelNames("relaxation").register(registry);
        rateLimited = Counter.build().name("jitsi_jicofo_bridge_selection_rate_limited")
                .help("Selections in which a bridge of the conference was at max-bridge-participants-per-interval")
                .register(registry);
    }
}
