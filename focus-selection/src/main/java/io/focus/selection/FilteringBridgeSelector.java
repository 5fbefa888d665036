package io.focus.selection;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.BridgeSelector;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Filter;
import io.focus.core.selection.Reason.Relaxation;
import io.focus.core.selection.SelectionRequest;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filters in front of every strategy (docs/design.md, "Selection: what may be relaxed, and in which order").
 *
 * <p><b>Never relaxed:</b> a bridge not in the snapshot (conference entries for unknown bridges are ignored, picks
 * come only from the snapshot), a bridge in the request's {@link ExclusionSet}, a non-operational bridge (failed, or
 * in its failure-reset period: it gets no new participant even when it is the only bridge left; as in Jicofo, which
 * keeps only operational candidates), a bridge shutting down. Also never relaxed: the version (the version of the conference's bridge, else the pin, unless
 * {@code jicofo.octo.allow-mixed-versions}), and, for a conference that spreads, a new bridge without a relay id
 * (it could not be linked).
 *
 * <p><b>Relaxed, in this order, only when nothing else is left:</b> overloaded (corrected stress ≥ threshold) →
 * caps (per conference per bridge, join rate, absolute per-bridge caps) →
 * graceful shutdown → draining → failing ICE → suspect ({@link Flaw}). The strategy first sees the bridges that need the least
 * relaxing (none at all when a flawless bridge exists); if it finds nothing there, the next rung of the
 * {@link RelaxationLadder} is added. A <em>suspect</em> bridge ({@link BridgeState#suspect()}: something the focus
 * sent it went unanswered and it has answered nothing since) is relaxed last of all: it gets no new participant
 * while any other candidate exists. Each relaxation the pick needed is recorded in the {@link Reason}, counted in
 * {@code focus_selection_relaxations_total{relaxation}} and logged (one INFO line per interval, the rest at DEBUG;
 * see {@link SelectionAccounting}).
 *
 * <p><b>A conference that cannot spread</b> (Octo off, or one of its bridges has no relay id) stays on its bridge
 * whatever the limits say (splitting it without relays would cut the call); past a cap or the stress threshold that
 * is flagged {@link Reason#overCap()} and counted. Not on a non-operational bridge: then the decision is "none" and
 * the participant waits until the bridge recovers or failover moves the conference (Jicofo returns null there too).
 * When its bridge is excluded or gone, the placement starts afresh.
 *
 * <p><b>Cost:</b> one pass over the snapshot per decision, plus one per rung the strategy is shown; no sort, no
 * state kept between decisions. Thread-safe and lock-free: it reads only the immutable request; the strategy may
 * keep its own small state.
 */
public final class FilteringBridgeSelector implements BridgeSelector {
    private static final Logger log = LoggerFactory.getLogger(FilteringBridgeSelector.class);

    private final SelectionSettings settings;
    private final SelectionLimits limits;
    private final BridgeSelectionStrategy strategy;
    private final SelectionAccounting accounting;

    /**
     * @param settings validated selection settings
     * @param strategy the operator's strategy (see {@link StrategyLookup})
     * @param metrics the selection counters (one set per component, kept across reloads)
     * @param clock paces the INFO log lines
     */
    public FilteringBridgeSelector(SelectionSettings settings, BridgeSelectionStrategy strategy,
                                   SelectionMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.limits = new SelectionLimits(settings);
        this.accounting = new SelectionAccounting(settings, limits, strategy.name(), metrics, clock);
        log.info("Bridge selection: strategy {}, {}", strategy.name(), settings);
    }

    /** The selector the configuration asks for: settings, the named strategy (through {@link StrategyLookup}). */
    public static FilteringBridgeSelector create(Config config, SelectionMetrics metrics, Clock clock) {
        return new FilteringBridgeSelector(SelectionSettings.from(config), StrategyLookup.standard().create(config),
                metrics, clock);
    }

    /** As {@link #create(Config, SelectionMetrics, Clock)}, registering a new set of counters in {@code registry}. */
    public static FilteringBridgeSelector create(Config config, CollectorRegistry registry, Clock clock) {
        return create(config, new SelectionMetrics(registry), clock);
    }

    @Override public String strategyName() { return strategy.name(); }

    public SelectionLimits limits() { return limits; }

    @Override
    public Decision select(SelectionRequest request) {
        Decision d = decide(request);
        accounting.account(request, d);
        return d;
    }

    private Decision decide(SelectionRequest request) {
        BridgeState anchor = anchor(request);
        if (anchor != null && !limits.conferenceCanSpread(request)) {
            return stay(anchor, request);
        }
        String version = requiredVersion(anchor, request);
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        Reason.Builder reason = Reason.builder();
        List<BridgeState> bridges = request.snapshot().bridges();
        RelaxationLadder ladder = new RelaxationLadder(bridges);
        for (int i = 0; i < bridges.size(); i++) {
            BridgeState b = bridges.get(i);
            Filter removedBy = neverRelaxed(b, request, version, anchor != null);
            if (removedBy != null) {
                reason.removed(removedBy, 1);
                ladder.leaveOut(i);
            } else {
                ladder.add(i, Flaw.of(b, conf.get(b.id()), limits));
            }
        }
        if (ladder.isEmpty()) {
            return Decision.none(reason.candidates(0).build(version == null
                    ? "no bridge left" : "no bridge left with version " + version));
        }
        int rung = ladder.first();
        List<BridgeState> candidates = ladder.candidates(rung);
        Decision d = strategy.select(candidates, request, limits);
        while (!d.found() && ladder.hasRungAbove(rung)) {
            rung = ladder.above(rung);
            candidates = ladder.candidates(rung);
            d = strategy.select(candidates, request, limits);
        }
        ladder.countLeftOut(rung, reason);
        reason.candidates(candidates.size());
        if (!d.found()) {
            return Decision.none(reason.build(d.reason().rule()));
        }
        Flaw.recordRelaxations(Flaw.of(d.bridge(), conf.get(d.bridge().id()), limits), reason);
        return Decision.of(d.bridge(), reason.build(d.reason().rule()));
    }

    /** The version every pick must have: the conference's bridge's, else the pin; null when any will do. */
    private String requiredVersion(BridgeState anchor, SelectionRequest request) {
        if (settings.allowMixedVersions()) {
            return null;
        }
        return anchor != null && anchor.version() != null ? anchor.version() : request.pinnedVersion();
    }

    /**
     * The never-relaxed filter that removes the bridge, the first in this order, or null when it passes them all:
     * excluded, not operational, shutting down, wrong version, and, when the conference spreads ({@code needRelay}), a bridge it does
     * not use yet that has no relay id.
     */
    private static Filter neverRelaxed(BridgeState b, SelectionRequest request, String version, boolean needRelay) {
        if (request.exclusions().excludes(b.id())) {
            return Filter.EXCLUDED;
        }
        if (!b.operational()) {
            return Filter.NOT_OPERATIONAL;
        }
        if (b.shuttingDown()) {
            return Filter.SHUTTING_DOWN;
        }
        if (version != null && !version.equals(b.version())) {
            return Filter.VERSION;
        }
        if (needRelay && b.relayId() == null && !request.conferenceBridges().containsKey(b.id())) {
            return Filter.NO_RELAY;
        }
        return null;
    }

    /**
     * The conference cannot spread: it stays on its bridge, past the limits if it must; never on a non-operational
     * one (the participant waits: it cannot go elsewhere without cutting the call).
     */
    private Decision stay(BridgeState anchor, SelectionRequest request) {
        String cannotSpread = !settings.octoEnabled() ? "the conference cannot spread (Octo is off)"
                : "the conference cannot spread (a bridge of it has no relay id)";
        if (!anchor.operational()) {
            return Decision.none(Reason.builder().candidates(0).removed(Filter.NOT_OPERATIONAL, 1)
                    .build("no bridge left: " + cannotSpread + " and its bridge is not operational"));
        }
        int flaws = Flaw.of(anchor, request.conferenceBridges().get(anchor.id()), limits);
        Reason.Builder reason = Reason.builder().candidates(1);
        if (Flaw.FAILING_ICE.in(flaws)) {
            reason.relaxed(Relaxation.FAILING_ICE);
        }
        if (Flaw.SUSPECT.in(flaws)) {
            reason.relaxed(Relaxation.SUSPECT);
        }
        reason.overCap(Flaw.pastALimit(flaws));
        return Decision.of(anchor, reason.build("stay: " + cannotSpread));
    }

    /**
     * The first bridge the conference keeps using (known, not shutting down, not excluded), an operational one if
     * it has one; null when it keeps none. A non-operational one still anchors: a conference that cannot spread
     * must not be split onto a new bridge because its own failed.
     */
    private static BridgeState anchor(SelectionRequest request) {
        BridgeState failed = null;
        for (String id : request.conferenceBridges().keySet()) {
            BridgeState b = request.snapshot().get(id);
            if (b != null && !b.shuttingDown() && !request.exclusions().excludes(id)) {
                if (b.operational()) {
                    return b;
                }
                if (failed == null) {
                    failed = b;
                }
            }
        }
        return failed;
    }
}
