package io.focus.health;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.SuspectSignal;
import io.focus.core.xmpp.connection.OwnLink;
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
 *   <li>TIMEOUT: a miss. The bridge becomes suspect ({@link BridgeRegistry#suspect}) and is <b>probed at once</b>
 *       (below); the next regular check comes after {@code retry-delay}; {@code misses} consecutive misses fail the
 *       bridge like an unanswered probe does (same guards). A check whose timeout spans a loss of the focus's own
 *       link is not a miss.</li>
 *   <li>ERROR (any other error reply): logged and counted, no state change (but the bridge answered: not suspect).</li>
 * </ul>
 *
 * <p><b>Probes</b> (IQ mode only; in presence mode there is nothing to send, suspicion then only steers
 * selection). As soon as a bridge becomes suspect (a SUSPECTED event: an unanswered Colibri2 request, overdue
 * stats, several participants losing ICE; or a missed check), the doctor sends it a health check with the short
 * {@link HealthSettings#probe()} timeout and, at the same moment, pings the focus's own server
 * ({@link OwnLink#verify}). An answered probe clears the suspicion; an unanswered one is evidence, not a reason to
 * wait for the brewery: the bridge is FAILED (its conferences move) unless the trouble looks like ours:
 * <ul>
 *   <li>the focus's own connection is down, was lost since the probe went out, or its server did not answer the ping
 *       within half the probe timeout: nothing is failed ({@code focus_health_own_link_suspect_total});</li>
 *   <li>no other bridge answered anything within {@code interval + timeout}, and at least
 *       {@code mass-failure-fraction} of the bridges (and at least 2) are missing at once: a mass miss, nothing is
 *       failed ({@code focus_health_mass_miss_total}). When the own link is verified and other bridges answer,
 *       several hung bridges are all failed.</li>
 * </ul>
 *
 * <p><b>Worst case</b> from a bridge going silent (killed with its session hibernating in Prosody, or frozen) to
 * FAILED, with a stats presence every 5 s ({@code stats-overdue-factor} 1.5, {@code probe-timeout} 1 s):
 * <ul>
 *   <li>defaults (checks every 10 s, timeout 5 s): the stats become overdue 1.5 × 5 = 7.5 s after the last
 *       presence, which came at most just before the silence; the probe takes 1 s: <b>≤ 8.5 s</b> (plus the time to
 *       deliver events, milliseconds). A Colibri2 request to the bridge meanwhile makes it ≤ 3 + 1 = 4 s after the
 *       request. The regular checks alone would take up to 10 + 5 + 1 = 16 s.</li>
 *   <li>aggressive (checks every 1 s, retry-delay 500 ms, timeout 500 ms; the probe is then 500 ms): the next check
 *       goes out ≤ 1 s after the silence began and misses 500 ms later, the probe 500 ms after that:
 *       <b>≤ 2 s</b>.</li>
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
    private final OwnLink link;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final BridgeEventListener listener = this::onBridgeEvent;

    private final Counter checks;
    private final Histogram checkSeconds;
    private final Counter massMiss;
    private final Counter ownConnectionDown;
    private final Counter panics;
    private final Gauge panicGauge;
    private final Counter suspected;
    private final Counter probes;
    private final Counter ownLinkSuspect;

    // ---- scheduler thread only ----
    private final Map<String, Patient> patients = new LinkedHashMap<>();
    private boolean running;
    private boolean panic;
    private boolean ownDownLogged;
    /** The link's loss count when checks last went out, and when they first went out after its latest loss. */
    private long checkedEpoch;
    private Instant linkBackAt;

    /**
     * @param link the focus's own link the checks go out on: checked before an unanswered check fails a bridge
     */
    public HealthDoctor(HealthSettings settings, BridgeRegistry registry, HealthCheckSender sender, OwnLink link,
                        ScheduledExecutorService scheduler, Clock clock, CollectorRegistry metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.link = Objects.requireNonNull(link, "link");
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
        this.suspected = Counter.build("focus_bridge_suspected_total",
                "Times a bridge became suspect, by what made it suspect").labelNames("signal").register(metrics);
        this.probes = Counter.build("focus_health_probes_total",
                "Probes of suspect bridges by outcome (passed, failed, timeout, error, not_sent)")
                .labelNames("outcome").register(metrics);
        this.ownLinkSuspect = Counter.build("focus_health_own_link_suspect_total",
                "Unanswered checks or probes not held against a bridge because the focus's own link did not answer "
                        + "either (or was lost meanwhile)").register(metrics);
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
                case SUSPECTED -> {
                    BridgeState b = ev.bridge();
                    suspected.labels(b.suspectSignal() == null ? "unknown" : b.suspectSignal().label()).inc();
                    Patient p = patients.get(b.id());
                    if (p != null) {
                        probe(p, ev.reason());
                    }
                }
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
            forgetSeries(p.nick);
            log.info("Health-check task stopped for {} ({}): {}", p.nick, p.id, reason);
        }
        evaluatePanic();
    }

    /**
     * Drops the bridge's {@code focus_health_checks_total} series, so bridges that come and go (autoscaling, new
     * nicks on restart) do not grow the metric without bound; a scraper's {@code rate()} copes with a series that
     * disappears. Kept while another checked bridge has the same nick (the series is shared).
     */
    private void forgetSeries(String nick) {
        if (patients.values().stream().anyMatch(q -> q.nick.equals(nick))) {
            return;
        }
        for (HealthOutcome.Kind k : HealthOutcome.Kind.values()) {
            checks.remove(nick, k.label());
        }
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
        noteLinkEpoch();
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
        p.sentEpoch = link.epoch();
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
        if (patients.get(p.id) != p) {
            return; // removed meanwhile: not counted, its series is gone with it
        }
        checks.labels(p.nick, o.label()).inc();
        boolean missed = false;
        switch (o.kind()) {
            case PASSED -> {
                checkSeconds.observe(seconds);
                if (p.misses > 0) {
                    log.info("Health check of {} ({}) passed after {} miss(es)", p.nick, p.id, p.misses);
                }
                passed(p);
            }
            case FAILED -> {
                checkSeconds.observe(seconds);
                if (o.serverSaidUnreachable() && notBackSinceTheLinkCameBack(p)) {
                    // after the focus's own link came back (a Prosody restart), a bridge that has not rejoined the
                    // brewery yet is "not in the room": its reconnect grace decides, not this check
                    log.info("Health check of {} ({}): {}; it has shown no stats since the focus's link came back: "
                            + "not failed (the brewery's reconnect grace applies)", p.nick, p.id, o.detail());
                    break;
                }
                p.misses = 0;
                p.lastAnswerAt = clock.instant();
                log.warn("Health check of {} ({}) failed: {}", p.nick, p.id, o.detail());
                registry.markFailed(p.id, "health check: " + o.detail());
            }
            case TIMEOUT -> {
                if (link.epoch() != p.sentEpoch) {
                    ownLinkSuspect.inc();
                    log.info("Health check of {} ({}) unanswered across a loss of the focus's own link: not a miss",
                            p.nick, p.id);
                    break;
                }
                missed = true;
                p.misses++;
                log.info("Health check of {} ({}) missed: no reply within {} ({} of {})", p.nick, p.id,
                        settings.timeout(), p.misses, settings.misses());
                registry.suspect(p.id, SuspectSignal.HEALTH_TIMEOUT, "health check unanswered within "
                        + settings.timeout().toMillis() + " ms");
                if (p.misses >= settings.misses()) {
                    verifyThenJudge(p, "no reply to " + p.misses + " health checks in a row (timeout "
                            + settings.timeout() + ")");
                } else {
                    probe(p, "health check missed");
                }
            }
            case ERROR -> {
                checkSeconds.observe(seconds);
                p.lastAnswerAt = clock.instant();
                registry.answered(p.id, "an error reply to a health check");
                log.warn("Health check of {} ({}) got an unexpected answer: {} (no state change)", p.nick, p.id,
                        o.detail());
            }
            case NOT_SENT -> log.debug("Health check of {} not sent: {}", p.nick, o.detail());
            default -> { }
        }
        schedule(p, nextDelay(missed));
    }

    /** Checks or probes go out: the first time after a loss of the link is when it came back (for the rule below). */
    private void noteLinkEpoch() {
        if (link.epoch() != checkedEpoch) {
            checkedEpoch = link.epoch();
            linkBackAt = clock.instant();
        }
    }

    /**
     * The server said a bridge is not reachable, and it has shown no stats since the focus's link came back: after a
     * server restart the focus is often back before its bridges; whether they come back is the brewery's reconnect
     * grace to decide.
     */
    private boolean notBackSinceTheLinkCameBack(Patient p) {
        if (linkBackAt == null) {
            return false;
        }
        BridgeState b = registry.snapshot().get(p.id);
        return b != null && (b.lastStatsAt() == null || !b.lastStatsAt().isAfter(linkBackAt));
    }

    private void passed(Patient p) {
        p.misses = 0;
        p.lastAnswerAt = clock.instant();
        if (!settings.usePresence()) {
            // the bridge answered an IQ (in presence mode a pass only says its stats are fresh enough, and fresh
            // stats clear the suspicion in the registry themselves)
            registry.answered(p.id, "a health check passed");
        }
        registry.markHealthy(p.id);
    }

    /**
     * Sends the suspect bridge a check with the probe timeout and pings the focus's own server at the same time; an
     * unanswered probe goes to {@link #judge}. One probe per bridge at a time.
     */
    private void probe(Patient p, String why) {
        if (!running || patients.get(p.id) != p || p.probing) {
            return;
        }
        if (settings.usePresence()) {
            // presence-mode checks only read the stats the registry already has: there is nothing to send
            log.debug("Not probing suspect {} ({}): health checks use presence", p.nick, p.id);
            return;
        }
        if (!sender.ready()) {
            probes.labels("not_sent").inc();
            log.info("Not probing suspect {} ({}): the focus's own connection is down", p.nick, p.id);
            return;
        }
        p.probing = true;
        noteLinkEpoch();
        Duration timeout = settings.probe();
        long epoch = link.epoch();
        log.info("Probing suspect bridge {} ({}) with a {} ms health check: {}", p.nick, p.id, timeout.toMillis(), why);
        CompletableFuture<HealthOutcome> check;
        try {
            check = sender.check(p.id, timeout);
        } catch (RuntimeException e) {
            check = CompletableFuture.completedFuture(HealthOutcome.error(e.toString()));
        }
        CompletableFuture<Boolean> ownLink = verify(ownLinkWindow());
        check.handle((o, e) -> e != null ? HealthOutcome.error(e.toString()) : o != null ? o
                        : HealthOutcome.error("no outcome"))
                .thenCombine(ownLink, (o, fine) -> {
                    post(() -> onProbe(p, o, fine, epoch, why));
                    return null;
                });
    }

    /**
     * How soon the focus's own server must answer the ping sent with a probe: half the probe timeout. The server
     * answers itself (milliseconds when all is well); a link that only comes back late in the probe window (a thawing
     * link, an overloaded Prosody) would answer the ping just before the bridge's reply to the probe could come back,
     * and the bridge would be failed for the focus's own trouble.
     */
    private Duration ownLinkWindow() { return settings.probe().dividedBy(2); }

    private CompletableFuture<Boolean> verify(Duration timeout) {
        try {
            // bounded here too: the judgment never waits longer than the probe for the own link's answer
            return link.verify(timeout).handle((ok, e) -> e == null && Boolean.TRUE.equals(ok))
                    .completeOnTimeout(false, timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private void onProbe(Patient p, HealthOutcome o, boolean ownLinkFine, long epoch, String why) {
        p.probing = false;
        probes.labels(o.label()).inc();
        if (patients.get(p.id) != p) {
            return;
        }
        switch (o.kind()) {
            case PASSED -> {
                log.info("Probe of {} ({}) answered: not suspect", p.nick, p.id);
                passed(p);
            }
            case FAILED -> {
                if (o.serverSaidUnreachable() && notBackSinceTheLinkCameBack(p)) {
                    log.info("Probe of {} ({}): {}; it has shown no stats since the focus's link came back: not "
                            + "failed (the brewery's reconnect grace applies)", p.nick, p.id, o.detail());
                    return;
                }
                p.lastAnswerAt = clock.instant();
                registry.markFailed(p.id, "health probe: " + o.detail());
            }
            case ERROR -> {
                p.lastAnswerAt = clock.instant();
                registry.answered(p.id, "an error reply to a probe");
            }
            case TIMEOUT -> {
                if (link.epoch() != epoch) {
                    ownLinkSuspect.inc();
                    log.info("Probe of {} ({}) unanswered across a loss of the focus's own link: not held against it",
                            p.nick, p.id);
                    return;
                }
                judge(p, ownLinkFine, "suspect (" + why + ") and a probe unanswered within "
                        + settings.probe().toMillis() + " ms");
            }
            default -> log.debug("Probe of {} not sent: {}", p.nick, o.detail());
        }
    }

    private void verifyThenJudge(Patient p, String evidence) {
        verify(ownLinkWindow()).thenAccept(fine -> post(() -> {
            if (patients.get(p.id) == p) {
                judge(p, fine, evidence);
            }
        }));
    }

    /**
     * An unanswered check or probe: FAILED unless the trouble looks like the focus's own (see the class comment).
     *
     * @param ownLinkFine the focus's own server answered a ping sent with the probe, within the probe timeout
     */
    private void judge(Patient p, boolean ownLinkFine, String evidence) {
        if (!sender.ready() || !ownLinkFine) {
            ownLinkSuspect.inc();
            log.warn("{} ({}) did not answer ({}), but neither did the focus's own server within {}: not failing it",
                    p.nick, p.id, evidence, ownLinkWindow());
            return;
        }
        Instant now = clock.instant();
        Duration stuck = settings.timeout().dividedBy(2);
        Duration recent = settings.interval().plus(settings.timeout());
        int missing = 0;
        int othersAnswering = 0;
        for (Patient q : patients.values()) {
            boolean inFlightLong = q.inFlight && q.sentAt != null
                    && Duration.between(q.sentAt, now).compareTo(stuck) > 0;
            if (q == p || q.lastOutcome == HealthOutcome.Kind.TIMEOUT || inFlightLong) {
                missing++;
            } else if (q.lastAnswerAt != null && Duration.between(q.lastAnswerAt, now).compareTo(recent) <= 0) {
                othersAnswering++;
            }
        }
        int total = patients.size();
        if (othersAnswering == 0 && missing >= 2 && missing >= settings.massFailureFraction() * total) {
            massMiss.inc();
            log.warn("MASS MISS: {} of {} bridges are missing their health checks at once and none answered lately; "
                    + "this looks like the focus's or Prosody's trouble, not the bridges': not failing {} ({})",
                    missing, total, p.nick, p.id);
            return;
        }
        registry.markFailed(p.id, evidence);
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
        long sentEpoch;
        long generation;
        boolean probing;
        Instant lastAnswerAt;
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
