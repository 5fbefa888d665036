package io.focus.app.wiring;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.admin.SelectionLog;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.Reloadable;
import io.focus.core.selection.BridgeSelector;
import io.focus.core.selection.Decision;
import io.focus.core.selection.SelectionRequest;
import io.focus.selection.FilteringBridgeSelector;
import io.focus.selection.SelectionMetrics;
import io.focus.selection.SelectionSettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selector the conferences call: focus-selection's {@link FilteringBridgeSelector} built from the current
 * configuration, swapped for a new one on reload (selection settings and strategy apply to the next decision).
 * Every decision is appended to the {@link SelectionLog}. The counters ({@link SelectionMetrics}) are registered once
 * and every selector built on reload counts on into them.
 */
@Singleton
public final class ReloadableSelector implements BridgeSelector, Reloadable {
    private static final Logger log = LoggerFactory.getLogger(ReloadableSelector.class);

    private final Clock clock;
    private final SelectionLog selections;
    private final SelectionMetrics metrics;
    private volatile FilteringBridgeSelector current;

    @Inject
    public ReloadableSelector(Config config, CollectorRegistry registry, Clock clock, SelectionLog selections,
                              ConfigHolder holder) {
        this.clock = clock;
        this.selections = selections;
        this.metrics = new SelectionMetrics(registry);
        this.current = FilteringBridgeSelector.create(config, metrics, clock);
        holder.addListener(this);
    }

    @Override
    public Decision select(SelectionRequest request) {
        Decision d = current.select(request);
        selections.record(request, d);
        return d;
    }

    @Override public String strategyName() { return current.strategyName(); }

    @Override public String name() { return "bridge selection"; }

    /**
     * What the rebuilt selector uses (its {@code SelectionSettings} and strategy). Not the ramp-up keys and the
     * per-interval window it also validates: the registry and the conferences read those once, at start-up. A plug-in
     * strategy's own keys outside {@code focus.selection} are re-read too, but reported as needing a restart.
     */
    @Override
    public List<String> keys() {
        return List.of(SelectionSettings.STRATEGY, SelectionSettings.STRESS_THRESHOLD,
                SelectionSettings.MAX_BRIDGE_PARTICIPANTS, SelectionSettings.MAX_PER_INTERVAL,
                SelectionSettings.REGION_GROUPS, SelectionSettings.LOCAL_REGION,
                SelectionSettings.ALLOW_MIXED_VERSIONS, "focus.selection.");
    }

    @Override
    public Runnable prepare(Config next) {
        FilteringBridgeSelector fresh = FilteringBridgeSelector.create(next, metrics, clock);
        return () -> {
            String before = current.strategyName();
            current = fresh;
            log.info("reload: bridge selection now uses strategy {} (was {})", fresh.strategyName(), before);
        };
    }
}
