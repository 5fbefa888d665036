package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeEvidence;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.core.bridge.Bridges;
import io.focus.core.bridge.SuspectSignal;

import io.focus.core.xmpp.connection.OwnLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of all mutable bridge state.
 *
 * <p>Every public mutator posts a task to a single control thread ({@code focus-bridges}); callers never block and
 * may call from any thread, including Smack's listener threads. After each task that changed something the registry
 * publishes a new immutable {@link BridgeSnapshot} (a volatile read for everyone else) and then delivers the
 * task's {@link BridgeEvent}s, in order, on that same thread.
 *
 * <p>Semantics that differ from Jicofo on purpose:
 * <ul>
 *   <li>A stat that is absent keeps its previous value; an unparseable one is logged once per bridge and stat and
 *       ignored.</li>
 *   <li>A bridge that never reports {@code drain} is not draining; {@code graceful_shutdown} and
 *       {@code shutting_down} clear when the bridge reports them false again.</li>
 *   <li><b>Failure reset policy (owned here, not by the doctor):</b> {@link #markFailed} makes a bridge FAILED at
 *       once (every further failure restarts the clock). It becomes OPERATIONAL again only when a passing check
 *       ({@link #markHealthy}) has been seen after the last failure <em>and</em>
 *       {@code jicofo.bridge.failure-reset-threshold} has elapsed since that failure. The periodic refresh notices
 *       the end of the period, so a pass that came early is enough.</li>
 *   <li>A bridge whose {@code uptime} stat goes down, or that {@link #bridgeRestarted} reports, restarted without
 *       leaving: it gets a RESTARTED event (its conferences are gone) and starts afresh as operational. Reports for
 *       the same bridge within {@value #RESTART_DEBOUNCE_SECONDS} s of the last RESTARTED are ignored, so a burst of
 *       {@code conference_not_found} errors causes one event.</li>
 *   <li><b>Suspicion</b> ({@link SuspectSettings}): evidence against a bridge ({@link #suspect}, unanswered
 *       requests; {@link #participantTrouble}, participants losing ICE; overdue stats, found by a timer set at every
 *       stats and by the refresh) makes it suspect: a SUSPECTED event (the health doctor probes it), and selection
 *       gives it no new participants while another bridge can take them. Any answer ({@link #answered}, a health
 *       pass, fresh stats) clears it (SUSPICION_CLEARED). Suspicion moves nobody; only FAILED does.</li>
 *   <li><b>Failing ICE</b> ({@link #setIceFailureDetection}, Jicofo's opt-in rule in {@link IceFailureTracker}): too
 *       many restart requests ({@link #participantTrouble}) for the bridge's endpoints within a window; no event,
 *       only the snapshot's flag (selection avoids the bridge), until the timeout ends.</li>
 * </ul>
 */
public final class BridgeRegistry implements Bridges, BridgeEvidence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);
    static final int RESTART_DEBOUNCE_SECONDS = 5;

    private final RegistrySettings settings;
    private final SuspectSettings suspectSettings;
    private final Clock clock;
    private final ScheduledExecutorService control;
    private final List<BridgeEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile BridgeSnapshot snapshot = BridgeSnapshot.empty();
    private volatile Thread controlThread;
    private ScheduledFuture<?> refreshTask;

    // ---- state below is touched only on the control thread ----
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<BridgeEvent> pending = new ArrayList<>();
    private boolean dirty;
    private OwnLink ownLink;
    private IceFailureSettings iceFailure = IceFailureSettings.defaults();
    private long seenLinkEpoch = Long.MIN_VALUE;
    private Instant linkSince;

    public BridgeRegistry(RegistrySettings settings, Clock clock) {
        this(settings, SuspectSettings.defaults(), clock);
    }

    public BridgeRegistry(RegistrySettings settings, SuspectSettings suspectSettings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.suspectSettings = Objects.requireNonNull(suspectSettings, "suspectSettings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "focus-bridges");
            t.setDaemon(true);
            controlThread = t;
            return t;
        });
    }

    /** Starts the periodic refresh (ramp-up window slide, end of failure-reset periods). */
    public synchronized void start() {
        if (refreshTask == null) {
            long ms = settings.refreshInterval().toMillis();
            refreshTask = control.scheduleWithFixedDelay(() -> run(this::doRefresh), ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        control.shutdown();
        try {
            control.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public RegistrySettings settings() { return settings; }

    public SuspectSettings suspectSettings() { return suspectSettings; }

    /**
     * The focus's own link (the connection the brewery is watched on): overdue stats are judged only while it is up,
     * and counted from when it last came back at the earliest. Without one, stats age from their arrival only.
     */
    public void setOwnLink(OwnLink link) {
        post(() -> {
            ownLink = link;
            seenLinkEpoch = link == null ? Long.MIN_VALUE : link.epoch();
            linkSince = null;
        });
    }

    /**
     * Jicofo's ICE-failure detection ({@link IceFailureSettings}; off until set): a bridge on which too many
     * participants asked for a restart lately is failing ICE ({@link BridgeState#failingIce()}) for a while.
     */
    public void setIceFailureDetection(IceFailureSettings s) {
        Objects.requireNonNull(s, "s");
        post(() -> {
            iceFailure = s;
            for (Entry e : entries.values()) {
                if (e.ice != null && !e.ice.interval().equals(s.interval())) {
                    e.ice = null;
                }
                updateFailingIce(e, clock.instant());
            }
        });
    }

    // ------------------------------------------------------------------ Bridges

    @Override public BridgeSnapshot snapshot() { return snapshot; }

    @Override public void addListener(BridgeEventListener listener) { listeners.add(Objects.requireNonNull(listener)); }

    @Override public void removeListener(BridgeEventListener listener) { listeners.remove(listener); }

    @Override
    public boolean setDrainedByFocus(String idOrNick, boolean drained) {
        BridgeState known = snapshot.find(idOrNick);
        if (known == null) {
            return false;
        }
        String id = known.id();
        post(() -> {
            Entry e = entries.get(id);
            if (e == null || e.drainedByFocus == drained) {
                return;
            }
            boolean before = e.effectiveDraining();
            e.drainedByFocus = drained;
            log.info("Bridge {} ({}) {} by the focus", e.nick, e.id, drained ? "drained" : "undrained");
            changed();
            if (before != e.effectiveDraining()) {
                logDraining(e);
                event(BridgeEvent.Type.DRAINING_CHANGED, e, drained ? "drained by the focus" : "undrained by the focus");
            }
        });
        return true;
    }

    // ------------------------------------------------------------------ inputs

    /** A bridge reported stats (brewery presence or pubsub item). An unknown id becomes a new bridge. */
    public void onStats(String id, BridgeStats stats) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stats, "stats");
        post(() -> doStats(id, stats));
    }

    /** The bridge left (brewery leave/kick, pubsub stats expired, grace period over). Unknown ids are ignored. */
    public void onLeft(String id, String reason) {
        post(() -> {
            Entry e = entries.remove(id);
            if (e == null) {
                return;
            }
            e.cancelOverdue();
            BridgeState last = e.toState(clock.instant(), settings);
            boolean lost = !e.gracefulShutdown && !e.shuttingDown;
            log.info("Removed bridge {} ({}){}: {}", e.nick, e.id, lost ? " (lost a bridge)" : "", reason);
            changed();
            pending.add(new BridgeEvent(BridgeEvent.Type.REMOVED, last, reason));
        });
    }

    /** The conference code placed an endpoint on the bridge (feeds the ramp-up window and the endpoint count). */
    public void endpointAdded(String id) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null) {
                e.endpoints++;
                e.rampup.add(clock.millis(), 1);
                changed();
            }
        });
    }

    public void endpointRemoved(String id) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null && e.endpoints > 0) {
                e.endpoints--;
                changed();
            }
        });
    }

    public void conferenceAdded(String id) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null) {
                e.conferences++;
                changed();
            }
        });
    }

    public void conferenceRemoved(String id) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null && e.conferences > 0) {
                e.conferences--;
                changed();
            }
        });
    }

    /** The health doctor (or an allocation error) says the bridge is not operational. */
    public void markFailed(String id, String reason) {
        post(() -> {
            Entry e = entries.get(id);
            if (e == null) {
                return;
            }
            Instant now = clock.instant();
            boolean wasFailed = e.failed;
            e.failed = true;
            e.lastFailure = now;
            e.lastFailureReason = reason;
            e.passedSinceFailure = false;
            changed();
            if (!wasFailed) {
                log.warn("Bridge {} ({}) failed: {}", e.nick, e.id, reason);
                event(BridgeEvent.Type.FAILED, e, reason);
            } else {
                log.debug("Bridge {} ({}) failed again: {}", e.nick, e.id, reason);
            }
        });
    }

    /**
     * A health check passed. A failed bridge recovers once the failure-reset threshold has also elapsed. (Whether the
     * pass is an answer from the bridge that clears its suspicion is for the caller to say with {@link #answered}: a
     * presence-mode pass only means its stats are not too old.)
     */
    public void markHealthy(String id) {
        post(() -> {
            Entry e = entries.get(id);
            if (e == null || !e.failed) {
                return;
            }
            if (!e.passedSinceFailure) {
                e.passedSinceFailure = true;
                log.info("Bridge {} ({}) passed a health check; operational again once {} have passed since its "
                        + "failure", e.nick, e.id, settings.failureResetThreshold());
            }
            maybeRecover(e, clock.instant());
        });
    }

    /**
     * Evidence against a bridge (see {@link SuspectSettings}): it becomes suspect unless it already is (a SUSPECTED
     * event). Unknown ids are ignored.
     */
    @Override
    public void suspect(String id, SuspectSignal signal, String reason) {
        Objects.requireNonNull(signal, "signal");
        post(() -> {
            Entry e = entries.get(id);
            if (e != null) {
                raiseSuspicion(e, signal, reason);
            }
        });
    }

    /** The bridge answered something (a Colibri2 reply, an error reply, a health check): it is not suspect. */
    @Override
    public void answered(String id, String what) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null) {
                clearSuspicion(e, what);
            }
        });
    }

    /**
     * A participant on the bridge reported ICE failure or asked for a restart. {@code ice-failures} distinct
     * participants within {@code ice-window} make the bridge suspect.
     *
     * @param participant something that tells participants apart (room and endpoint id)
     */
    public void participantTrouble(String id, String participant) {
        post(() -> {
            Entry e = entries.get(id);
            if (e == null) {
                return;
            }
            int n = e.suspicion.trouble(participant, clock.instant(), suspectSettings.iceWindow());
            log.info("Bridge {} ({}): participant {} reported ICE failure or asked for a restart ({} distinct within "
                    + "{}, {} make it suspect)", e.nick, e.id, participant, n, suspectSettings.iceWindow(),
                    suspectSettings.iceFailures());
            if (n >= suspectSettings.iceFailures()) {
                raiseSuspicion(e, SuspectSignal.ICE_FAILURES, n + " participants reported ICE failure or asked for a "
                        + "restart within " + suspectSettings.iceWindow());
            }
            if (iceFailure.enabled()) {
                if (e.ice == null) {
                    e.ice = new IceFailureTracker(iceFailure.interval());
                }
                Instant now = clock.instant();
                if (e.ice.restartRequested(now, e.endpoints, iceFailure)) {
                    log.warn("Bridge {} ({}) is failing ICE: {} restart requests within {} with {} endpoints (more than "
                            + "{} x {}); no new participants for {} while other bridges can take them", e.nick, e.id,
                            e.ice.requests(now), iceFailure.interval(), e.endpoints, e.endpoints,
                            iceFailure.threshold(), iceFailure.timeout());
                }
                updateFailingIce(e, now);
            }
        });
    }

    /** Publishes the end (or start) of the bridge's failing-ICE period. */
    private void updateFailingIce(Entry e, Instant now) {
        boolean failing = e.ice != null && e.ice.failing(now, iceFailure);
        if (failing != e.failingIce) {
            e.failingIce = failing;
            changed();
            if (!failing) {
                log.info("Bridge {} ({}) is no longer failing ICE", e.nick, e.id);
            }
        }
    }

    /**
     * The bridge restarted without leaving the brewery (the conference code got {@code conference_not_found} for a
     * conference it had there, or the watcher saw it come back after a reconnect with a lower uptime).
     */
    public void bridgeRestarted(String id, String reason) {
        post(() -> {
            Entry e = entries.get(id);
            if (e != null) {
                restarted(e, reason);
            }
        });
    }

    /** Runs the periodic refresh now (tests on a fake clock call this after advancing it). */
    public CompletableFuture<Void> refresh() {
        post(this::doRefresh);
        return flush();
    }

    /** Completes once every task posted before this call has run and its events were delivered. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(() -> done.complete(null));
        return done;
    }

    /** True when called on the registry's control thread. */
    public boolean onControlThread() { return Thread.currentThread() == controlThread; }

    // ------------------------------------------------------------------ control thread

    private void post(Runnable task) {
        try {
            control.execute(() -> run(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Bridge registry is closed; dropping a task");
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("Bridge registry task failed", e);
        }
        try {
            publishAndDeliver();
        } catch (RuntimeException e) {
            log.error("Bridge registry failed to publish", e);
        }
    }

    private void doStats(String id, BridgeStats stats) {
        Instant now = clock.instant();
        Entry e = entries.get(id);
        boolean added = false;
        if (e == null) {
            e = new Entry(id, settings.rampupInterval());
            entries.put(id, e);
            added = true;
        }
        boolean wasDraining = e.effectiveDraining();
        boolean wasGraceful = e.gracefulShutdown;
        boolean wasShuttingDown = e.shuttingDown;
        Double previousUptime = e.uptime;

        for (String name : stats.asMap().keySet()) {
            if (stats.unparseable(name) && e.warnedStats.add(name)) {
                log.warn("Bridge {} ({}) reported an unparseable {}='{}'; ignoring it (logged once per bridge)",
                        e.nick, e.id, name, stats.raw(name));
            }
        }
        if (stats.stressLevel() != null) e.reportedStress = stats.stressLevel();
        if (stats.averageParticipantStress() != null) e.averageParticipantStress = stats.averageParticipantStress();
        if (stats.region() != null) e.region = stats.region();
        if (stats.relayId() != null) e.relayId = stats.relayId();
        if (stats.version() != null) e.version = stats.version();
        if (stats.release() != null) e.release = stats.release();
        if (stats.drain() != null) e.draining = stats.drain();
        if (stats.gracefulShutdown() != null) e.gracefulShutdown = stats.gracefulShutdown();
        if (stats.shuttingDown() != null) e.shuttingDown = stats.shuttingDown();
        if (stats.healthy() != null) e.healthy = stats.healthy();
        if (stats.uptime() != null) e.uptime = stats.uptime();
        e.lastStatsAt = now;
        e.suspicion.statsArrived(now);
        changed();
        clearSuspicion(e, "fresh stats");
        scheduleOverdue(e);

        if (added) {
            log.info("Added bridge {} ({}) region={} version={} stress={}{}{}{}", e.nick, e.id, e.region,
                    e.fullVersion(), String.format("%.3f", e.reportedStress), e.draining ? " draining" : "",
                    e.gracefulShutdown ? " graceful-shutdown" : "", e.shuttingDown ? " shutting-down" : "");
            event(BridgeEvent.Type.ADDED, e, "joined");
            return;
        }
        if (previousUptime != null && e.uptime != null && e.uptime < previousUptime) {
            restarted(e, "uptime went down from " + previousUptime + " to " + e.uptime);
        }
        if (wasShuttingDown != e.shuttingDown) {
            if (e.shuttingDown) {
                log.info("Bridge {} ({}) is shutting down", e.nick, e.id);
                event(BridgeEvent.Type.SHUTTING_DOWN, e, "reported shutting_down=true");
            } else {
                log.info("Bridge {} ({}) is no longer shutting down", e.nick, e.id);
            }
        }
        if (wasGraceful != e.gracefulShutdown) {
            log.info("Bridge {} ({}) graceful shutdown {}", e.nick, e.id, e.gracefulShutdown ? "started" : "cleared");
            event(BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED, e, "reported graceful_shutdown=" + e.gracefulShutdown);
        }
        if (wasDraining != e.effectiveDraining()) {
            logDraining(e);
            event(BridgeEvent.Type.DRAINING_CHANGED, e, "reported drain=" + e.draining);
        }
    }

    private void restarted(Entry e, String reason) {
        Instant now = clock.instant();
        if (e.lastRestart != null
                && Duration.between(e.lastRestart, now).compareTo(Duration.ofSeconds(RESTART_DEBOUNCE_SECONDS)) < 0) {
            log.debug("Bridge {} ({}) restart report ignored (already handled): {}", e.nick, e.id, reason);
            return;
        }
        e.lastRestart = now;
        e.ice = null;
        updateFailingIce(e, now);
        e.failed = false;
        e.passedSinceFailure = false;
        changed();
        log.warn("Bridge {} ({}) restarted: {}; its conferences are gone", e.nick, e.id, reason);
        event(BridgeEvent.Type.RESTARTED, e, reason);
    }

    private void doRefresh() {
        Instant now = clock.instant();
        long nowMs = now.toEpochMilli();
        for (Entry e : entries.values()) {
            if (e.rampup.count(nowMs) != e.publishedRecent) {
                changed();
            }
            maybeRecover(e, now);
            checkOverdue(e, now);
            updateFailingIce(e, now);
        }
    }

    // ------------------------------------------------------------------ suspicion (control thread)

    private void raiseSuspicion(Entry e, SuspectSignal signal, String reason) {
        if (e.suspicion.raise(signal, reason, clock.instant())) {
            changed();
            log.warn("Bridge {} ({}) is suspect ({}): {}; no new participants while other bridges can take them",
                    e.nick, e.id, signal.label(), reason);
            event(BridgeEvent.Type.SUSPECTED, e, signal.label() + ": " + reason);
        }
    }

    private void clearSuspicion(Entry e, String what) {
        if (e.suspicion.suspect()) {
            String was = e.suspicion.reason();
            e.suspicion.clear();
            changed();
            log.info("Bridge {} ({}) is no longer suspect: {} (was: {})", e.nick, e.id, what, was);
            event(BridgeEvent.Type.SUSPICION_CLEARED, e, what);
        }
    }

    /** Looks at the bridge's stats again when they would become overdue (the refresh also looks, every second). */
    private void scheduleOverdue(Entry e) {
        e.cancelOverdue();
        long ms = suspectSettings.statsOverdueAfter(e.suspicion.shownInterval()).toMillis() + 10;
        try {
            e.overdueTimer = control.schedule(() -> run(() -> {
                if (entries.get(e.id) == e) {
                    checkOverdue(e, clock.instant());
                }
            }), ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            log.debug("Bridge registry is closed; no overdue check for {}", e.nick);
        }
    }

    /**
     * Stats older than {@code stats-overdue-factor} × the interval the bridge has shown make it suspect; not while
     * the focus's own link is down, and counted from the link's return at the earliest.
     */
    private void checkOverdue(Entry e, Instant now) {
        if (e.suspicion.suspect() || e.lastStatsAt == null) {
            return;
        }
        Instant from = e.lastStatsAt;
        OwnLink link = ownLink;
        if (link != null) {
            if (!link.ready()) {
                return;
            }
            long epoch = link.epoch();
            if (epoch != seenLinkEpoch) {
                seenLinkEpoch = epoch;
                linkSince = now;
            }
            if (linkSince != null && linkSince.isAfter(from)) {
                from = linkSince;
            }
        }
        Duration shown = e.suspicion.shownInterval();
        Duration limit = suspectSettings.statsOverdueAfter(shown);
        Duration age = Duration.between(from, now);
        if (age.compareTo(limit) > 0) {
            raiseSuspicion(e, SuspectSignal.STATS_OVERDUE, "no stats for " + age.toMillis() + " ms (every "
                    + (shown != null ? shown.toMillis() + " ms shown" : suspectSettings.statsInterval().toMillis()
                    + " ms assumed") + ", overdue after " + limit.toMillis() + " ms)");
        }
    }

    private void maybeRecover(Entry e, Instant now) {
        if (e.failed && e.passedSinceFailure
                && Duration.between(e.lastFailure, now).compareTo(settings.failureResetThreshold()) >= 0) {
            e.failed = false;
            e.passedSinceFailure = false;
            changed();
            log.info("Bridge {} ({}) recovered: passed a health check and {} since its failure ({})", e.nick, e.id,
                    settings.failureResetThreshold(), e.lastFailureReason);
            event(BridgeEvent.Type.RECOVERED, e, "health check passed after the failure-reset period");
        }
    }

    private void changed() { dirty = true; }

    /** Queues an event; its state is taken from the snapshot published at the end of the task. */
    private void event(BridgeEvent.Type type, Entry e, String reason) {
        pending.add(new BridgeEvent(type, BridgeState.builder(e.id).build(), reason));
    }

    private void publishAndDeliver() {
        if (!dirty && pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        BridgeSnapshot published = snapshot;
        if (dirty) {
            List<BridgeState> states = new ArrayList<>(entries.size());
            long nowMs = now.toEpochMilli();
            for (Entry e : entries.values()) {
                BridgeState s = e.toState(now, settings);
                e.publishedRecent = e.rampup.count(nowMs);
                states.add(s);
            }
            published = new BridgeSnapshot(sequence.incrementAndGet(), now, states);
            snapshot = published;
            dirty = false;
        }
        if (pending.isEmpty()) {
            return;
        }
        List<BridgeEvent> events = new ArrayList<>(pending);
        pending.clear();
        for (BridgeEvent ev : events) {
            BridgeEvent out = ev;
            if (ev.type() != BridgeEvent.Type.REMOVED) {
                BridgeState current = published.get(ev.bridge().id());
                if (current != null) {
                    out = new BridgeEvent(ev.type(), current, ev.reason());
                }
            }
            for (BridgeEventListener l : listeners) {
                try {
                    l.onBridgeEvent(out);
                } catch (RuntimeException ex) {
                    log.error("Bridge event listener {} failed on {}", l, out.type(), ex);
                }
            }
        }
    }

    private static void logDraining(Entry e) {
        log.info("Bridge {} ({}) draining changed to {} (reported drain={}, drained by focus={})", e.nick, e.id,
                e.effectiveDraining(), e.draining, e.drainedByFocus);
    }

    /** Mutable per-bridge state; only the control thread touches it. */
    private static final class Entry {
        final String id;
        final String nick;
        final RateWindow rampup;
        final Set<String> warnedStats = new HashSet<>();
        String region;
        String relayId;
        String version;
        String release;
        double reportedStress;
        Double averageParticipantStress;
        boolean draining;
        boolean gracefulShutdown;
        boolean shuttingDown;
        boolean healthy = true;
        Double uptime;
        boolean failed;
        boolean passedSinceFailure;
        Instant lastFailure;
        String lastFailureReason;
        Instant lastRestart;
        int endpoints;
        int conferences;
        boolean drainedByFocus;
        Instant lastStatsAt;
        int publishedRecent;
        final Suspicion suspicion = new Suspicion();
        ScheduledFuture<?> overdueTimer;
        IceFailureTracker ice;
        boolean failingIce;

        void cancelOverdue() {
            if (overdueTimer != null) {
                overdueTimer.cancel(false);
                overdueTimer = null;
            }
        }

        Entry(String id, Duration rampupInterval) {
            this.id = id;
            this.nick = BridgeState.nickOf(id);
            this.rampup = new RateWindow(rampupInterval, 100);
        }

        boolean effectiveDraining() { return draining || drainedByFocus; }

        String fullVersion() { return version != null && release != null ? version + "-" + release : version; }

        BridgeState toState(Instant now, RegistrySettings settings) {
            return BridgeState.builder(id)
                    .nick(nick)
                    .region(region)
                    .relayId(relayId)
                    .version(fullVersion())
                    .reportedStress(reportedStress)
                    .averageParticipantStress(averageParticipantStress != null
                            ? averageParticipantStress : settings.averageParticipantStress())
                    .recentlyAddedEndpoints(rampup.count(now.toEpochMilli()))
                    .draining(draining)
                    .drainedByFocus(drainedByFocus)
                    .gracefulShutdown(gracefulShutdown)
                    .shuttingDown(shuttingDown)
                    .healthy(healthy)
                    .health(failed ? BridgeState.Health.FAILED : BridgeState.Health.OPERATIONAL)
                    .lastFailure(lastFailure, lastFailureReason)
                    .endpoints(endpoints)
                    .conferences(conferences)
                    .lastStatsAt(lastStatsAt)
                    .suspect(suspicion.signal(), suspicion.reason(), suspicion.since())
                    .failingIce(failingIce)
                    .build();
        }
    }
}
