package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a conference does when one participant's allocation fails: the table is {@link AllocationErrorPolicy} (its
 * rows for {@link AllocationErrorPolicy.Request#ALLOCATE}). A refused request (a configuration mismatch such as SCTP)
 * is logged once per bridge, counted, and adapted (the SCTP fallback: again without SCTP; without create; after
 * expiring a stale endpoint) or refused for this participant only; only a timeout or a broken bridge is reported to
 * the registry as failed. Where Jicofo would drop the participant (bad-request, reason-less item-not-found) it is
 * placed elsewhere with the bridge excluded, within its retry budget. An error that costs the conference the bridge
 * is a {@link FailoverTrigger} ({@link FailoverTrigger#forAllocationError}). Runs on the conference's loop.
 */
final class AllocationFailures {
    private static final Logger log = LoggerFactory.getLogger(AllocationFailures.class);
    /** Adapted re-allocations (without SCTP, without create, after expiring a stale endpoint) per session. */
    static final int MAX_ADAPTATIONS = 2;

    private final Conference conference;
    private final ConferenceContext ctx;
    private final Placement placement;

    AllocationFailures(Conference conference, Placement placement) {
        this.conference = conference;
        this.ctx = conference.ctx();
        this.placement = placement;
    }

    void failed(Participant p, BridgeSession s, ColibriException ce) {
        BridgeState b = s.bridge;
        ctx.metrics().allocationFailures.labels(AllocationErrorPolicy.conditionLabel(ce)).inc();
        AllocationErrorPolicy.Decision d = AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.ALLOCATE, ce,
                p.askedSctp);
        if (d.refused()) {
            ctx.refusals().refused(b, AllocationErrorPolicy.Request.ALLOCATE, ce,
                    "participant " + p.id() + " of " + conference.roomJid());
        } else {
            log.warn("{} allocation on {} ({}) failed: {} ({})", conference.logPrefix(p), b.nick(), b.id(),
                    ce.label(), ce.getMessage());
        }
        String reason = "allocation " + ce.label() + " on " + b.nick();
        switch (d.feedback()) {
            case FAILED -> ctx.feedback().bridgeFailed(b.id(), ce.kind() == ColibriException.Kind.TIMEOUT
                    ? "colibri2 allocation timeout" : ce.kind() == ColibriException.Kind.BAD_RESPONSE
                    ? "bad colibri2 response" : "colibri2 error " + ce.label());
            case RESTARTED -> ctx.feedback().bridgeRestarted(b.id());
            case GRACEFUL -> ctx.feedback().gracefulShutdown(b.id());
            case NONE -> { }
        }
        AllocationErrorPolicy.Action action = d.action();
        boolean adapt = action == AllocationErrorPolicy.Action.RETRY_WITHOUT_SCTP
                || action == AllocationErrorPolicy.Action.RETRY_WITHOUT_CREATE
                || action == AllocationErrorPolicy.Action.EXPIRE_AND_RETRY;
        if (adapt) {
            if (p.adaptedIn != s) {
                p.adaptedIn = s;
                p.adaptations = 0;
            }
            if (++p.adaptations > MAX_ADAPTATIONS) {
                log.info("{} {} still refused on {} after {} adapted request(s): placing it elsewhere",
                        conference.logPrefix(), p.id(), b.nick(), MAX_ADAPTATIONS);
                action = AllocationErrorPolicy.Action.PARTICIPANT_ELSEWHERE;
                adapt = false;
            }
        }
        if (!adapt) {
            // An adapted request is not a failed placement: it neither spends the budget nor backs off.
            p.failures++;
        }
        switch (action) {
            case MOVE_EVERYONE -> {
                FailoverTrigger t = FailoverTrigger.forAllocationError(ce, d);
                conference.failover().bridgeLost(t, s, t == FailoverTrigger.BRIDGE_RESTARTED
                        ? "conference_not_found on " + b.nick() + " (bridge restarted)" : reason);
            }
            case PARTICIPANT_ELSEWHERE -> {
                placement.detachForRetry(p, s);
                p.exclusions.add(b.id());
                placement.retryLater(p);
            }
            case RETRY_LATER -> {
                placement.detachForRetry(p, s);
                placement.retryLater(p);
            }
            case RETRY_WITHOUT_SCTP -> {
                // The bridge created the conference all the same (real-call e-002/e-004), and the endpoint too
                // before it refused its transport: never send create again, and replace the endpoint.
                ctx.refusals().sctpRefused(b, AllocationErrorPolicy.Request.ALLOCATE, ce);
                s.created = true;
                reallocate(p, s, reason, true);
            }
            case RETRY_WITHOUT_CREATE -> {
                s.created = true;
                reallocate(p, s, reason, false);
            }
            case EXPIRE_AND_RETRY -> reallocate(p, s, reason, true);
            default -> throw new IllegalStateException("not an allocation action: " + d);
        }
    }

    /**
     * Allocates the participant again on the same session, never with create (the conference is there), after the
     * bridge refused the request as it was (at most {@link #MAX_ADAPTATIONS} times per session, then elsewhere).
     */
    private void reallocate(Participant p, BridgeSession s, String reason, boolean replace) {
        long gen = ++p.gen;
        EndpointSpec ep = replace ? placement.endpointSpec(p).replacing() : placement.endpointSpec(p);
        log.info("{} allocating again on {} (sctp={}, no create{}) after {}", conference.logPrefix(p),
                s.bridge.nick(), ep.sctp(), replace ? ", replacing the endpoint the refused request left" : "",
                reason);
        placement.allocate(p, s, gen, ep, false);
    }
}
