package io.focus.health;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.bridge.SuspectSignal;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.xmpp.connection.OwnLink;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 *       (below; already out when the check was overdue); the next regular check comes after {@code retry-delay};
 *       {@code misses} consecutive misses fail the bridge like an unanswered probe does (same guards). A check whose
 *       timeout spans a loss of the focus's own link is not a miss.</li>
 *   <li>ERROR (any other error reply): logged and counted, no state change (but the bridge answered: not suspect).</li>
 * </ul>
 *
 * <p><b>Probes</b> ({@link Prober}): as soon as a bridge becomes suspect (a SUSPECTED event, or a missed check) the
 * doctor probes it with a short health check and pings the focus's own server at the same moment. An answered probe
 * clears the suspicion; an unanswered one fails the bridge unless the {@link OwnLinkGuard} finds the trouble is the
 * focus's own (its link down, lost or not answering; or a mass miss), which it does not when another bridge answered a
 * request the focus sent after the probe (the focus's send order, {@link RoundTrips}, shared with the Colibri2
 * requests: the link and its server were carrying requests all along). When the focus's own server answered late, the
 * bridge is first probed again with a deadline scaled to that delay (once; {@link Prober#judge}). A regular check
 * still unanswered half a probe timeout before its own timeout is probed then, alongside it ({@link Prober#overdue}):
 * the probe's verdict is due half a probe timeout after the check's instead of a whole one, and the bridge still
 * fails only on two unanswered requests in a row (the check timed out, and the probe).
 *
 * <p><b>Worst case</b> from a bridge going silent (killed with its session hibernating in Prosody, or frozen) to
 * FAILED, with a stats presence every 5 s ({@code stats-overdue-factor} 1.5, {@code probe-timeout} 1 s):
 * <ul>
 *   <li>defaults (checks every 10 s, timeout 5 s): the stats become overdue 1.5 × 5 = 7.5 s after the last
 *       presence, which came at most just before the silence; the probe takes 1 s: <b>≤ 8.5 s</b> (plus the time to
 *       deliver events, milliseconds). A Colibri2 request to the bridge meanwhile makes it ≤ 3 + 1 = 4 s after the
 *       request. The regular checks alone would take up to 10 + 4.5 + 1 = 15.5 s (the probe goes out 4.5 s into
 *       the unanswered check).</li>
 *   <li>aggressive (checks every 1 s, retry-delay 500 ms, timeout 500 ms; the probe is then 500 ms): the next check
 *       goes out ≤ 1 s after the silence began, the probe 250 ms later while the check is still out; the check
 *       misses at 500 ms, the probe at 750 ms: <b>≤ 1.75 s</b>.</li>
 * </ul>
 * When the focus's own connection is down no check is sent (and nothing is judged). When every bridge is failed the
 * doctor enters {@link PanicMode}: it logs loudly, counts it, and checks at {@code panic-interval} until one recovers.
 *
 * <p>All doctor state lives on its own event loop ({@code focus-health}), closed with the doctor.
 */
public final class HealthDoctor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthDoctor.class);

    private final HealthSettings settings;
    private final BridgeRegistry registry;
    private final HealthCheckSender sender;
    private final ExecutorEventLoop loop;
    private final Clock clock;
    private final BridgeEventListener listener = this::onBridgeEvent;
    private final HealthMetrics metrics;
    private final OwnLinkGuard guard;
    private final Prober prober;
    private final PanicMode panic;

    // ---- loop only ----
    private final Map<String, Patient> patients = new LinkedHashMap<>();
    private boolean running;
    private boolean ownDownLogged;

    /**
     * @param link the focus's own link the checks go out on: checked before an unanswered check fails a bridge
     * @param loops makes the doctor's loop ({@code focus-health})
     * @param metrics where the doctor's own metrics go (registered here: one registry per doctor)
     * @param roundTrips the focus's send order, shared with everything else that sends bridges requests on the same
     *     connection (the {@code ColibriDeadlineWatch}): the checks and probes go in it, and an answer to a later
     *     request from another bridge tells the {@link OwnLinkGuard} a silent bridge's trouble is its own
     */
    public HealthDoctor(HealthSettings settings, BridgeRegistry registry, HealthCheckSender sender, OwnLink link,
                        EventLoops loops, Clock clock, CollectorRegistry metrics, RoundTrips roundTrips) {
        this(settings, registry, sender, link, loops, clock, new HealthMetrics(metrics), roundTrips);
    }

    /** As above, counting into metrics registered once (a doctor rebuilt on reload keeps them). */
    public HealthDoctor(HealthSettings settings, BridgeRegistry registry, HealthCheckSender sender, OwnLink link,
                        EventLoops loops, Clock clock, HealthMetrics metrics, RoundTrips roundTrips) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.guard = new OwnLinkGuard(settings, sender, Objects.requireNonNull(link, "link"), registry, this.metrics,
                clock, Objects.requireNonNull(roundTrips, "roundTrips"));
        this.loop = loops.create("focus-health");
        this.prober = new Prober(settings, sender, guard, registry, this.metrics, loop, clock,
                Collections.unmodifiableMap(patients), this::passed);
        this.panic = new PanicMode(settings, this.metrics);
    }

    /** Starts checking the bridges already known and every bridge added later. */
    public void start() {
        registry.addListener(listener);
        loop.execute(() -> {
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

    /** Stops checking (every scheduled check cancelled) and stops the doctor's loop. */
    @Override
    public void close() {
        registry.removeListener(listener);
        try {
            loop.submit(() -> {
                running = false;
                for (Patient p : patients.values()) {
                    p.cancel();
                    p.cancelOverdue();
                }
                patients.clear();
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Health doctor stop: {}", e.toString());
        }
        loop.close();
    }

    /** Runs a check of the bridge now (tests, and the admin API). Completes with the outcome once it is handled. */
    public CompletableFuture<HealthOutcome> checkNow(String bridgeId) {
        CompletableFuture<HealthOutcome> f = new CompletableFuture<>();
        loop.execute(() -> {
            Patient p = patients.get(bridgeId);
            if (p == null) {
                f.complete(HealthOutcome.localError("unknown bridge"));
                return;
            }
            runCheck(p, f);
        });
        return f;
    }

    /** Completes after every task posted so far ran. */
    public CompletableFuture<Void> flush() {
        return loop.submit(() -> null);
    }

    public boolean inPanic() { return panic.active(); }

    /** Consecutive misses of a bridge (for tests and the debug API); -1 when not checked. */
    public CompletableFuture<Integer> misses(String bridgeId) {
        return loop.submit(() -> {
            Patient p = patients.get(bridgeId);
            return p == null ? -1 : p.misses;
        });
    }

    // ------------------------------------------------------------------ registry thread → the doctor's loop

    private void onBridgeEvent(BridgeEvent ev) {
        loop.execute(() -> {
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
                    metrics.suspected.labels(b.suspectSignal() == null ? "unknown" : b.suspectSignal().label()).inc();
                    Patient p = patients.get(b.id());
                    if (p != null) {
                        prober.probe(p, ev.reason());
                    }
                }
                default -> { }
            }
        });
    }

    // ------------------------------------------------------------------ the doctor's loop

    private void admit(BridgeState b) {
        if (patients.containsKey(b.id())) {
            return;
        }
        Patient p = new Patient(b.id(), b.nick());
        patients.put(b.id(), p);
        log.info("Health-check task scheduled for {} ({}) every {}", p.nick, p.id, panic.firstDelay());
        schedule(p, panic.firstDelay());
    }

    private void discharge(BridgeState b, String reason) {
        Patient p = patients.remove(b.id());
        if (p != null) {
            p.cancel();
            p.cancelOverdue();
            forgetSeries(p.nick);
            guard.forget(p.id);
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
            metrics.checks.remove(nick, k.label());
        }
    }

    private void schedule(Patient p, Duration delay) {
        p.cancel();
        if (!running) {
            return;
        }
        p.next = loop.schedule(() -> {
            try {
                runCheck(p, null);
            } catch (RuntimeException e) {
                log.error("Health check of {} failed to run", p.nick, e);
                schedule(p, settings.interval());
            }
        }, delay);
    }

    private void runCheck(Patient p, CompletableFuture<HealthOutcome> report) {
        if (patients.get(p.id) != p) {
            return;
        }
        if (!sender.ready()) {
            metrics.ownConnectionDown.inc();
            metrics.checks.labels(p.nick, "not_sent").inc();
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
        p.sentEpoch = guard.epoch();
        long sentNanos = System.nanoTime();
        long generation = ++p.generation;
        OwnLinkGuard.Sending sending = guard.send(p, settings.timeout(), "health check");
        CompletableFuture<HealthOutcome> f = sending.outcome();
        Duration overdue = Prober.overdueAfter(settings);
        if (!settings.usePresence() && !overdue.isNegative() && !overdue.isZero() && !f.isDone()) {
            // still unanswered when its timeout is half a probe timeout away: probed alongside (Prober#overdue)
            p.cancelOverdue();
            p.overdue = loop.schedule(() -> {
                p.overdue = null;
                if (patients.get(p.id) == p) {
                    prober.overdue(p, generation);
                }
            }, overdue);
        }
        f.thenAccept(o -> {
            double seconds = (System.nanoTime() - sentNanos) / 1e9;
            loop.execute(() -> {
                onOutcome(p, generation, o, seconds, sending.request());
                if (report != null) {
                    report.complete(o);
                }
            });
        });
    }

    /** @param request the check, as its silence is judged (empty in presence mode) */
    private void onOutcome(Patient p, long generation, HealthOutcome o, double seconds, Optional<Request> request) {
        if (generation != p.generation) {
            return;
        }
        p.inFlight = false;
        p.lastOutcome = o.kind();
        p.cancelOverdue();
        Prober.Verdict held = p.heldVerdict;
        p.heldVerdict = null;
        if (patients.get(p.id) != p) {
            return; // removed meanwhile: not counted, its series is gone with it
        }
        metrics.checks.labels(p.nick, o.label()).inc();
        boolean missed = false;
        switch (o.kind()) {
            case PASSED -> {
                metrics.checkSeconds.observe(seconds);
                if (p.misses > 0) {
                    log.info("Health check of {} ({}) passed after {} miss(es)", p.nick, p.id, p.misses);
                }
                passed(p);
            }
            case FAILED -> {
                metrics.checkSeconds.observe(seconds);
                if (guard.notBackYet(p, o, "Health check")) {
                    break;
                }
                p.misses = 0;
                p.lastAnswerAt = clock.instant();
                log.warn("Health check of {} ({}) failed: {}", p.nick, p.id, o.detail());
                registry.markFailed(p.id, "health check: " + o.detail());
            }
            case TIMEOUT -> {
                if (guard.lostSince(p.sentEpoch, "Health check of " + p.nick + " (" + p.id + ")", "not a miss")) {
                    break;
                }
                missed = true;
                p.misses++;
                p.missedGeneration = generation;
                log.info("Health check of {} ({}) missed: no reply within {} ({} of {})", p.nick, p.id,
                        settings.timeout(), p.misses, settings.misses());
                boolean probedAlongside = held != null && held.generation() == generation;
                registry.suspect(p.id, SuspectSignal.HEALTH_TIMEOUT, "health check unanswered within "
                        + settings.timeout().toMillis() + " ms");
                if (probedAlongside && p.misses < settings.misses()) {
                    // the probe that went out alongside this check timed out first (its deadline is half a probe
                    // timeout after the check's, so only when delayed): judged now
                    prober.judge(p, held.ping(), held.evidence(), held.request());
                } else if (p.misses >= settings.misses()) {
                    verifyThenJudge(p, "no reply to " + p.misses + " health checks in a row (timeout "
                            + settings.timeout() + ")", request);
                } else if (!probedAlongside) {
                    prober.probe(p, "health check missed");
                }
            }
            case ERROR -> {
                if (o.local()) {
                    // the focus's own failure (an exception instead of a reply): nothing the bridge said, so it
                    // neither clears a suspicion nor counts as a miss
                    log.warn("Health check of {} ({}) not completed on the focus's side: {} (not the bridge's "
                            + "answer; no state change)", p.nick, p.id, o.detail());
                    break;
                }
                metrics.checkSeconds.observe(seconds);
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
     * Pings the focus's own server (waiting up to the probe timeout for its answer, {@link OwnLinkGuard#bound()}), then
     * judges the bridge that missed its checks (unless it left meanwhile).
     */
    private void verifyThenJudge(Patient p, String evidence, Optional<Request> request) {
        guard.verify().thenAccept(ping -> loop.execute(() -> {
            if (patients.get(p.id) == p) {
                prober.judge(p, ping, evidence, request);
            }
        }));
    }

    private Duration nextDelay(boolean missed) { return panic.nextDelay(missed); }

    private void evaluatePanic() {
        if (panic.evaluate(registry.snapshot())) {
            for (Patient p : patients.values()) {
                if (!p.inFlight) {
                    schedule(p, settings.panicInterval());
                }
            }
        }
    }
}
