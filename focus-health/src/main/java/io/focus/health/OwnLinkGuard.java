package io.focus.health;

import io.focus.core.xmpp.connection.OwnLink;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.RoundTrips;
import io.focus.health.registry.BridgeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an unanswered check or probe is the bridge's trouble or the focus's own. The bridge is FAILED unless:
 * <ul>
 *   <li>the focus's own connection is down, was lost since the request went out, or its server did not answer a ping
 *       within half the probe timeout ({@link #window()}): nothing is failed
 *       ({@code focus_health_own_link_suspect_total}). But when the server did answer, only late (after the window,
 *       within the probe timeout: {@link #bound()}), its delay R is measured rather than taken as a verdict: the
 *       {@link Prober} probes the bridge again at once with a deadline scaled to it ({@link #scaled}: the probe
 *       timeout + 2R, as the bridge's reply crosses the server twice), once per verdict, and that probe unanswered
 *       fails the bridge only when its own ping is answered within half the scaled deadline (the same rule, scaled);
 *       late again, or not answered, or the link lost meanwhile: held as above
 *       ({@code focus_health_scaled_probes_total{verdict}}). A busy Prosody (another bridge's mass move) answering
 *       its own pings in 300-500 ms at a 500 ms probe no longer holds a dead bridge until it calms down;</li>
 *   <li>no other bridge answered anything within {@code interval + timeout}, and at least
 *       {@code mass-failure-fraction} of the bridges (and at least 2) are missing at once: a mass miss, nothing is
 *       failed ({@code focus_health_mass_miss_total}). When the own link is verified and other bridges answer,
 *       several hung bridges are all failed.</li>
 * </ul>
 * Neither hold applies when the bridge was <b>overtaken</b> ({@link #overtaken}): another bridge answered a request the
 * focus wrote after the unanswered one (a Colibri2 request, a check or a probe: {@link RoundTrips}, shared with the
 * {@code ColibriDeadlineWatch}), and the own link has not been lost since that one went out. The focus's requests leave
 * on one stream in order and its server routes them in that order, so the link and the server carried a later request
 * and its reply while this bridge stayed silent for its whole timeout: its silence is its own. When most bridges are
 * missing (the own ping answered in time) it is FAILED at once. When the own server's ping was late or unanswered it
 * first gets the scaled probe (with an unanswered ping, the longest: the ping's wait taken as the delay), since a
 * bridge busy with a mass move's allocations is slow, not hung (the soak: five such bridges failed, each answering
 * 50-200 ms later); that probe unanswered too, with another bridge's answer to a request sent after it, FAILS it
 * (logged at WARN as "{@code OVERTAKEN: ...}", {@code focus_health_overtaken_total}). The soak saw why this evidence
 * is needed: a Prosody busy with another bridge's mass move answered the focus's pings in over 500 ms while other
 * bridges' replies to requests sent after the probe kept coming back through it, and a hung bridge was held for
 * seconds. Without such an answer, everything is held as above. A loss of the own link still holds everything.
 * A verdict held back for either reason also forgets the bridge's misses so far: they say nothing about the bridge,
 * so once the focus's trouble is over the bridge must miss afresh (a check and its probe) to be failed, never on
 * a count run up while the focus's own server was not answering either. {@link #judge} runs on the doctor's loop.
 */
final class OwnLinkGuard {
    private static final Logger log = LoggerFactory.getLogger(HealthDoctor.class);

    private final HealthSettings settings;
    private final HealthCheckSender sender;
    private final OwnLink link;
    private final BridgeRegistry registry;
    private final HealthMetrics metrics;
    private final Clock clock;
    private final RoundTrips roundTrips;

    OwnLinkGuard(HealthSettings settings, HealthCheckSender sender, OwnLink link, BridgeRegistry registry,
                 HealthMetrics metrics, Clock clock, RoundTrips roundTrips) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.link = Objects.requireNonNull(link, "link");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.roundTrips = Objects.requireNonNull(roundTrips, "roundTrips");
    }

    /** A check or probe on its way: its outcome, and the request its silence is judged as (none in presence mode). */
    record Sending(CompletableFuture<HealthOutcome> outcome, Optional<Request> request) {}

    /**
     * Sends a check of {@code p} (a regular check or a probe) with {@code timeout}. In IQ mode it is placed in the
     * focus's send order: numbered just before and right after it is written ({@link HealthCheckSender#check} writes
     * before it returns), and an answer the bridge itself gave ({@link HealthOutcome#bridgeAnswered()}) is recorded
     * before anyone sees the outcome. Never throws; the outcome never completes exceptionally (an exception is the
     * focus's own error, {@link HealthOutcome#localError}).
     *
     * @param what what it is, for the evidence ("health check", "probe", "scaled probe")
     */
    Sending send(Patient p, Duration timeout, String what) {
        markBack();
        boolean request = !settings.usePresence();
        long answerSeq = request ? roundTrips.sending() : 0;
        long epoch = link.epoch();
        CompletableFuture<HealthOutcome> check;
        try {
            check = sender.check(p.id, timeout);
        } catch (RuntimeException e) {
            check = CompletableFuture.completedFuture(HealthOutcome.localError(e.toString()));
        }
        Optional<Request> sent = request ? Optional.of(new Request(what, roundTrips.sent(), epoch)) : Optional.empty();
        CompletableFuture<HealthOutcome> outcome = check.handle((o, e) -> {
            HealthOutcome out = e != null ? HealthOutcome.localError(e.toString())
                    : o != null ? o : HealthOutcome.localError("no outcome");
            if (request && out.bridgeAnswered()) {
                roundTrips.answered(p.id, answerSeq);
            }
            return out;
        });
        return new Sending(outcome, sent);
    }

    /**
     * Another bridge that answered a request the focus wrote after {@code request} (a check or probe of {@code p}
     * unanswered), the own link not lost since {@code request} went out: its id, or empty when no bridge did, the
     * link was lost, or there was no request (presence mode).
     */
    Optional<String> overtaken(Patient p, Optional<Request> request) {
        return request.filter(r -> link.epoch() == r.epoch()).flatMap(r -> roundTrips.overtaken(p.id, r.seq()));
    }

    /** The bridge left: its answers no longer count as anyone's evidence. */
    void forget(String bridgeId) { roundTrips.forget(bridgeId); }

    /** The own link's epoch now (changes whenever the link is lost). */
    long epoch() { return link.epoch(); }

    /** The link's loss count when checks last went out, and when they first went out after its latest loss. */
    private long sentEpoch;
    private Instant backAt;

    /** A check or probe goes out (the link is up): the first one after a loss marks when the link came back. */
    private void markBack() {
        if (link.epoch() != sentEpoch) {
            sentEpoch = link.epoch();
            backAt = clock.instant();
        }
    }

    /**
     * The server said it cannot reach the bridge ({@link HealthOutcome#serverSaidUnreachable()}), and the bridge has
     * shown no stats since the focus's link came back: after a Prosody restart the focus is often back before its
     * bridges, which are then "not in the room"; whether they come back is the brewery's reconnect grace to decide,
     * not this answer. True (logged) when so.
     */
    boolean notBackYet(Patient p, HealthOutcome o, String what) {
        if (!o.serverSaidUnreachable() || backAt == null) {
            return false;
        }
        BridgeState b = registry.snapshot().get(p.id);
        if (b == null || (b.lastStatsAt() != null && b.lastStatsAt().isAfter(backAt))) {
            return false;
        }
        log.info("{} of {} ({}): {}; it has shown no stats since the focus's link came back: not failed (the "
                + "brewery's reconnect grace applies)", what, p.nick, p.id, o.detail());
        return true;
    }

    /**
     * The own link was lost since {@code epoch}: an unanswered request says nothing about its bridge (counted and
     * logged: "{@code what} unanswered across a loss of the focus's own link: {@code verdict}"). True when so.
     */
    boolean lostSince(long epoch, String what, String verdict) {
        if (link.epoch() == epoch) {
            return false;
        }
        metrics.ownLinkSuspect.inc();
        log.info("{} unanswered across a loss of the focus's own link: {}", what, verdict);
        return true;
    }

    /**
     * How soon the focus's own server must answer the ping sent with a probe: half the probe timeout. The server
     * answers itself (milliseconds when all is well); a link that only comes back late in the probe window (a thawing
     * link, an overloaded Prosody) would answer the ping just before the bridge's reply to the probe could come back,
     * and the bridge would be failed for the focus's own trouble.
     */
    Duration window() { return settings.probe().dividedBy(2); }

    /**
     * How long the ping sent with a probe is waited for: the probe timeout. It goes out with the probe, so waiting
     * as long costs the probe's verdict nothing; an answer after {@link #window()} but within this measures how slow
     * the server is ({@link #scaled}). A server slower still to answer itself is the focus's trouble: held.
     */
    Duration bound() { return settings.probe(); }

    /**
     * The deadline of the probe sent again when the focus's own server answered its ping in {@code late} (over
     * {@link #window()}): the probe timeout + 2 × {@code late}, since the bridge's reply crosses the server twice
     * (request in, reply out). {@code late} is at most {@link #bound()}, so this is at most 3 × the probe timeout
     * (1.5 s with the aggressive 500 ms probe, 3 s with the default 1 s), the cap: not the regular check timeout,
     * which is the probe timeout itself in the aggressive settings (where Prosody's own delay matters most) and
     * would leave no room for the delay.
     */
    Duration scaled(Duration late) { return settings.probe().plus(late.multipliedBy(2)); }

    /**
     * Pings the focus's own server; completes with how long it took to answer, or empty when it did not answer within
     * {@link #bound()} or the link was lost meanwhile (never waits longer).
     */
    CompletableFuture<Optional<Duration>> verify() { return verify(bound()); }

    /** As {@link #verify()}, waiting at most {@code timeout}. */
    CompletableFuture<Optional<Duration>> verify(Duration timeout) {
        try {
            return link.verify(timeout)
                    .handle((took, e) -> e == null && took != null ? took : Optional.<Duration>empty())
                    .completeOnTimeout(Optional.empty(), timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** The ping answered, but after {@code window}: how long it took; else empty. */
    static Optional<Duration> late(Optional<Duration> ping, Duration window) {
        return ping.filter(took -> took.compareTo(window) > 0);
    }

    /**
     * An unanswered check or probe of {@code p}: FAILED unless the trouble looks like the focus's own, and even then
     * when another bridge answered a request sent after it ({@link #overtaken}) and, if the own server's ping was
     * late or unanswered, this was the scaled probe's verdict (the class says when). (A ping
     * answered late is the {@link Prober}'s to act on first: {@link Prober#judge}.)
     *
     * @param patients every bridge the doctor checks (for the mass-miss rule)
     * @param ping how long the focus's own server took to answer a ping sent with the probe (empty: no answer)
     * @param window how soon it must have answered for the silence to count against the bridge: {@link #window()},
     *     or half the deadline of a scaled probe
     * @param waited how long the ping was waited for ({@link #bound()}, or the scaled probe's window): an empty
     *     {@code ping} did not answer within that
     * @param request the unanswered check or probe the verdict is about (the later one, when a check and its probe
     *     both went unanswered); empty in presence mode, where nothing is sent
     * @param scaled the verdict of a scaled probe: the bridge already had the longer deadline, so another bridge's
     *     answer to a later request fails it even though the own server's ping was late or unanswered (before that,
     *     such an answer leads to the scaled probe, {@link Prober#judge}, and a verdict that gets here anyway, with a
     *     probe already out, is held)
     * @return true when the bridge was failed
     */
    boolean judge(Patient p, Collection<Patient> patients, Optional<Duration> ping, Duration window,
                  Duration waited, String evidence, Optional<Request> request, boolean scaled) {
        Optional<Duration> late = late(ping, window);
        Optional<String> witness = sender.ready() ? overtaken(p, request) : Optional.empty();
        if (!sender.ready() || ping.isEmpty() || late.isPresent()) {
            if (witness.isPresent() && scaled) {
                return failOvertaken(p, patients, evidence, late.isPresent()
                        ? "the focus's own server answered its ping only in " + late.get().toMillis() + " ms (over "
                                + window.toMillis() + " ms)"
                        : "the focus's own server did not answer its ping within " + waited.toMillis() + " ms",
                        witness.get(), request.get());
            }
            metrics.ownLinkSuspect.inc();
            if (sender.ready() && late.isPresent()) {
                log.warn("{} ({}) did not answer ({}), and the focus's own server answered its ping only in {} ms "
                        + "(over {} ms): not failing it", p.nick, p.id, evidence, late.get().toMillis(),
                        window.toMillis());
            } else {
                log.warn("{} ({}) did not answer ({}), but neither did the focus's own server within {} ms: not "
                        + "failing it", p.nick, p.id, evidence, waited.toMillis());
            }
            p.misses = 0;
            return false;
        }
        Instant now = clock.instant();
        Duration stuck = settings.timeout().dividedBy(2);
        Duration recent = settings.interval().plus(settings.timeout());
        int missing = 0;
        int othersAnswering = 0;
        for (Patient q : patients) {
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
            if (witness.isPresent()) {
                return failOvertaken(p, patients, evidence, missing + " of " + total + " bridges are missing their "
                        + "health checks at once", witness.get(), request.get());
            }
            metrics.massMiss.inc();
            log.warn("MASS MISS: {} of {} bridges are missing their health checks at once and none answered lately; "
                    + "this looks like the focus's or Prosody's trouble, not the bridges': not failing {} ({})",
                    missing, total, p.nick, p.id);
            p.misses = 0;
            return false;
        }
        registry.markFailed(p.id, evidence);
        return true;
    }

    /**
     * Fails {@code p}, whose verdict {@code hold} would have held, because {@code witnessId} answered a request written
     * after {@code request}: its silence is its own.
     */
    private boolean failOvertaken(Patient p, Collection<Patient> patients, String evidence, String hold,
                                  String witnessId, Request request) {
        String witness = patients.stream().filter(q -> q.id.equals(witnessId)).map(q -> q.nick).findFirst()
                .orElse(witnessId);
        String reason = evidence + "; " + hold + ", but " + witness + " answered a request sent after this "
                + request.what();
        metrics.overtaken.inc();
        log.warn("OVERTAKEN: failing {} ({}): {}", p.nick, p.id, reason);
        registry.markFailed(p.id, reason);
        return true;
    }
}
