package io.focus.health;

import io.focus.core.bridge.SuspectSignal;
import io.focus.core.loop.EventLoop;
import io.focus.health.registry.BridgeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes of suspect bridges (IQ mode only; in presence mode there is nothing to send, suspicion then only steers
 * selection). As soon as a bridge becomes suspect (a SUSPECTED event: an unanswered Colibri2 request, overdue stats,
 * several participants losing ICE; or a missed check), the doctor sends it a health check with the short
 * {@link HealthSettings#probe()} timeout and, at the same moment, pings the focus's own server
 * ({@link OwnLinkGuard#verify}). An answered probe clears the suspicion; an unanswered one is evidence, not a reason
 * to wait for the brewery: the {@link OwnLinkGuard} judges it. One probe per bridge at a time; everything here runs on
 * the doctor's loop.
 *
 * <p><b>A check overdue</b> ({@link #overdue}): a regular check still unanswered {@link #overdueAfter} after it went
 * out (its timeout less half the probe timeout) is probed then, alongside it, instead of after its timeout: the probe's
 * answer is due half a probe timeout after the check's. The rule stays two unanswered requests in a row: an
 * unanswered probe of an overdue check fails the bridge only once that check has timed out too (a missed check); when
 * the check was answered after all, the unanswered probe counts as a miss of its own (suspect, probed again).
 *
 * <p><b>A scaled probe</b> ({@link #judge}): when the focus's own server answered the ping sent with an unanswered
 * check or probe late (after {@link OwnLinkGuard#window()}, within {@link OwnLinkGuard#bound()}), the bridge is probed
 * again at once with a deadline scaled to that delay ({@link OwnLinkGuard#scaled}) and a ping of its own, instead of
 * the verdict being held at once. Its silence is judged with half the scaled deadline as the ping's window; it is
 * never scaled again (held when late again), so one verdict sends at most one scaled probe. Another bridge's answer
 * to a request sent after the unanswered one ({@link OwnLinkGuard#overtaken}) does not spare it; with that answer a
 * ping not answered at all leads to the longest scaled probe too, and only the scaled probe's silence, with such an
 * answer after it, fails the bridge as overtaken.
 */
final class Prober {
    private static final Logger log = LoggerFactory.getLogger(HealthDoctor.class);

    private final HealthSettings settings;
    private final HealthCheckSender sender;
    private final OwnLinkGuard guard;
    private final BridgeRegistry registry;
    private final HealthMetrics metrics;
    private final EventLoop loop;
    private final Clock clock;
    private final Map<String, Patient> patients;
    private final Consumer<Patient> passed;

    /**
     * @param patients the bridges the doctor checks now, by id (the doctor's own map, read on its loop: a probe of a
     *     bridge that left meanwhile is dropped)
     * @param passed what the doctor does when a bridge answers its check or probe
     */
    Prober(HealthSettings settings, HealthCheckSender sender, OwnLinkGuard guard, BridgeRegistry registry,
           HealthMetrics metrics, EventLoop loop, Clock clock, Map<String, Patient> patients,
           Consumer<Patient> passed) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.patients = Objects.requireNonNull(patients, "patients");
        this.passed = Objects.requireNonNull(passed, "passed");
    }

    /**
     * What an unanswered probe of an overdue check leaves for that check's timeout to deliver.
     *
     * @param ping how long the focus's own server took to answer the ping sent with the probe (empty: no answer)
     * @param request the probe (the later of the two unanswered requests: {@link OwnLinkGuard#judge})
     */
    record Verdict(long generation, Optional<Duration> ping, String evidence, Optional<Request> request) {}

    /** How long a regular check waits before it is probed alongside: its timeout less half the probe timeout. */
    static Duration overdueAfter(HealthSettings settings) {
        return settings.timeout().minus(settings.probe().dividedBy(2));
    }

    /** Probes the suspect bridge unless a probe of it is out already. */
    void probe(Patient p, String why) {
        probe(p, why, -1);
    }

    /**
     * The regular check {@code generation} of {@code p} is still unanswered after {@link #overdueAfter}: probed now
     * (unless a probe is out already), judged as the class says.
     */
    void overdue(Patient p, long generation) {
        if (p.inFlight && p.generation == generation) {
            probe(p, "health check unanswered after " + overdueAfter(settings).toMillis() + " ms", generation);
        }
    }

    /** @param shadowed the regular check this probe goes out alongside, or -1 */
    private void probe(Patient p, String why, long shadowed) {
        if (!admitted(p) || p.probing) {
            return;
        }
        if (settings.usePresence()) {
            // presence-mode checks only read the stats the registry already has: there is nothing to send
            log.debug("Not probing suspect {} ({}): health checks use presence", p.nick, p.id);
            return;
        }
        if (!sender.ready()) {
            metrics.probes.labels("not_sent").inc();
            log.info("Not probing suspect {} ({}): the focus's own connection is down", p.nick, p.id);
            return;
        }
        p.probing = true;
        Duration timeout = settings.probe();
        long epoch = guard.epoch();
        log.info("Probing suspect bridge {} ({}) with a {} ms health check: {}", p.nick, p.id, timeout.toMillis(), why);
        send(p, timeout, "probe", guard.verify()).thenAccept(r -> loop.execute(
                () -> onProbe(p, r.outcome(), r.ping(), epoch, why, shadowed, r.request())));
    }

    private record Sent(HealthOutcome outcome, Optional<Duration> ping, Optional<Request> request) {}

    /**
     * Sends a probe of {@code p} with {@code timeout} ({@link OwnLinkGuard#send}: in the focus's send order);
     * completes when both it and {@code ping} have.
     */
    private CompletableFuture<Sent> send(Patient p, Duration timeout, String what,
                                         CompletableFuture<Optional<Duration>> ping) {
        OwnLinkGuard.Sending s = guard.send(p, timeout, what);
        return s.outcome().thenCombine(ping, (o, took) -> new Sent(o, took, s.request()));
    }

    /**
     * An unanswered check or probe of {@code p} (the own link not lost since it went out), with how long the focus's
     * own server took to answer the ping sent with it: judged by the {@link OwnLinkGuard}, unless that ping answered
     * late: then probed again at once with a deadline scaled to the delay (the class says how). The delay is not
     * acted on when a probe of the bridge is out already (that probe is judged on its own) or nothing can be sent:
     * held, as a late answer always was. Another bridge's answer to a request sent after {@code request}
     * ({@link OwnLinkGuard#overtaken}) does not spare the scaled probe: it shows the focus's link and server carried
     * traffic, not that this bridge is hung rather than slow (in the soak, bridges busy with a mass move's
     * allocations were failed that way and answered 50-200 ms later). With such an answer and no answer to the own
     * ping at all, the bridge gets the longest scaled probe too (the ping's wait taken as the delay); without one, that
     * verdict is held as before.
     *
     * @param request the unanswered check or probe the verdict is about (empty in presence mode)
     */
    void judge(Patient p, Optional<Duration> ping, String evidence, Optional<Request> request) {
        Optional<Duration> late = OwnLinkGuard.late(ping, guard.window());
        if (!p.probing && !settings.usePresence() && sender.ready()) {
            if (late.isPresent()) {
                scaledProbe(p, late.get(), "answered its ping in " + late.get().toMillis() + " ms (over "
                        + guard.window().toMillis() + " ms)", evidence);
                return;
            }
            if (ping.isEmpty() && guard.overtaken(p, request).isPresent()) {
                scaledProbe(p, guard.bound(), "did not answer its ping within " + guard.bound().toMillis()
                        + " ms, though another bridge answered a later request", evidence);
                return;
            }
        }
        guard.judge(p, patients.values(), ping, guard.window(), guard.bound(), evidence, request, false);
    }

    /** @param server what the focus's own server did with the ping that went out with the unanswered request */
    private void scaledProbe(Patient p, Duration late, String server, String evidence) {
        Duration deadline = guard.scaled(late);
        Duration window = deadline.dividedBy(2);
        p.probing = true;
        long epoch = guard.epoch();
        log.info("{} ({}) did not answer ({}); the focus's own server {}: probing again with a {} ms deadline",
                p.nick, p.id, evidence, server, deadline.toMillis());
        String scaledEvidence = evidence + "; the focus's own server " + server + ", and a probe with a "
                + deadline.toMillis() + " ms deadline went unanswered too";
        send(p, deadline, "scaled probe", guard.verify(window)).thenAccept(r -> loop.execute(
                () -> onScaledProbe(p, r.outcome(), r.ping(), epoch, window, scaledEvidence, r.request())));
    }

    private boolean admitted(Patient p) {
        return patients.get(p.id) == p;
    }

    /**
     * The bridge answered a probe (a pass, a failure or another error): acted on, and "failed" when that failed it,
     * else "answered". Null for a timeout or a probe not sent, which the caller judges.
     */
    private String answered(Patient p, HealthOutcome o, String what) {
        switch (o.kind()) {
            case PASSED -> {
                log.info("{} of {} ({}) answered: not suspect", what, p.nick, p.id);
                passed.accept(p);
            }
            case FAILED -> {
                if (guard.notBackYet(p, o, what)) {
                    return "answered";
                }
                p.lastAnswerAt = clock.instant();
                registry.markFailed(p.id, "health probe: " + o.detail());
                return "failed";
            }
            case ERROR -> {
                if (o.local()) {
                    // the focus's own failure, not the bridge's answer: handled as a probe not sent
                    log.warn("{} of {} ({}) not completed on the focus's side: {} (not the bridge's answer)", what,
                            p.nick, p.id, o.detail());
                    return null;
                }
                p.lastAnswerAt = clock.instant();
                registry.answered(p.id, "an error reply to a probe");
            }
            default -> {
                return null;
            }
        }
        return "answered";
    }

    private void onScaledProbe(Patient p, HealthOutcome o, Optional<Duration> ping, long epoch, Duration window,
                               String evidence, Optional<Request> request) {
        p.probing = false;
        metrics.probes.labels(o.label()).inc();
        if (!admitted(p)) {
            metrics.scaledProbes.labels("dropped").inc();
            return;
        }
        String answer = answered(p, o, "Scaled probe");
        if (answer != null) {
            metrics.scaledProbes.labels(answer).inc();
            return;
        }
        if (o.kind() != HealthOutcome.Kind.TIMEOUT) {
            metrics.scaledProbes.labels("dropped").inc();
            log.debug("Scaled probe of {} not sent: {}", p.nick, o.detail());
            return;
        }
        if (guard.lostSince(epoch, "Scaled probe of " + p.nick + " (" + p.id + ")", "not held against it")) {
            p.misses = 0; // the verdict it stood for is held, as any held verdict
            metrics.scaledProbes.labels("held").inc();
            return;
        }
        boolean failed = guard.judge(p, patients.values(), ping, window, window, evidence, request, true);
        metrics.scaledProbes.labels(failed ? "failed" : "held").inc();
    }

    private void onProbe(Patient p, HealthOutcome o, Optional<Duration> ping, long epoch, String why,
                         long shadowed, Optional<Request> request) {
        p.probing = false;
        metrics.probes.labels(o.label()).inc();
        if (!admitted(p) || answered(p, o, "Probe") != null) {
            return;
        }
        switch (o.kind()) {
            case TIMEOUT -> {
                if (guard.lostSince(epoch, "Probe of " + p.nick + " (" + p.id + ")", "not held against it")) {
                    return;
                }
                if (shadowed < 0) {
                    judge(p, ping, "suspect (" + why + ") and a probe unanswered within "
                            + settings.probe().toMillis() + " ms", request);
                    return;
                }
                String evidence = "health check unanswered within " + settings.timeout().toMillis() + " ms and a "
                        + "probe sent " + overdueAfter(settings).toMillis() + " ms after it unanswered within "
                        + settings.probe().toMillis() + " ms";
                if (p.missedGeneration == shadowed) {
                    judge(p, ping, evidence, request);
                } else if (p.inFlight && p.generation == shadowed) {
                    // two requests unanswered, but the first has not timed out yet: its timeout delivers this
                    p.heldVerdict = new Verdict(shadowed, ping, evidence, request);
                } else {
                    // the check it went out with was answered (or did not count): this silence is a miss of its own
                    log.info("Probe of {} ({}) unanswered within {} ms, though the check it went out with was "
                            + "answered: suspect, probing again", p.nick, p.id, settings.probe().toMillis());
                    registry.suspect(p.id, SuspectSignal.HEALTH_TIMEOUT, "health probe unanswered within "
                            + settings.probe().toMillis() + " ms");
                    probe(p, "probe unanswered");
                }
            }
            default -> log.debug("Probe of {} not sent: {}", p.nick, o.detail());
        }
    }
}
