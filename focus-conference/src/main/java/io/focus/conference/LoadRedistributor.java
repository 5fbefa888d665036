package io.focus.conference;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.core.loop.EventLoop;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's automatic load redistribution ({@link LoadRedistributionSettings}). Every {@code interval}, when at least
 * one bridge could take endpoints (operational, not shutting down, in graceful shutdown, draining, suspect or failing
 * ICE, and below {@code jicofo.bridge.stress-threshold}), each other bridge at or above the redistribution
 * {@code stress-threshold} that is not in its {@code timeout} has {@code endpoints} of its endpoints moved off through
 * the admin move path ({@link ConferenceManager#redistribute}, the failover table's
 * {@link FailoverTrigger#LOAD_REDISTRIBUTION}: largest conference first, never back onto that bridge; a conference
 * that cannot spread moves whole, so more may move), and then gets its {@code timeout}.
 * Moves are logged and counted in {@code jitsi_jicofo_load_redistributor_endpoints_moved_total}.
 *
 * <p>Runs on the conference control loop: its state (the bridges' timeouts) is touched only there.
 */
public final class LoadRedistributor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadRedistributor.class);

    private final ConferenceManager manager;
    private final Bridges bridges;
    private final Clock clock;
    private final Counter moved;
    /** When each bridge last shed endpoints (control loop only). */
    private final Map<String, Instant> lastMove = new HashMap<>();
    private volatile LoadRedistributionSettings settings;
    private EventLoop.Cancellable timer;
    private boolean closed;

    /**
     * @param metrics where {@code jitsi_jicofo_load_redistributor_endpoints_moved} is registered (once per registry)
     */
    public LoadRedistributor(LoadRedistributionSettings settings, ConferenceManager manager, Bridges bridges,
                             Clock clock, CollectorRegistry metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.bridges = Objects.requireNonNull(bridges, "bridges");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.moved = Counter.build("jitsi_jicofo_load_redistributor_endpoints_moved",
                "Endpoints moved off overloaded bridges by the automatic load redistribution.").register(metrics);
    }

    /** Starts the periodic check (when enabled; {@link #apply} starts or stops it later). */
    public void start() {
        manager.execute(() -> reschedule(settings));
    }

    /** New settings (a reload): takes effect at once; turning it off stops the check, on starts it. */
    public void apply(LoadRedistributionSettings next) {
        LoadRedistributionSettings before = settings;
        settings = Objects.requireNonNull(next, "next");
        if (!next.equals(before)) {
            log.info("Load redistribution now {}", describe(next));
        }
        manager.execute(() -> reschedule(next));
    }

    public LoadRedistributionSettings settings() { return settings; }

    @Override
    public void close() {
        manager.execute(() -> {
            closed = true;
            cancel();
        });
    }

    private void reschedule(LoadRedistributionSettings s) {
        cancel();
        if (!closed && s.enabled()) {
            timer = manager.schedule(this::tick, s.interval());
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void tick() {
        timer = null;
        LoadRedistributionSettings s = settings;
        if (closed || !s.enabled()) {
            return;
        }
        try {
            redistribute(s);
        } finally {
            timer = manager.schedule(this::tick, s.interval());
        }
    }

    /** One look at the bridges (on the control loop). */
    void redistribute(LoadRedistributionSettings s) {
        BridgeSnapshot snapshot = bridges.snapshot();
        Instant now = clock.instant();
        lastMove.keySet().removeIf(id -> snapshot.get(id) == null);
        // the two least stressed bridges that can take endpoints: a bridge never counts as its own receiver
        BridgeState first = null, second = null;
        for (BridgeState b : snapshot.bridges()) {
            if (!canTakeEndpoints(b, s)) {
                continue;
            }
            if (first == null || b.correctedStress() < first.correctedStress()) {
                second = first;
                first = b;
            } else if (second == null || b.correctedStress() < second.correctedStress()) {
                second = b;
            }
        }
        for (BridgeState b : snapshot.bridges()) {
            if (b.correctedStress() < s.stressThreshold() || b.endpoints() == 0 || b.shuttingDown()) {
                continue;
            }
            Instant last = lastMove.get(b.id());
            if (last != null && Duration.between(last, now).compareTo(s.timeout()) < 0) {
                continue;
            }
            BridgeState receiver = first != null && !first.id().equals(b.id()) ? first : second;
            if (receiver == null) {
                log.info("Load redistribution: {} is at stress {} (>= {}), but no bridge is below {} to take its "
                        + "endpoints", b.nick(), stress(b), s.stressThreshold(), s.overloadThreshold());
                continue;
            }
            lastMove.put(b.id(), now);
            String reason = "load redistribution: stress " + stress(b) + " >= " + s.stressThreshold();
            log.info("Load redistribution: moving {} endpoint(s) off {} (stress {} >= {}); the least stressed bridge "
                    + "that can take them is {} ({})", s.endpoints(), b.nick(), stress(b), s.stressThreshold(),
                    receiver.nick(), stress(receiver));
            manager.redistribute(b.id(), s.endpoints(), reason).whenComplete((r, e) -> {
                if (e != null) {
                    log.warn("Load redistribution off {} failed: {}", b.nick(), e.toString());
                } else {
                    moved.inc(r.movedEndpoints());
                    log.info("Load redistribution moved {} endpoint(s) of {} conference(s) off {}", r.movedEndpoints(),
                            r.conferences(), b.nick());
                }
            });
        }
    }

    /** A bridge selection would give new participants to without relaxing anything (as far as stress goes). */
    static boolean canTakeEndpoints(BridgeState b, LoadRedistributionSettings s) {
        return b.operational() && !b.shuttingDown() && !b.gracefulShutdown() && !b.draining() && !b.suspect()
                && !b.failingIce() && b.correctedStress() < s.overloadThreshold();
    }

    private static String stress(BridgeState b) {
        return String.format(java.util.Locale.ROOT, "%.3f", b.correctedStress());
    }

    /** The settings in one phrase for the log. */
    public static String describe(LoadRedistributionSettings s) {
        return s.enabled() ? "on (every " + s.interval() + ", " + s.endpoints() + " endpoint(s) off each bridge at "
                + "stress >= " + s.stressThreshold() + " while one is below " + s.overloadThreshold() + ", then "
                + s.timeout() + " off)" : "off";
    }
}
