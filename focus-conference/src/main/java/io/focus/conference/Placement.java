package io.focus.conference;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.SelectionRequest;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placing one participant: selection (with the conference's bridges, the participant's region, the pinned version
 * and the participant's exclusions), then a Colibri2 allocation on the chosen bridge, and its reply. A failed
 * allocation is {@link AllocationFailures}' business; retries after a failure wait with backoff, within
 * {@code max-placement-attempts}; a participant that no bridge can take waits for a bridge event. Runs on the
 * conference's loop.
 */
final class Placement {
    private static final Logger log = LoggerFactory.getLogger(Placement.class);

    private final Conference conference;
    private final ConferenceContext ctx;
    private final AllocationFailures failures;

    Placement(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
        this.failures = new AllocationFailures(conference, this);
    }

    /** Once {@code min-participants} are in the room: places everyone who waits (and was not released). */
    void placeWaiting() {
        if (conference.participantCount() < ctx.settings().minParticipants()) {
            return;
        }
        for (Participant p : conference.participants()) {
            if (p.is(ParticipantView.State.WAITING) && p.retryTimer == null && !p.released) {
                place(p);
            }
        }
    }

    /** Selects a bridge for the participant and asks it for an allocation (or lets the participant wait). */
    void place(Participant p) {
        if (conference.ended() || conference.participant(p.id()) != p || p.released) {
            return;
        }
        if (p.is(ParticipantView.State.PLACING) || p.is(ParticipantView.State.PLACED)) {
            return;
        }
        p.cancelRetry();
        ConferenceBridges bridges = conference.bridges();
        // Not the registry's snapshot as is: it learns of our placements asynchronously, so in a burst it would not
        // show the ones just made (see PlacementLedger).
        BridgeSnapshot snapshot = ctx.ledger().snapshotFor(ctx.bridges().snapshot());
        Set<String> keptOff = suspectMovedOff(p, snapshot);
        Set<String> excluded = p.exclusions;
        if (!keptOff.isEmpty()) {
            excluded = new LinkedHashSet<>(p.exclusions);
            excluded.addAll(keptOff);
            ctx.metrics().keptOffSuspect.inc();
            log.debug("{} not placing {} back on {}: moved off, suspect now", conference.logPrefix(), p.id(), keptOff);
        }
        SelectionRequest request = new SelectionRequest(snapshot, bridges.forSelection(conference.now()),
                new ParticipantProperties(p.occupant.region(), false),
                ctx.pinnedVersion().apply(conference.roomJid()), ExclusionSet.of(excluded), conference.roomJid());
        Decision decision;
        try {
            decision = ctx.selector().select(request);
        } catch (RuntimeException e) {
            log.error("{} selection failed for {}", conference.logPrefix(), p.id(), e);
            decision = null;
        }
        if (decision == null || !decision.found()) {
            // a conference that cannot spread waits for its own bridge (a failed one gets no one): once failover
            // has moved the conference off it, the bridge leaves and this participant is tried again
            p.blockedBySpread = !bridges.isEmpty() && !bridges.canSpread();
            waitForBridge(p, "no bridge available"
                    + (decision != null ? ": " + decision.reason() : "") + " (excluded " + p.exclusions
                    + (keptOff.isEmpty() ? "" : "; moved off, suspect now: " + keptOff) + ")");
            return;
        }
        BridgeState bridge = decision.bridge();
        if (excluded.contains(bridge.id())) {
            log.error("{} selector returned excluded bridge {} for {}; not using it", conference.logPrefix(),
                    bridge.nick(), p.id());
            waitForBridge(p, "selector returned an excluded bridge");
            return;
        }
        BridgeSession s = bridges.get(bridge.id());
        if (s == null) {
            if (!bridges.isEmpty() && !bridges.canSpreadTo(bridge)) {
                p.blockedBySpread = true;
                waitForBridge(p, "conference cannot spread to " + bridge.nick()
                        + (ctx.settings().octoEnabled() ? " (a bridge has no relay id)" : " (octo disabled)"));
                return;
            }
            s = bridges.open(bridge);
        }
        s.bridge = bridge;
        p.blockedBySpread = false;
        boolean create = !s.createSent;
        s.createSent = true;
        p.toState(ParticipantView.State.PLACING, conference.now());
        bridges.join(p, s, conference.now());
        long gen = ++p.gen;
        final BridgeSession session = s;
        log.debug("{} placing {} on {} ({}), create={}", conference.logPrefix(), p.id(), bridge.nick(),
                decision.reason(), create);
        allocate(p, session, gen, endpointSpec(p), create);
    }

    /**
     * The bridges {@code p} was moved off that are suspect now (something the focus sent went unanswered and they have
     * answered nothing since): it is never placed back on one of them while so. A suspect bridge is probed at once, so
     * this lasts until the probe is answered ({@code SUSPICION_CLEARED} places whoever waits) or the bridge is failed.
     */
    private static Set<String> suspectMovedOff(Participant p, BridgeSnapshot snapshot) {
        if (p.movedOff.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String id : p.movedOff) {
            BridgeState b = snapshot.get(id);
            if (b != null && b.suspect() && !p.exclusions.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * Sends the allocation; its reply comes back on the conference's loop. What an expire is owed for on the bridge
     * is claimed first ({@link OwedExpiries}): an owed conference expire goes out before the create, an owed
     * endpoint expire makes the allocation replace the endpoint.
     */
    void allocate(Participant p, BridgeSession s, long gen, EndpointSpec endpoint, boolean create) {
        CompletableFuture<Allocation> f;
        try {
            if (create) {
                ctx.expiries().beforeCreateConference(s.bridge, conference.spec(), conference.logPrefix());
            } else if (ctx.expiries().claimEndpoint(s.bridge, conference.spec(), endpoint.id()) && !endpoint.replace()) {
                endpoint = endpoint.replacing();
            }
            ctx.journal().allocating(conference.spec().roomJid(), conference.spec().meetingId(), s.bridge,
                    endpoint.id());
            f = ctx.backend().allocate(s.bridge, conference.spec(), endpoint, create);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((a, e) -> ctx.loop().execute(() -> onAllocated(p, s, gen, create, a, e)));
    }

    /**
     * The participant as an endpoint: for its allocation (on the bridge of its session; no SCTP when that bridge
     * refused SCTP before) or for the relays of the other bridges (which ignore the SCTP flag). While the participant
     * is being placed, what its allocation asked for is kept in {@code askedSctp} for the error policy.
     */
    EndpointSpec endpointSpec(Participant p) {
        boolean sctp = ctx.settings().sctp() && (p.session == null || !ctx.refusals().noSctp(p.session.bridge.id()));
        if (p.is(ParticipantView.State.PLACING)) {
            p.askedSctp = sctp;
        }
        EndpointSpec e = new EndpointSpec(p.id(), p.occupant.statsId(), false, sctp, p.sources);
        // the first allocation of an endpoint a previous focus process left in an adopted conference replaces it
        return p.is(ParticipantView.State.PLACING) && p.session != null && p.session.stale.remove(p.id())
                ? e.replacing() : e;
    }

    /**
     * An allocation reply. One without the bridge's feedback sources that came before the reply to the conference
     * create (replies can be handled out of order) waits for it, so that its offer carries the sources the create
     * reply gave (see {@link BridgeSession#withFeedbackSources}), as Jicofo's offers all do.
     */
    private void onAllocated(Participant p, BridgeSession s, long gen, boolean create, Allocation a, Throwable e) {
        if (!create && e == null && a != null && (a.feedbackSources() == null || a.feedbackSources().isEmpty())
                && !s.createAnswered) {
            s.afterCreate.add(() -> allocated(p, s, gen, false, a, null));
            return;
        }
        allocated(p, s, gen, create, a, e);
        if (create) {
            s.createAnswered = true;
            List<Runnable> held = List.copyOf(s.afterCreate);
            s.afterCreate.clear();
            held.forEach(Runnable::run);
        }
    }

    private void allocated(Participant p, BridgeSession s, long gen, boolean create, Allocation a, Throwable e) {
        ConferenceBridges bridges = conference.bridges();
        boolean current = !conference.ended() && conference.participant(p.id()) == p && p.gen == gen
                && p.session == s && bridges.current(s);
        if (!current) {
            if (e == null && !conference.ended() && bridges.current(s) && !s.members.contains(p)) {
                // Allocated after the participant left or moved: don't leave the endpoint behind on the bridge.
                log.debug("{} late allocation of {} on {}: expiring it", conference.logPrefix(), p.id(),
                        s.bridge.nick());
                ctx.expiries().expireEndpoint(s.bridge, conference.spec(), p.id(), conference.logPrefix());
            }
            if (e == null && create && bridges.current(s)) {
                s.created = true;
            }
            return;
        }
        if (e != null) {
            failures.failed(p, s, ColibriException.of(e));
            return;
        }
        if (create) {
            s.created = true;
        }
        BridgeState b = s.bridge;
        p.allocation = s.withFeedbackSources(a).withSession(b.nick(), b.region(), s.id);
        p.toState(ParticipantView.State.PLACED, conference.now());
        p.failures = 0;
        p.exclusions.clear();
        if (p.moving) {
            log.info("{} moved from {} to {} ({})", conference.logPrefix(p), p.movedFrom, b.nick(), p.moveReason);
        } else {
            log.info("{} placed on {} ({})", conference.logPrefix(p), b.nick(), b.id());
        }
        bridges.syncRelays();
        conference.signalling().placed(p);
    }

    /** Takes a participant whose own allocation failed off its session (nothing to expire for it). */
    void detachForRetry(Participant p, BridgeSession s) {
        conference.bridges().detach(p, s);
        p.toState(ParticipantView.State.WAITING, conference.now());
        p.gen++;
        conference.bridges().syncRelays();
    }

    /** Places the participant again, at once or after a backoff; waits for a bridge once the attempts are used. */
    void retryLater(Participant p) {
        if (p.failures >= ctx.settings().maxPlacementAttempts()) {
            waitForBridge(p, "gave up after " + p.failures + " failed allocations");
            return;
        }
        Duration delay = ctx.settings().backoff(p.failures);
        if (delay.isZero()) {
            place(p);
            return;
        }
        log.info("{} retrying {} in {} ms (failure {})", conference.logPrefix(), p.id(), delay.toMillis(), p.failures);
        p.retryTimer = ctx.loop().schedule(() -> {
            p.retryTimer = null;
            place(p);
        }, delay);
    }

    private void waitForBridge(Participant p, String why) {
        boolean first = !p.is(ParticipantView.State.NO_BRIDGE);
        p.toState(ParticipantView.State.NO_BRIDGE, conference.now());
        if (first) {
            log.warn("{} cannot be placed: {}; waiting for a bridge", conference.logPrefix(p), why);
        }
    }

    /** A bridge was added or recovered: everyone waiting for a bridge tries again; {@code cameBack} is no longer excluded. */
    void retryWaiting(String cameBack) {
        if (conference.participantCount() < ctx.settings().minParticipants()) {
            return;
        }
        for (Participant p : conference.participants()) {
            if (p.is(ParticipantView.State.NO_BRIDGE)) {
                if (cameBack != null) {
                    p.exclusions.remove(cameBack);
                }
                p.failures = 0;
                p.toState(ParticipantView.State.WAITING, conference.now());
                place(p);
            }
        }
    }

    /** A bridge left the conference: participants that could not spread may fit now. */
    void retryBlockedBySpread() {
        if (conference.ended()) {
            return;
        }
        for (Participant p : conference.participants()) {
            if (p.is(ParticipantView.State.NO_BRIDGE) && p.blockedBySpread) {
                place(p);
            }
        }
    }
}
