package io.focus.health;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeRegistry;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health-checks every bridge the registry knows and tells the registry what it finds.
 *
 * <p>Per bridge, a check every {@code interval} (the first one an interval after the bridge appears, as Jicofo). The
 * sender is asynchronous with a dedicated timeout, so checks of different bridges never wait on each other and the
 * scheduler thread never blocks. Outcomes:
 * <ul>
 *   <li>PASSED: {@link BridgeRegistry#markHealthy} (the registry recovers a failed bridge once the failure-reset
 *       period has also passed);</li>
 *   <li>FAILED ({@code internal-server-error}/{@code service-unavailable}): {@link BridgeRegistry#markFailed} at
 *       once: FAILED event, conferences move;</li>
 *   <li>TIMEOUT: a miss; the next check comes after {@code retry-delay}; {@code misses} consecutive misses fail the
 *       bridge &mdash; unless the trouble looks like ours: if the focus's own connection is down, or at least
 *       {@code mass-failure-fraction} of the bridges (and at least 2) are missing at the same time, it logs a WARN,
 *       counts {@code focus_health_mass_miss_total} and marks nothing failed;</li>
 *   <li>ERROR (any other error reply): logged and counted, no state change.</li>
 * </ul>
 * When the focus's own connection is down no check is sent (and nothing is judged). When every bridge is failed the
 * doctor enters panic mode: it logs loudly, counts it, and checks at {@code panic-interval} until one recovers.
 *
 * <p>All doctor state lives on the one scheduler thread it is given (use a single-thread scheduler).
 */
public final class HealthDoctor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthDoctor.class);

    private final HealthSettings settings;
    private final BridgeRegistry registry;
    private final HealthCheckSender sender;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final BridgeEventListener listener = this::onBridgeEvent;

    private final Counter checks;
    private final Histogram checkSeconds;
    private final Counter massMiss;
    private final Counter ownConnectionDown;
    private final Counter panics;
    private final Gauge panicGauge;

    // ---- scheduler thread only ----
    private final Map<String, Patient> patients = new LinkedHashMap<>();
    private boolean running;
    private boolean panic;
    private boolean ownDownLogged;

    public HealthDoctor(HealthSettings settings, BridgeRegistry registry, HealthCheckSender sender,
                        ScheduledExecutorService scheduler, Clock clock, CollectorRegistry metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checks = Counter.build("focus_health_checks_total", "Bridge health checks by outcome")
                .labelNames("bridge", "outcome").register(metrics);
        this.checkSeconds = Histogram.build("focus_health_check_seconds", "Round-trip time of answered health checks")
                .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(metrics);
        this.massMiss = Counter.build("focus_health_mass_miss_total",
                "Times most bridges missed their checks at once (the focus's own trouble): nothing was failed")
                .register(metrics);
        this.ownConnectionDown = Counter.build("focus_health_own_connection_down_total",
                "Health checks not sent because the focus's own XMPP connection was down").register(metrics);
        this.panics = Counter.build("focus_health_panic_total", "Times every bridge was failed (panic mode entered)")
                .register(metrics);
        this.panicGauge = Gauge.build("focus_health_panic_active", "1 while every bridge is failed").register(metrics);
    }

    /** Starts checking the bridges already known and every bridge added later. */
    public void start() {
        registry.addListener(listener);
        post(() -> {
            if (running) {
                return;
            }
            running = true;
            log.info("Health doctor started: {} checks every {}, timeout {}, {} misses fail a bridge",
                    settings.usePresence() ? "presence" : "IQ", settings.interval(), settings.timeout(),
                    settings.misses());
            for (BridgeState b : registry.snapshot().bridges()) {
                admit(b);
            }
        });
    }

    @Override
    public void close() {
        registry.removeListener(listener);
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(() -> {
            running = false;
            for (Patient p : patients.values()) {
                p.cancel();
            }
            patients.clear();
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Health doctor stop: {}", e.toString());
        }
    }

    /** Runs a check of the bridge now (tests, and the admin API). Completes with the outcome once it is handled. */
    public CompletableFuture<HealthOutcome> checkNow(String bridgeId) {
        CompletableFuture<HealthOutcome> f = new CompletableFuture<>();
        post(() -> {
            Patient p = patients.get(bridgeId);
            if (p == null) {
                f.complete(HealthOutcome.error("unknown bridge"));
                return;
            }
            runCheck(p, f);
        });
        return f;
    }

    /** Completes after every task posted so far ran. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        post(() -> f.complete(null));
        return f;
    }

    public boolean inPanic() { return panic; }

    /** Consecutive misses of a bridge (for tests and the debug API); -1 when not checked. */
    public CompletableFuture<Integer> misses(String bridgeId) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        post(() -> {
            Patient p = patients.get(bridgeId);
            f.complete(p == null ? -1 : p.misses);
        });
        return f;
    }

    // ------------------------------------------------------------------ registry thread → scheduler

    private void onBridgeEvent(BridgeEvent ev) {
        post(() -> {
            if (!running) {
                return;
            }
            switch (ev.type()) {
                case ADDED -> admit(ev.bridge());
                case REMOVED -> discharge(ev.bridge(), ev.reason());
                case RESTARTED -> {
                    Patient p = patients.get(ev.bridge().id());
                    if (p != null) {
                        p.misses = 0;
                    }
                }
                case FAILED, RECOVERED -> evaluatePanic();
                default -> { }
            }
        });
    }

    private void post(Runnable r) {
        try {
            scheduler.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.error("Health doctor task failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Health doctor scheduler is shut down; dropping a task");
        }
    }

    // ------------------------------------------------------------------ scheduler thread

    private void admit(BridgeState b) {
        if (patients.containsKey(b.id())) {
            return;
        }
        Patient p = new Patient(b.id(), b.nick());
        patients.put(b.id(), p);
        log.info("Health-check task scheduled for {} ({}) every {}", p.nick, p.id,
                panic ? settings.panicInterval() : settings.interval());
        schedule(p, panic ? settings.panicInterval() : settings.interval());
    }

    private void discharge(BridgeState b, String reason) {
        Patient p = patients.remove(b.id());
        if (p != null) {
            p.cancel();
            log.info("Health-check task stopped for {} ({}): {}", p.nick, p.id, reason);
        }
        evaluatePanic();
    }

    private void schedule(Patient p, Duration delay) {
        p.cancel();
        if (!running) {
            return;
        }
        p.next = scheduler.schedule(() -> {
            try {
                runCheck(p, null);
            } catch (RuntimeException e) {
                log.error("Health check of {} failed to run", p.nick, e);
                schedule(p, settings.interval());
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runCheck(Patient p, CompletableFuture<HealthOutcome> report) {
        if (patients.get(p.id) != p) {
            return;
        }
        if (!sender.ready()) {
            ownConnectionDown.inc();
            checks.labels(p.nick, "not_sent").inc();
            if (!ownDownLogged) {
                ownDownLogged = true;
                log.warn("The focus's own XMPP connection is down: health checks paused, no bridge will be failed "
                        + "for it");
            }
            schedule(p, nextDelay(false));
            if (report != null) {
                report.complete(HealthOutcome.notSent("own connection down"));
            }
            return;
        }
        if (ownDownLogged) {
            ownDownLogged = false;
            log.info("The focus's XMPP connection is back: health checks resume");
        }
        if (p.inFlight) {
            // the previous check has not come back yet: do not pile up
            schedule(p, nextDelay(false));
            if (report != null) {
                report.complete(HealthOutcome.notSent("previous check still in flight"));
            }
            return;
        }
        p.inFlight = true;
        p.sentAt = clock.instant();
        long sentNanos = System.nanoTime();
        long generation = ++p.generation;
        CompletableFuture<HealthOutcome> f;
        try {
            f = sender.check(p.id, settings.timeout());
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(HealthOutcome.error(e.toString()));
        }
        f.whenComplete((outcome, error) -> {
            HealthOutcome o = error != null ? HealthOutcome.error(error.toString())
                    : outcome != null ? outcome : HealthOutcome.error("no outcome");
            double seconds = (System.nanoTime() - sentNanos) / 1e9;
            post(() -> {
                onOutcome(p, generation, o, seconds);
                if (report != null) {
                    report.complete(o);
                }
            });
        });
    }

    private void onOutcome(Patient p, long generation, HealthOutcome o, double seconds) {
        if (generation != p.generation) {
            return;
        }
        p.inFlight = false;
        p.lastOutcome = o.kind();
        checks.labels(p.nick, o.label()).inc();
        if (patients.get(p.id) != p) {
            return; // removed meanwhile
        }
        boolean missed = false;
        switch (o.kind()) {
            case PASSED -> {
                checkSeconds.observe(seconds);
                if (p.misses > 0) {
                    log.info("Health check of {} ({}) passed after {} miss(es)", p.nick, p.id, p.misses);
                }
                p.misses = 0;
                registry.markHealthy(p.id);
            }
            case FAILED -> {
                checkSeconds.observe(seconds);
                p.misses = 0;
                log.warn("Health check of {} ({}) failed: {}", p.nick, p.id, o.detail());
                registry.markFailed(p.id, "health check: " + o.detail());
            }
            case TIMEOUT -> {
                missed = true;
                p.misses++;
                log.info("Health check of {} ({}) missed: no reply within {} ({} of {})", p.nick, p.id,
                        settings.timeout(), p.misses, settings.misses());
                if (p.misses >= settings.misses()) {
                    judgeMisses(p);
                }
            }
            case ERROR -> {
                checkSeconds.observe(seconds);
                log.warn("Health check of {} ({}) got an unexpected answer: {} (no state change)", p.nick, p.id,
                        o.detail());
            }
            case NOT_SENT -> log.debug("Health check of {} not sent: {}", p.nick, o.detail());
            default -> { }
        }
        schedule(p, nextDelay(missed));
    }

    private void judgeMisses(Patient p) {
        if (!sender.ready()) {
            massMiss.inc();
            log.warn("{} ({}) missed {} health checks but the focus's own connection is down: not failing it",
                    p.nick, p.id, p.misses);
            return;
        }
        Instant now = clock.instant();
        Duration stuck = settings.timeout().dividedBy(2);
        int missing = 0;
        for (Patient q : patients.values()) {
            boolean inFlightLong = q.inFlight && q.sentAt != null
                    && Duration.between(q.sentAt, now).compareTo(stuck) > 0;
            if (q.lastOutcome == HealthOutcome.Kind.TIMEOUT || inFlightLong) {
                missing++;
            }
        }
        int total = patients.size();
        if (missing >= 2 && missing >= settings.massFailureFraction() * total) {
            massMiss.inc();
            log.warn("MASS MISS: {} of {} bridges are missing their health checks at once; this looks like the "
                    + "focus's or Prosody's trouble, not the bridges': not failing {} ({})", missing, total, p.nick, p.id);
            return;
        }
        registry.markFailed(p.id, "no reply to " + p.misses + " health checks in a row (timeout "
                + settings.timeout() + ")");
    }

    private Duration nextDelay(boolean missed) {
        Duration d = missed ? settings.afterMiss() : settings.interval();
        if (panic && settings.panicInterval().compareTo(d) < 0) {
            d = settings.panicInterval();
        }
        return d;
    }

    private void evaluatePanic() {
        // read the registry's latest snapshot: FAILED/RECOVERED events are delivered after it was published
        BridgeSnapshot s = registry.snapshot();
        boolean all = s.size() > 0 && s.operationalCount() == 0;
        if (all && !panic) {
            panic = true;
            panics.inc();
            panicGauge.set(1);
            log.warn("PANIC: all {} bridges are failed; checking them every {} (selection falls back to the "
                    + "least-bad bridges)", s.size(), settings.panicInterval());
            for (Patient p : patients.values()) {
                if (!p.inFlight) {
                    schedule(p, settings.panicInterval());
                }
            }
        } else if (!all && panic) {
            panic = false;
            panicGauge.set(0);
            log.info("Panic over: {} of {} bridges operational", s.operationalCount(), s.size());
        }
    }

    private static final class Patient {
        final String id;
        final String nick;
        ScheduledFuture<?> next;
        int misses;
        boolean inFlight;
        Instant sentAt;
        long generation;
        HealthOutcome.Kind lastOutcome;

        Patient(String id, String nick) {
            this.id = id;
            this.nick = nick;
        }

        void cancel() {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        }
    }
}
