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
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filters in front of every strategy (docs/design.md, "Selection: what may be relaxed, and in which order").
 *
 * <p><b>Never relaxed:</b> a bridge not in the snapshot (conference entries for unknown bridges are ignored, picks
 * come only from the snapshot), a bridge shutting down, a bridge in the request's {@link ExclusionSet}. Also never
 * relaxed: the version (the version of the conference's bridge, else the pin, unless
 * {@code jicofo.octo.allow-mixed-versions}), and, for a conference that spreads, a new bridge without a relay id
 * (it could not be linked).
 *
 * <p><b>Relaxed, in this order, only when nothing else is left:</b> failed (non-operational) → overloaded
 * (corrected stress ≥ threshold) → caps (per conference per bridge, join rate, absolute per-bridge caps) →
 * graceful shutdown → draining → failing ICE → suspect. Each bridge's flaws form a bit mask with one bit per filter, the later-relaxed
 * filters in the higher bits, so comparing masks as numbers compares "how late in the order a bridge needs
 * relaxing", then the next flaw down: a failed bridge is taken before an overloaded one, an overloaded one before a
 * failed-and-overloaded one, anything before a draining one. The strategy sees the bridges with the smallest mask
 * present (no relaxation at all when a flawless bridge exists); if it finds nothing there, the next mask value is
 * added. A <em>suspect</em> bridge ({@link BridgeState#suspect()}: something the focus sent it went unanswered and it
 * has answered nothing since) is relaxed last of all: it gets no new participant while any other candidate exists,
 * and when it is the only one left the pick is logged and counted as relaxation {@code suspect} like the others. A
 * bridge <em>failing ICE</em> ({@link BridgeState#failingIce()}: Jicofo's ICE-failure detection) is relaxed just
 * before that, as {@code failing_ice}.
 *
 * <p><b>Cost.</b> Everything about a bridge that does not depend on the request (its flaws as a bridge the conference
 * does not use, stress, region, version, relay id) is worked out once per published snapshot in a
 * {@link SnapshotIndex}, kept until a request brings another snapshot. A decision then looks only at the bridges it
 * names (the conference's, the excluded ones: their counts move, their flaws for this conference are worked out),
 * takes the precomputed candidate array of the least relaxation level and hands it to the strategy as
 * {@link Candidates}; the built-in strategies take the outsiders' bests precomputed for that level (per region,
 * about one look-up per region; a region is scanned only when the request skips its best), with no sort, no scan
 * of all bridges and no allocation that grows with the number of bridges. Each relaxation the pick needed is recorded in the
 * {@link Reason}, counted in {@code focus_selection_relaxations_total{relaxation}} and logged (one INFO line per
 * interval, the rest at DEBUG).
 *
 * <p><b>A conference that cannot spread</b> (Octo off, or one of its bridges has no relay id) stays on its bridge
 * whatever the limits say (splitting it without relays would cut the call); past a cap or the stress threshold that
 * is flagged {@link Reason#overCap()} and counted. When its bridge is excluded or gone, the placement starts afresh.
 *
 * <p>Thread-safe and lock-free: it reads only the immutable request; the strategy may keep its own small state.
 */
public final class FilteringBridgeSelector implements BridgeSelector {
    private static final Logger log = LoggerFactory.getLogger(FilteringBridgeSelector.class);

    // One bit per relaxable flaw, in relaxation order (later-relaxed flaws in higher bits).
    private static final int FAILED = SnapshotIndex.FAILED, OVERLOADED = SnapshotIndex.OVERLOADED,
            CAPS = SnapshotIndex.CAPS, GRACEFUL = SnapshotIndex.GRACEFUL, DRAINING = SnapshotIndex.DRAINING,
            FAILING_ICE = SnapshotIndex.FAILING_ICE, SUSPECT = SnapshotIndex.SUSPECT;
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
    /** The index of the last snapshot seen; replaced when a request brings another snapshot. */
    private volatile SnapshotIndex index;

    /**
     * @param settings validated selection settings
     * @param strategy the operator's strategy (see {@link StrategyLookup})
     * @param registry where the selection counters are registered (once per registry)
     * @param clock paces the INFO log lines
     */
    public FilteringBridgeSelector(SelectionSettings settings, BridgeSelectionStrategy strategy,
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
    public static FilteringBridgeSelector create(Config config, CollectorRegistry registry, Clock clock) {
        return new FilteringBridgeSelector(SelectionSettings.from(config), StrategyLookup.standard().create(config),
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

    /**
     * The index of this snapshot: the one kept from the last decision when the request carries the same snapshot
     * (by identity: a new snapshot is a new object, and sequence numbers are only unique within one registry), else
     * a new one, kept for the next decisions.
     */
    SnapshotIndex indexFor(BridgeSnapshot snapshot) {
        SnapshotIndex ix = index;
        if (ix == null || ix.snapshot() != snapshot) {
            ix = SnapshotIndex.of(snapshot, limits);
            index = ix;
        }
        return ix;
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
        SnapshotIndex ix = indexFor(request.snapshot());
        SnapshotIndex.Pool pool = ix.pool(version, anchor != null);
        int[] category = pool.category;
        int[] byFlaws = pool.byFlaws.clone();
        int excluded = 0, shuttingDown = pool.shut, wrongVersion = pool.wrongVersion, noRelay = pool.noRelay;

        // The few bridges the request names: excluded ones leave the counts they were in; the conference's own
        // move from their flaws as outsiders to their flaws for this conference (and back in if they lack a relay).
        int[] exPos = NONE_PLACED;
        int exCount = 0;
        if (!request.exclusions().isEmpty()) {
            exPos = new int[request.exclusions().bridgeIds().size()];
            for (String id : request.exclusions().bridgeIds()) {
                int j = ix.position(id);
                if (j < 0) {
                    continue;
                }
                excluded++;
                int c = category[j];
                if (c == SnapshotIndex.SHUT) shuttingDown--;
                else if (c == SnapshotIndex.WRONG_VERSION) wrongVersion--;
                else if (c == SnapshotIndex.NO_RELAY) noRelay--;
                else byFlaws[c]--;
                exPos[exCount++] = j;
            }
        }
        Members members = Members.NONE;
        if (!conf.isEmpty()) {
            members = new Members(conf.size());
            for (Map.Entry<String, ConferenceBridgeProperties> e : conf.entrySet()) {
                int j = ix.position(e.getKey());
                if (j < 0 || contains(exPos, exCount, j)) {
                    continue;
                }
                int c = category[j];
                if (c == SnapshotIndex.SHUT || c == SnapshotIndex.WRONG_VERSION) {
                    continue;
                }
                ConferenceBridgeProperties p = e.getValue();
                int f = SnapshotIndex.flaws(ix.bridge(j), p, limits);
                if (c == SnapshotIndex.NO_RELAY) noRelay--;
                else byFlaws[c]--;
                byFlaws[f]++;
                members.add(j, p, f, c, limits.maxed(p));
            }
        }

        Reason.Builder reason = Reason.builder()
                .removed(Filter.EXCLUDED, excluded).removed(Filter.SHUTTING_DOWN, shuttingDown)
                .removed(Filter.VERSION, wrongVersion).removed(Filter.NO_RELAY, noRelay);
        int least = nextPresent(byFlaws, -1);
        if (least < 0) {
            return Decision.none(reason.candidates(0).build(version == null
                    ? "no bridge left" : "no bridge left with version " + version));
        }
        Candidates candidates = candidatesAt(least, ix, pool, request, exPos, exCount, members);
        Decision d = strategy.select(candidates, request, limits);
        while (!d.found()) {
            int next = nextPresent(byFlaws, least);
            if (next < 0) {
                countRemoved(reason, byFlaws, least);
                return Decision.none(reason.candidates(candidates.size()).build(d.reason().rule()));
            }
            least = next;
            candidates = candidatesAt(least, ix, pool, request, exPos, exCount, members);
            d = strategy.select(candidates, request, limits);
        }
        countRemoved(reason, byFlaws, least);
        recordRelaxations(reason, pickedFlaws(d.bridge(), ix, members, conf));
        return Decision.of(d.bridge(), reason.candidates(candidates.size()).build(d.reason().rule()));
    }

    private static final int[] NONE_PLACED = new int[0];

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** The conference's bridges that pass the never-relaxed filters, in snapshot order. */
    private static final class Members {
        static final Members NONE = new Members(0);
        final int[] pos, flaws, category;
        final ConferenceBridgeProperties[] props;
        final boolean[] maxed;
        int n;

        Members(int capacity) {
            pos = new int[capacity];
            flaws = new int[capacity];
            category = new int[capacity];
            props = new ConferenceBridgeProperties[capacity];
            maxed = new boolean[capacity];
        }

        void add(int j, ConferenceBridgeProperties p, int f, int c, boolean m) {
            int i = n++;
            while (i > 0 && pos[i - 1] > j) {
                pos[i] = pos[i - 1]; props[i] = props[i - 1]; flaws[i] = flaws[i - 1];
                category[i] = category[i - 1]; maxed[i] = maxed[i - 1];
                i--;
            }
            pos[i] = j; props[i] = p; flaws[i] = f; category[i] = c; maxed[i] = m;
        }
    }

    /** The candidates when bridges with flaws up to {@code mask} are allowed. */
    private static Candidates candidatesAt(int mask, SnapshotIndex ix, SnapshotIndex.Pool pool, SelectionRequest request,
                                           int[] exPos, int exCount, Members m) {
        int[] outsiders = pool.level(mask);
        int[] skip = Candidates.NO_SKIP;
        int skipCount = 0;
        int possible = exCount + m.n;
        if (possible > 0) {
            skip = new int[possible + 1];
            for (int i = 0; i < exCount; i++) {
                if (pool.category[exPos[i]] <= mask) skip[skipCount++] = exPos[i];
            }
            for (int i = 0; i < m.n; i++) {
                if (m.category[i] <= mask) skip[skipCount++] = m.pos[i];
            }
            java.util.Arrays.sort(skip, 0, skipCount);
            skip[skipCount] = Integer.MAX_VALUE;
        }
        int within = pool.withinUpTo(mask);
        for (int i = 0; i < skipCount; i++) {
            if ((pool.category[skip[i]] & (SnapshotIndex.OVERLOADED | SnapshotIndex.CAPS)) == 0) within--;
        }
        int in = 0;
        for (int i = 0; i < m.n; i++) {
            if (m.flaws[i] <= mask) in++;
        }
        if (in == m.n) {
            return new Candidates(ix, pool, mask, request, outsiders, skip, skipCount, m.pos, m.props, m.flaws, m.maxed, m.n)
                    .withOutsidersWithin(within);
        }
        int[] pos = new int[in], flaws = new int[in];
        ConferenceBridgeProperties[] props = new ConferenceBridgeProperties[in];
        boolean[] maxed = new boolean[in];
        for (int i = 0, k = 0; i < m.n; i++) {
            if (m.flaws[i] <= mask) {
                pos[k] = m.pos[i]; flaws[k] = m.flaws[i]; props[k] = m.props[i]; maxed[k] = m.maxed[i];
                k++;
            }
        }
        return new Candidates(ix, pool, mask, request, outsiders, skip, skipCount, pos, props, flaws, maxed, in)
                .withOutsidersWithin(within);
    }

    /** The flaws the picked bridge has for this conference. */
    private int pickedFlaws(BridgeState b, SnapshotIndex ix, Members m, Map<String, ConferenceBridgeProperties> conf) {
        for (int i = 0; i < m.n; i++) {
            if (ix.bridge(m.pos[i]) == b) {
                return m.flaws[i];
            }
        }
        int j = ix.position(b.id());
        if (j >= 0 && ix.bridge(j) == b && !conf.containsKey(b.id())) {
            return ix.flaws()[j];
        }
        return SnapshotIndex.flaws(b, conf.isEmpty() ? null : conf.get(b.id()), limits);
    }

    /** The conference cannot spread: it stays on its bridge, past the limits if it must. */
    private Decision stay(BridgeState anchor, SelectionRequest request) {
        int flaws = SnapshotIndex.flaws(anchor, request.conferenceBridges().get(anchor.id()), limits);
        Reason.Builder reason = Reason.builder().candidates(1);
        if ((flaws & FAILED) != 0) {
            reason.relaxed(Relaxation.NOT_OPERATIONAL);
        }
        if ((flaws & FAILING_ICE) != 0) {
            reason.relaxed(Relaxation.FAILING_ICE);
        }
        if ((flaws & SUSPECT) != 0) {
            reason.relaxed(Relaxation.SUSPECT);
        }
        reason.overCap((flaws & (OVERLOADED | CAPS)) != 0);
        String why = !settings.octoEnabled() ? "stay: the conference cannot spread (Octo is off)"
                : "stay: the conference cannot spread (a bridge of it has no relay id)";
        return Decision.of(anchor, reason.build(why));
    }

    private static int nextPresent(int[] byFlaws, int mask) {
        for (int f = mask + 1; f < byFlaws.length; f++) {
            if (byFlaws[f] > 0) {
                return f;
            }
        }
        return -1;
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
                    : (left & GRACEFUL) != 0 ? Filter.GRACEFUL
                    : (left & FAILING_ICE) != 0 ? Filter.FAILING_ICE
                    : Filter.SUSPECT;
            reason.removed(filter, byFlaws[f]);
        }
    }

    private static void recordRelaxations(Reason.Builder reason, int flaws) {
        if ((flaws & FAILED) != 0) reason.relaxed(Relaxation.NOT_OPERATIONAL);
        if ((flaws & OVERLOADED) != 0) reason.relaxed(Relaxation.OVERLOADED);
        if ((flaws & CAPS) != 0) reason.relaxed(Relaxation.CAPS);
        if ((flaws & (GRACEFUL | DRAINING)) != 0) reason.relaxed(Relaxation.DRAINING);
        if ((flaws & FAILING_ICE) != 0) reason.relaxed(Relaxation.FAILING_ICE);
        if ((flaws & SUSPECT) != 0) reason.relaxed(Relaxation.SUSPECT);
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
