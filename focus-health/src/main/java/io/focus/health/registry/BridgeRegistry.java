package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeEvidence;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.core.bridge.Bridges;
import io.focus.core.bridge.SuspectSignal;

import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.xmpp.connection.OwnLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of all mutable bridge state.
 *
 * <p>Every public mutator posts a task to the registry's event loop ({@code focus-bridges}); callers never block and
 * may call from any thread, including Smack's listener threads. After each task that changed something the registry
 * publishes a new immutable {@link BridgeSnapshot} (a volatile read for everyone else) and then delivers the
 * task's {@link BridgeEvent}s, in order, on that same thread ({@link SnapshotPublisher}). Each bridge's state is a
 * {@link BridgeEntry}; evidence and suspicion are the {@link SuspicionTracker}'s.
 *
 * <p>Semantics that differ from Jicofo on purpose:
 * <ul>
 *   <li>A stat that is absent keeps its previous value; an unparseable one is logged once per bridge and stat and
 *       ignored.</li>
 *   <li>A bridge that never reports {@code drain} is not draining; {@code graceful_shutdown} and
 *       {@code shutting_down} clear when the bridge reports them false again.</li>
 *   <li><b>Failure reset policy (owned here, not by the doctor; {@link FailureReset}):</b> {@link #markFailed}
 *       makes a bridge FAILED at once (every further failure restarts the clock). It becomes OPERATIONAL again only
 *       when a passing check ({@link #markHealthy}) has been seen after the last failure <em>and</em>
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
    private final Clock clock;
    private final ExecutorEventLoop loop;
    private final SnapshotPublisher publisher;
    private final SuspicionTracker suspicion;
    private final FailureReset failures;
    private final FailingIce failingIce;
    private EventLoop.Cancellable refreshTask;

    // ---- state below is touched only on the loop ----
    private final Map<String, BridgeEntry> entries = new LinkedHashMap<>();

    /** @param loops makes the registry's loop ({@code focus-bridges}) */
    public BridgeRegistry(RegistrySettings settings, SuspectSettings suspectSettings, Clock clock, EventLoops loops) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = loops.create("focus-bridges");
        this.publisher = new SnapshotPublisher(settings);
        this.suspicion = new SuspicionTracker(Objects.requireNonNull(suspectSettings, "suspectSettings"), clock,
                (task, delay) -> loop.schedule(() -> runAndPublish(task), delay), publisher,
                e -> entries.get(e.id) == e);
        this.failures = new FailureReset(settings, clock, publisher);
        this.failingIce = new FailingIce(clock, publisher);
    }

    /** Starts the periodic refresh (ramp-up window slide, end of failure-reset periods, overdue stats). */
    public synchronized void start() {
        if (refreshTask == null) {
            Duration every = settings.refreshInterval();
            refreshTask = loop.scheduleWithFixedDelay(() -> runAndPublish(this::doRefresh), every, every);
        }
    }

    @Override
    public synchronized void close() {
        if (refreshTask != null) {
            refreshTask.cancel();
        }
        loop.close(Duration.ofSeconds(2));
    }

    public RegistrySettings settings() { return settings; }

    public SuspectSettings suspectSettings() { return suspicion.settings(); }

    /**
     * The focus's own link (the connection the brewery is watched on): overdue stats are judged only while it is up,
     * and counted from when it last came back at the earliest. Without one, stats age from their arrival only.
     */
    public void setOwnLink(OwnLink link) {
        post(() -> suspicion.setOwnLink(link));
    }

    /**
     * Jicofo's ICE-failure detection ({@link IceFailureSettings}; off until set): a bridge on which too many
     * participants asked for a restart lately is failing ICE ({@link BridgeState#failingIce()}) for a while.
     */
    public void setIceFailureDetection(IceFailureSettings s) {
        Objects.requireNonNull(s, "s");
        post(() -> failingIce.configure(s, entries.values()));
    }

    // ------------------------------------------------------------------ Bridges

    @Override public BridgeSnapshot snapshot() { return publisher.snapshot(); }

    @Override public void addListener(BridgeEventListener listener) { publisher.addListener(listener); }

    @Override public void removeListener(BridgeEventListener listener) { publisher.removeListener(listener); }

    @Override
    public boolean setDrainedByFocus(String idOrNick, boolean drained) {
        BridgeState known = snapshot().find(idOrNick);
        if (known == null) {
            return false;
        }
        String id = known.id();
        post(() -> {
            BridgeEntry e = entries.get(id);
            if (e == null || e.drainedByFocus == drained) {
                return;
            }
            boolean before = e.effectiveDraining();
            e.drainedByFocus = drained;
            log.info("Bridge {} ({}) {} by the focus", e.nick, e.id, drained ? "drained" : "undrained");
            publisher.changed();
            if (before != e.effectiveDraining()) {
                e.logDraining();
                publisher.event(BridgeEvent.Type.DRAINING_CHANGED, e,
                        drained ? "drained by the focus" : "undrained by the focus");
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
            BridgeEntry e = entries.remove(id);
            if (e == null) {
                return;
            }
            e.cancelOverdue();
            BridgeState last = e.toState(clock.instant(), settings);
            boolean lost = !e.gracefulShutdown && !e.shuttingDown;
            log.info("Removed bridge {} ({}){}: {}", e.nick, e.id, lost ? " (lost a bridge)" : "", reason);
            publisher.changed();
            publisher.removed(last, reason);
        });
    }

    /** The conference code placed an endpoint on the bridge (feeds the ramp-up window and the endpoint count). */
    public void endpointAdded(String id) {
        onEntry(id, e -> {
            e.endpoints++;
            e.rampup.add(clock.millis(), 1);
            publisher.changed();
        });
    }

    public void endpointRemoved(String id) {
        onEntry(id, e -> {
            if (e.endpoints > 0) {
                e.endpoints--;
                publisher.changed();
            }
        });
    }

    public void conferenceAdded(String id) {
        onEntry(id, e -> {
            e.conferences++;
            publisher.changed();
        });
    }

    public void conferenceRemoved(String id) {
        onEntry(id, e -> {
            if (e.conferences > 0) {
                e.conferences--;
                publisher.changed();
            }
        });
    }

    /** The health doctor (or an allocation error) says the bridge is not operational. */
    public void markFailed(String id, String reason) {
        onEntry(id, e -> failures.failed(e, reason));
    }

    /**
     * A health check passed. A failed bridge recovers once the failure-reset threshold has also elapsed. (Whether the
     * pass is an answer from the bridge that clears its suspicion is for the caller to say with {@link #answered}: a
     * presence-mode pass only means its stats are not too old.)
     */
    public void markHealthy(String id) {
        onEntry(id, e -> failures.passed(e));
    }

    /**
     * Evidence against a bridge (see {@link SuspectSettings}): it becomes suspect unless it already is (a SUSPECTED
     * event). Unknown ids are ignored.
     */
    @Override
    public void suspect(String id, SuspectSignal signal, String reason) {
        Objects.requireNonNull(signal, "signal");
        onEntry(id, e -> suspicion.raise(e, signal, reason));
    }

    /** The bridge answered something (a Colibri2 reply, an error reply, a health check): it is not suspect. */
    @Override
    public void answered(String id, String what) {
        onEntry(id, e -> suspicion.clear(e, what));
    }

    /**
     * A participant on the bridge reported ICE failure or asked for a restart. {@code ice-failures} distinct
     * participants within {@code ice-window} make the bridge suspect.
     *
     * @param participant something that tells participants apart (room and endpoint id)
     */
    public void participantTrouble(String id, String participant) {
        onEntry(id, e -> {
            suspicion.trouble(e, participant);
            failingIce.restartRequested(e);
        });
    }

    /**
     * The bridge restarted without leaving the brewery (the conference code got {@code conference_not_found} for a
     * conference it had there, or the watcher saw it come back after a reconnect with a lower uptime).
     */
    public void bridgeRestarted(String id, String reason) {
        onEntry(id, e -> {
            failures.restarted(e, reason);
            failingIce.reset(e);
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

    /** True when called on the registry's loop. */
    public boolean onControlThread() { return loop.inLoop(); }

    // ------------------------------------------------------------------ the loop

    private void post(Runnable task) {
        loop.execute(() -> runAndPublish(task));
    }

    /** A task on the bridge of that id; unknown ids are ignored. */
    private void onEntry(String id, java.util.function.Consumer<BridgeEntry> task) {
        post(() -> {
            BridgeEntry e = entries.get(id);
            if (e != null) {
                task.accept(e);
            }
        });
    }

    /** The task, then the snapshot and the events it made (published even when the task failed halfway). */
    private void runAndPublish(Runnable task) {
        try {
            task.run();
        } finally {
            publisher.publishAndDeliver(entries.values(), clock.instant());
        }
    }

    private void doStats(String id, BridgeStats stats) {
        Instant now = clock.instant();
        BridgeEntry e = entries.get(id);
        boolean added = false;
        if (e == null) {
            e = new BridgeEntry(id, settings.rampupInterval());
            entries.put(id, e);
            added = true;
        }
        boolean wasDraining = e.effectiveDraining();
        boolean wasGraceful = e.gracefulShutdown;
        boolean wasShuttingDown = e.shuttingDown;
        Double previousUptime = e.uptime;
        e.apply(stats, now);
        publisher.changed();
        suspicion.statsArrived(e, now);

        if (added) {
            log.info("Added bridge {} ({}) region={} version={} stress={}{}{}{}", e.nick, e.id, e.region,
                    e.fullVersion(), String.format("%.3f", e.reportedStress), e.draining ? " draining" : "",
                    e.gracefulShutdown ? " graceful-shutdown" : "", e.shuttingDown ? " shutting-down" : "");
            publisher.event(BridgeEvent.Type.ADDED, e, "joined");
            return;
        }
        if (previousUptime != null && e.uptime != null && e.uptime < previousUptime) {
            failures.restarted(e, "uptime went down from " + previousUptime + " to " + e.uptime);
            failingIce.reset(e);
        }
        if (wasShuttingDown != e.shuttingDown) {
            if (e.shuttingDown) {
                log.info("Bridge {} ({}) is shutting down", e.nick, e.id);
                publisher.event(BridgeEvent.Type.SHUTTING_DOWN, e, "reported shutting_down=true");
            } else {
                log.info("Bridge {} ({}) is no longer shutting down", e.nick, e.id);
            }
        }
        if (wasGraceful != e.gracefulShutdown) {
            log.info("Bridge {} ({}) graceful shutdown {}", e.nick, e.id, e.gracefulShutdown ? "started" : "cleared");
            publisher.event(BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED, e,
                    "reported graceful_shutdown=" + e.gracefulShutdown);
        }
        if (wasDraining != e.effectiveDraining()) {
            e.logDraining();
            publisher.event(BridgeEvent.Type.DRAINING_CHANGED, e, "reported drain=" + e.draining);
        }
    }

    private void doRefresh() {
        Instant now = clock.instant();
        long nowMs = now.toEpochMilli();
        for (BridgeEntry e : entries.values()) {
            if (e.rampup.count(nowMs) != e.publishedRecent) {
                publisher.changed();
            }
            failures.maybeRecover(e, now);
            suspicion.checkOverdue(e, now);
            failingIce.update(e, now);
        }
    }
}
