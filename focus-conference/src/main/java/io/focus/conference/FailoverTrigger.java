package io.focus.conference;

import static io.focus.conference.FailoverAction.everyone;
import static io.focus.conference.FailoverAction.nobody;

import io.focus.conference.FailoverAction.Exclude;
import io.focus.conference.FailoverAction.Expire;
import io.focus.conference.FailoverAction.Tell;
import io.focus.conference.FailoverAction.Unsplittable;
import io.focus.conference.FailoverAction.Who;
import io.focus.core.bridge.BridgeEvent;

/**
 * The failover policy, as one table: for every reason a participant may lose its bridge, what the conference does
 * ({@link FailoverAction}). {@link Failover} runs it; docs/design.md ("Failures and moves") shows it; the
 * FailoverTableTest walks it row by row. What a Colibri2 error <em>means</em> (whose fault, what the registry is
 * told) is {@link AllocationErrorPolicy}'s table; its "move everyone" rows land here ({@link #forAllocationError}).
 *
 * <p>A crashed bridge has no row of its own: a crash reaches the focus as a brewery leave ({@link #BRIDGE_LEFT}:
 * connection reset, or the hibernated session Prosody drops) or, while stream management keeps it in the brewery,
 * as a failed bridge ({@link #BRIDGE_FAILED}: suspect, then the health doctor's probe goes unanswered).
 */
enum FailoverTrigger {
    // The registry's bridge events: every conference on the bridge acts on its own.
    BRIDGE_LEFT(BridgeEvent.Type.REMOVED, "left the brewery (a leave, a crash, its pubsub stats expired)",
            everyone(Expire.NOTHING)),
    BRIDGE_FAILED(BridgeEvent.Type.FAILED, "failed its health checks, or was suspect and did not answer the probe",
            everyone(Expire.ON_THE_BRIDGE)),
    BRIDGE_SHUTTING_DOWN(BridgeEvent.Type.SHUTTING_DOWN, "announced shutting_down",
            everyone(Expire.ON_THE_BRIDGE)),
    BRIDGE_RESTARTED(BridgeEvent.Type.RESTARTED, "restarted: its uptime went back, or a Colibri2 reply (allocation, "
            + "endpoint update, relay) said conference_not_found", everyone(Expire.NOTHING)),
    BRIDGE_GRACEFUL_SHUTDOWN(BridgeEvent.Type.GRACEFUL_SHUTDOWN_CHANGED, "announced a graceful shutdown: its "
            + "conferences end there, the selection gives it no new one", nobody()),
    BRIDGE_DRAINING(BridgeEvent.Type.DRAINING_CHANGED, "drained (by itself or by the focus): no new participants; "
            + "a focus drain with a rate moves them (FOCUS_DRAIN)", nobody()),
    BRIDGE_SUSPECTED(BridgeEvent.Type.SUSPECTED, "suspect: no new participants while others can take them, the "
            + "health doctor probes it at once (BRIDGE_FAILED when unanswered)", nobody()),

    // Colibri2 replies to an allocation (AllocationErrorPolicy's "move everyone" rows): this conference only.
    GRACEFUL_SHUTDOWN_REFUSAL(null, "an allocation was refused with graceful_shutdown",
            everyone(Expire.IF_CREATED)),
    COLIBRI_TIMEOUT(null, "an allocation went unanswered (relays retry instead, endpoint updates only log)",
            everyone(Expire.ON_THE_BRIDGE)),
    BRIDGE_UNREACHABLE(null, "an allocation got item-not-found without a reason: the MUC no longer reaches the bridge",
            everyone(Expire.NOTHING)),
    BRIDGE_ERROR(null, "an allocation got an error of a broken bridge (internal-server-error, service-unavailable, "
            + "...)", everyone(Expire.ON_THE_BRIDGE)),

    // One participant.
    CLIENT_RESTART(null, "the participant reported ICE failure or asked for a restart (Jingle)",
            new FailoverAction(Who.THE_PARTICIPANT, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE_UNLESS_NOWHERE_ELSE,
                    Unsplittable.SAME_BRIDGE, Tell.PARTICIPANT_TROUBLE)),
    ENDPOINT_UPDATE_REFUSED(null, "the bridge refused the participant's transport or sources (unknown_endpoint, ...)",
            new FailoverAction(Who.THE_PARTICIPANT, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE_UNLESS_NOWHERE_ELSE,
                    Unsplittable.SAME_BRIDGE, Tell.NOTHING)),

    // Moves asked for.
    ADMIN_MOVE_ENDPOINT(null, "move-endpoint (REST); a participant alone on its bridge takes the bridge with it",
            new FailoverAction(Who.THE_PARTICIPANT, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE,
                    Unsplittable.NOTHING_MOVES, Tell.NOTHING)),
    ADMIN_MOVE(null, "move-endpoints, move-fraction (REST)",
            new FailoverAction(Who.CHOSEN, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE, Unsplittable.EVERYONE_MOVES,
                    Tell.NOTHING)),
    LOAD_REDISTRIBUTION(null, "the automatic load redistribution (LoadRedistributor) sheds endpoints off an "
            + "overloaded bridge", new FailoverAction(Who.CHOSEN, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE,
                    Unsplittable.EVERYONE_MOVES, Tell.NOTHING)),
    FOCUS_DRAIN(null, "a step of a focus-side drain with a rate (REST)",
            new FailoverAction(Who.CHOSEN, Expire.ON_THE_BRIDGE, Exclude.THE_BRIDGE, Unsplittable.EVERYONE_MOVES,
                    Tell.NOTHING));

    private final BridgeEvent.Type event;
    private final String cause;
    private final FailoverAction action;

    FailoverTrigger(BridgeEvent.Type event, String cause, FailoverAction action) {
        this.event = event;
        this.cause = cause;
        this.action = action;
    }

    /** The registry's event this row answers, or null (the row is triggered by a reply, a client or a request). */
    BridgeEvent.Type event() { return event; }

    String cause() { return cause; }

    FailoverAction action() { return action; }

    /** The row for a bridge event; null for the events that are no failure (added, recovered, suspicion cleared). */
    static FailoverTrigger forEvent(BridgeEvent.Type type) {
        for (FailoverTrigger t : values()) {
            if (t.event == type) {
                return t;
            }
        }
        return null;
    }

    /**
     * The row for an allocation error that {@link AllocationErrorPolicy} answers with
     * {@link AllocationErrorPolicy.Action#MOVE_EVERYONE}.
     */
    static FailoverTrigger forAllocationError(ColibriException ce, AllocationErrorPolicy.Decision d) {
        if (d.action() != AllocationErrorPolicy.Action.MOVE_EVERYONE) {
            throw new IllegalArgumentException("not a failover: " + d);
        }
        return switch (d.feedback()) {
            case RESTARTED -> BRIDGE_RESTARTED;
            case GRACEFUL -> GRACEFUL_SHUTDOWN_REFUSAL;
            default -> ce.kind() == ColibriException.Kind.TIMEOUT ? COLIBRI_TIMEOUT
                    : "item-not-found".equals(ce.condition()) ? BRIDGE_UNREACHABLE : BRIDGE_ERROR;
        };
    }
}
