package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.log.RateLimitedLog;
import org.slf4j.event.Level;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Relaxation;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs every decision of a {@link FilteringBridgeSelector}: {@code focus_selections_total{strategy,
 * outcome}} (selected, relaxed, over_cap, none), {@code focus_selection_relaxations_total{relaxation}} (each
 * relaxation a pick needed), {@code jitsi_jicofo_bridge_selection_rate_limited} (a bridge of the conference was at
 * its join rate). Relaxed, over-cap and "none" decisions are logged at INFO (WARN for none) once per interval each,
 * the rest at DEBUG; the next INFO line says how many were held back.
 */
final class SelectionAccounting {
    // logged under the selector's name: operators filter on it
    private static final Logger log = LoggerFactory.getLogger(FilteringBridgeSelector.class);

    private final SelectionSettings settings;
    private final SelectionLimits limits;
    private final Counter.Child selected, relaxed, overCap, none;
    private final Counter.Child[] relaxations = new Counter.Child[Relaxation.values().length];
    private final Counter rateLimited;
    private final RateLimitedLog panicLog;
    private final RateLimitedLog overCapLog;
    private final RateLimitedLog noneLog;

    /** Counts into {@code metrics} (registered once per component, kept across reloads) under the strategy's name. */
    SelectionAccounting(SelectionSettings settings, SelectionLimits limits, String strategy, SelectionMetrics metrics,
                        Clock clock) {
        this.settings = settings;
        this.limits = limits;
        selected = metrics.selections.labels(strategy, "selected");
        relaxed = metrics.selections.labels(strategy, "relaxed");
        overCap = metrics.selections.labels(strategy, "over_cap");
        none = metrics.selections.labels(strategy, "none");
        for (Relaxation r : Relaxation.values()) {
            relaxations[r.ordinal()] = metrics.relaxations.labels(r.name().toLowerCase());
        }
        rateLimited = metrics.rateLimited;
        Duration interval = settings.logInterval();
        panicLog = new RateLimitedLog(clock, interval);
        overCapLog = new RateLimitedLog(clock, interval);
        noneLog = new RateLimitedLog(clock, interval);
    }

    void account(SelectionRequest request, Decision d) {
        countRateLimited(request);
        Reason r = d.reason();
        String conference = request.conferenceId();
        if (!d.found()) {
            none.inc();
            noneLog.log(log, Level.WARN, "No bridge for conference {}: {}", conference, r);
            return;
        }
        BridgeState b = d.bridge();
        for (Relaxation x : Relaxation.values()) {
            if (r.relaxed(x)) {
                relaxations[x.ordinal()].inc();
            }
        }
        if (r.overCap()) {
            overCap.inc();
            overCapLog.log(log, Level.INFO, "Over cap: conference {} stays on {} ({}) past its limits: {}",
                    conference, b.nick(), b.id(), r);
        } else if (r.anyRelaxed()) {
            relaxed.inc();
            panicLog.log(log, Level.INFO, "Selection panic: conference {} placed on {} ({}) with relaxed filters: {}",
                    conference, b.nick(), b.id(), r);
        } else {
            selected.inc();
            log.debug("Conference {} placed on {} ({}): {}", conference, b.nick(), b.id(), r);
        }
    }

    private void countRateLimited(SelectionRequest request) {
        if (settings.maxParticipantsPerInterval() <= 0) {
            return;
        }
        for (ConferenceBridgeProperties p : request.conferenceBridges().values()) {
            if (limits.rateLimited(p)) {
                rateLimited.inc();
                return;
            }
        }
    }

}
