package io.focus.selection;

import com.typesafe.config.Config;
import io.focus.core.bridge.BridgeSnapshot;
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
import io.prometheus.client.Counter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST ORACLE: the selector as it was before the per-snapshot index (commit c4c60d1), unchanged but for its name;
 * {@link SelectionEquivalenceTest} checks the new one decides exactly as this one did. Original documentation:
 *
 * <p>The filters in front of every strategy (docs/design.md, "Selection: what may be relaxed, and in which order").
 *
 * <p><b>Never relaxed:</b> a bridge not in the snapshot (conference entries for unknown bridges are ignored, picks
 * come only from the snapshot), a bridge shutting down, a bridge in the request's {@link ExclusionSet}. Also never
 * relaxed: the version (the version of the conference's bridge, else the pin, unless
 * {@code jicofo.octo.allow-mixed-versions}), and, for a conference that spreads, a new bridge without a relay id
 * (it could not be linked).
 *
 * <p><b>Relaxed, in this order, only when nothing else is left:</b> failed (non-operational) → overloaded
 * (corrected stress ≥ threshold) → caps (per conference per bridge, join rate, absolute per-bridge caps) →
 * graceful shutdown → draining. Each bridge's flaws form a bit mask with one bit per filter, the later-relaxed
 * filters in the higher bits, so comparing masks as numbers compares "how late in the order a bridge needs
 * relaxing", then the next flaw down: a failed bridge is taken before an overloaded one, an overloaded one before a
 * failed-and-overloaded one, anything before a draining one. The strategy sees the bridges with the smallest mask
 * present (no relaxation at all when a flawless bridge exists); if it finds nothing there, the next mask value is
 * added. The whole thing is one pass over the snapshot (no sort); a second pass happens only when a strategy
 * declines. Each relaxation the pick needed is recorded in the
 * {@link Reason}, counted in {@code focus_selection_relaxations_total{relaxation}} and logged (one INFO line per
 * interval, the rest at DEBUG).
 *
 * <p><b>A conference that cannot spread</b> (Octo off, or one of its bridges has no relay id) stays on its bridge
 * whatever the limits say (splitting it without relays would cut the call); past a cap or the stress threshold that
 * is flagged {@link Reason#overCap()} and counted. When its bridge is excluded or gone, the placement starts afresh.
 *
 * <p>Thread-safe and lock-free: it reads only the immutable request; the strategy may keep its own small state.
 */
public final class ReferenceSelector implements BridgeSelector {
    private static final Logger log = LoggerFactory.getLogger(ReferenceSelector.class);

    // One bit per relaxable flaw, in relaxation order (later-relaxed flaws in higher bits).
    private static final int FAILED = 1, OVERLOADED = 2, CAPS = 4, GRACEFUL = 8, DRAINING = 16;
    private static final int STAGES = 5;
    private static final String[] OUTCOMES = {"selected", "relaxed", "over_cap", "none"};
    private static final int SELECTED = 0, RELAXED = 1, OVER_CAP = 2, NONE = 3;

    private final SelectionSettings settings;
    private final SelectionLimits limits;
    private final BridgeSelectionStrategy strategy;
    private final Counter.Child[] outcomes = new Counter.Child[OUTCOMES.length];
    private final Counter.Child[] relaxations = new Counter.Child[Relaxation.values().length];
    private final Counter rateLimited;
    private final RateLimitedLog panicLog;
    private final RateLimitedLog overCapLog;
    private final RateLimitedLog noneLog;

    /**
     * @param settings validated selection settings
     * @param strategy the operator's strategy (see {@link StrategyLookup})
     * @param registry where the selection counters are registered (once per registry)
     * @param clock paces the INFO log lines
     */
    public ReferenceSelector(SelectionSettings settings, BridgeSelectionStrategy strategy,
                                   CollectorRegistry registry, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.limits = new SelectionLimits(settings);
        Counter selections = Counter.build().name("focus_selections_total")
                .help("Bridge selections by strategy and outcome (selected, relaxed, over_cap, none)")
                .labelNames("strategy", "outcome").register(registry);
        for (int i = 0; i < OUTCOMES.length; i++) {
            outcomes[i] = selections.labels(strategy.name(), OUTCOMES[i]);
        }
        Counter relax = Counter.build().name("focus_selection_relaxations_total")
                .help("Selections that had to relax a filter because nothing else was left, by filter")
                .labelNames("relaxation").register(registry);
        for (Relaxation r : Relaxation.values()) {
            relaxations[r.ordinal()] = relax.labels(r.name().toLowerCase());
        }
        rateLimited = Counter.build().name("jitsi_jicofo_bridge_selection_rate_limited")
                .help("Selections in which a bridge of the conference was at max-bridge-participants-per-interval")
                .register(registry);
        long interval = settings.logInterval().toMillis();
        panicLog = new RateLimitedLog(clock, interval);
        overCapLog = new RateLimitedLog(clock, interval);
        noneLog = new RateLimitedLog(clock, interval);
        log.info("Bridge selection: strategy {}, {}", strategy.name(), settings);
    }

    /** The selector the configuration asks for: settings, the named strategy (through {@link StrategyLookup}). */
    public static ReferenceSelector create(Config config, CollectorRegistry registry, Clock clock) {
        return new ReferenceSelector(SelectionSettings.from(config), StrategyLookup.standard().create(config),
                registry, clock);
    }

    @Override public String strategyName() { return strategy.name(); }

    public SelectionLimits limits() { return limits; }

    @Override
    public Decision select(SelectionRequest request) {
        Decision d = decide(request);
        account(request, d);
        return d;
    }

    private Decision decide(SelectionRequest request) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        BridgeState anchor = anchor(request);
        if (anchor != null && !limits.conferenceCanSpread(request)) {
            return stay(anchor, request);
        }
        String version = null;
        if (!settings.allowMixedVersions()) {
            version = anchor != null && anchor.version() != null ? anchor.version() : request.pinnedVersion();
        }
        boolean needRelay = anchor != null;
        ExclusionSet ex = request.exclusions();
        boolean anyExcluded = !ex.isEmpty();
        boolean hasConf = !conf.isEmpty();

        List<BridgeState> bridges = request.snapshot().bridges();
        int n = bridges.size();
        int excluded = 0, shuttingDown = 0, wrongVersion = 0;
        int[] byFlaws = new int[1 << STAGES];
        int least = Integer.MAX_VALUE;
        ArrayList<BridgeState> candidates = new ArrayList<>(Math.min(n, 16));
        for (int i = 0; i < n; i++) {
            BridgeState b = bridges.get(i);
            if (anyExcluded && ex.excludes(b.id())) { excluded++; continue; }
            if (b.shuttingDown()) { shuttingDown++; continue; }
            if (version != null && !version.equals(b.version())) { wrongVersion++; continue; }
            ConferenceBridgeProperties p = hasConf ? conf.get(b.id()) : null;
            if (needRelay && p == null && b.relayId() == null) { continue; }
            int flaws = flaws(b, p);
            byFlaws[flaws]++;
            if (flaws < least) {
                least = flaws;
                candidates.clear();
                candidates.add(b);
            } else if (flaws == least) {
                candidates.add(b);
            }
        }
        Reason.Builder reason = Reason.builder()
                .removed(Filter.EXCLUDED, excluded).removed(Filter.SHUTTING_DOWN, shuttingDown)
                .removed(Filter.VERSION, wrongVersion);
        if (candidates.isEmpty()) {
            return Decision.none(reason.candidates(0).build(version == null
                    ? "no bridge left" : "no bridge left with version " + version));
        }
        Decision d = strategy.select(Collections.unmodifiableList(candidates), request, limits);
        while (!d.found()) {
            int next = nextPresent(byFlaws, least);
            if (next < 0) {
                countRemoved(reason, byFlaws, least);
                return Decision.none(reason.candidates(candidates.size()).build(d.reason().rule()));
            }
            least = next;
            candidates = upTo(bridges, request, version, needRelay, least);
            d = strategy.select(Collections.unmodifiableList(candidates), request, limits);
        }
        countRemoved(reason, byFlaws, least);
        int picked = flaws(d.bridge(), hasConf ? conf.get(d.bridge().id()) : null);
        recordRelaxations(reason, picked);
        return Decision.of(d.bridge(), reason.candidates(candidates.size()).build(d.reason().rule()));
    }

    /** The conference cannot spread: it stays on its bridge, past the limits if it must. */
    private Decision stay(BridgeState anchor, SelectionRequest request) {
        int flaws = flaws(anchor, request.conferenceBridges().get(anchor.id()));
        Reason.Builder reason = Reason.builder().candidates(1);
        if ((flaws & FAILED) != 0) {
            reason.relaxed(Relaxation.NOT_OPERATIONAL);
        }
        reason.overCap((flaws & (OVERLOADED | CAPS)) != 0);
        String why = !settings.octoEnabled() ? "stay: the conference cannot spread (Octo is off)"
                : "stay: the conference cannot spread (a bridge of it has no relay id)";
        return Decision.of(anchor, reason.build(why));
    }

    private int flaws(BridgeState b, ConferenceBridgeProperties inConference) {
        int f = 0;
        if (!b.operational()) f |= FAILED;
        if (limits.bridgeOverloaded(b)) f |= OVERLOADED;
        if (limits.capReached(b, inConference)) f |= CAPS;
        if (b.gracefulShutdown()) f |= GRACEFUL;
        if (b.draining()) f |= DRAINING;
        return f;
    }

    private static int nextPresent(int[] byFlaws, int mask) {
        for (int f = mask + 1; f < byFlaws.length; f++) {
            if (byFlaws[f] > 0) {
                return f;
            }
        }
        return -1;
    }

    private ArrayList<BridgeState> upTo(List<BridgeState> bridges, SelectionRequest request, String version,
                                        boolean needRelay, int mask) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        ArrayList<BridgeState> out = new ArrayList<>();
        for (BridgeState b : bridges) {
            if (request.exclusions().excludes(b.id()) || b.shuttingDown()
                    || (version != null && !version.equals(b.version()))) {
                continue;
            }
            ConferenceBridgeProperties p = conf.get(b.id());
            if (needRelay && p == null && b.relayId() == null) {
                continue;
            }
            if (flaws(b, p) <= mask) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Bridges left out when the candidates are those with flaws up to {@code mask}: each counted once, under the
     * first filter (in filter order) among the flaws the candidates were not allowed.
     */
    private static void countRemoved(Reason.Builder reason, int[] byFlaws, int mask) {
        for (int f = mask + 1; f < byFlaws.length; f++) {
            int left = f & ~mask;
            if (byFlaws[f] == 0 || left == 0) {
                continue;
            }
            Filter filter = (left & FAILED) != 0 ? Filter.NOT_OPERATIONAL
                    : (left & OVERLOADED) != 0 ? Filter.OVERLOADED
                    : (left & CAPS) != 0 ? Filter.CAPS
                    : (left & DRAINING) != 0 ? Filter.DRAINING
                    : Filter.GRACEFUL;
            reason.removed(filter, byFlaws[f]);
        }
    }

    private static void recordRelaxations(Reason.Builder reason, int flaws) {
        if ((flaws & FAILED) != 0) reason.relaxed(Relaxation.NOT_OPERATIONAL);
        if ((flaws & OVERLOADED) != 0) reason.relaxed(Relaxation.OVERLOADED);
        if ((flaws & CAPS) != 0) reason.relaxed(Relaxation.CAPS);
        if ((flaws & (GRACEFUL | DRAINING)) != 0) reason.relaxed(Relaxation.DRAINING);
    }

    /** The first bridge the conference keeps using (known, not shutting down, not excluded), or null. */
    static BridgeState anchor(SelectionRequest request) {
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        if (conf.isEmpty()) {
            return null;
        }
        BridgeSnapshot snapshot = request.snapshot();
        for (String id : conf.keySet()) {
            BridgeState b = snapshot.get(id);
            if (b != null && !b.shuttingDown() && !request.exclusions().excludes(id)) {
                return b;
            }
        }
        return null;
    }

    // ---- metrics and logs -------------------------------------------------------------------------------------

    private void account(SelectionRequest request, Decision d) {
        Reason r = d.reason();
        if (settings.maxParticipantsPerInterval() > 0) {
            for (ConferenceBridgeProperties p : request.conferenceBridges().values()) {
                if (limits.rateLimited(p)) {
                    rateLimited.inc();
                    break;
                }
            }
        }
        if (!d.found()) {
            outcomes[NONE].inc();
            long held = noneLog.tryAcquire();
            if (held >= 0) {
                log.warn("No bridge for conference {}: {}{}", request.conferenceId(), r, held(held));
            } else {
                log.debug("No bridge for conference {}: {}", request.conferenceId(), r);
            }
            return;
        }
        BridgeState b = d.bridge();
        if (r.anyRelaxed()) {
            for (Relaxation x : Relaxation.values()) {
                if (r.relaxed(x)) {
                    relaxations[x.ordinal()].inc();
                }
            }
        }
        if (r.overCap()) {
            outcomes[OVER_CAP].inc();
            long held = overCapLog.tryAcquire();
            if (held >= 0) {
                log.info("Over cap: conference {} stays on {} ({}) past its limits: {}{}",
                        request.conferenceId(), b.nick(), b.id(), r, held(held));
            } else {
                log.debug("Over cap: conference {} stays on {} ({}): {}", request.conferenceId(), b.nick(), b.id(), r);
            }
        } else if (r.anyRelaxed()) {
            outcomes[RELAXED].inc();
            long held = panicLog.tryAcquire();
            if (held >= 0) {
                log.info("Selection panic: conference {} placed on {} ({}) with relaxed filters: {}{}",
                        request.conferenceId(), b.nick(), b.id(), r, held(held));
            } else {
                log.debug("Selection panic: conference {} placed on {} ({}): {}", request.conferenceId(), b.nick(), b.id(), r);
            }
        } else {
            outcomes[SELECTED].inc();
            if (log.isDebugEnabled()) {
                log.debug("Conference {} placed on {} ({}): {}", request.conferenceId(), b.nick(), b.id(), r);
            }
        }
    }

    private static String held(long n) {
        return n > 0 ? " (" + n + " more like this since the last line)" : "";
    }
}
