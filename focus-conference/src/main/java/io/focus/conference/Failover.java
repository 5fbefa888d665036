package io.focus.conference;

import io.focus.conference.FailoverAction.Exclude;
import io.focus.conference.FailoverAction.Unsplittable;
import io.focus.conference.FailoverAction.Who;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the failover table ({@link FailoverTrigger}) for one conference: who leaves a bridge, what is expired there,
 * and what the movers are kept off ({@link FailoverAction}). A mover that had a place is counted and signalled
 * ({@link ParticipantSignaller#onMoving}), then placed again ({@link Placement}). Runs on the conference's loop.
 */
final class Failover {
    private static final Logger log = LoggerFactory.getLogger(Failover.class);

    private final Conference conference;
    private final ConferenceContext ctx;

    Failover(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
    }

    /** A bridge event: its row when it is a failure; a bridge that was added or recovered is tried again. */
    void onBridgeEvent(BridgeEvent event) {
        if (conference.ended()) {
            return;
        }
        BridgeState b = event.bridge();
        BridgeSession s = conference.bridges().get(b.id());
        if (s != null) {
            s.bridge = b;
        }
        FailoverTrigger t = FailoverTrigger.forEvent(event.type());
        if (t != null && t.action().moves()) {
            if (s != null) {
                bridgeLost(t, s, event.type().name().toLowerCase().replace('_', '-') + ": " + event.reason());
            }
            return;
        }
        if (event.type() == BridgeEvent.Type.ADDED || event.type() == BridgeEvent.Type.RECOVERED) {
            // the end of an exclusion (FailoverAction.Exclude): who waits for a bridge may use this one again
            conference.placement().retryWaiting(b.id());
        } else if (event.type() == BridgeEvent.Type.SUSPICION_CLEARED) {
            // who was kept off it (moved off it, and it was suspect) may be placed there now; exclusions stand
            conference.placement().retryWaiting(null);
        }
    }

    /** A row that moves everyone on the bridge: the conference loses the session's bridge. */
    void bridgeLost(FailoverTrigger t, BridgeSession s, String reason) {
        require(t, Who.EVERYONE_ON_THE_BRIDGE);
        moveOff(s, t.action(), reason);
    }

    /**
     * A row that gives one participant a fresh endpoint ({@link FailoverTrigger#CLIENT_RESTART},
     * {@link FailoverTrigger#ENDPOINT_UPDATE_REFUSED}): it leaves its bridge, which is excluded when the conference
     * may use another one (or the participant is alone on it); with no other bridge for it, it restarts there.
     *
     * @return false when the participant is not placed
     */
    boolean restart(FailoverTrigger t, String endpointId, String reason) {
        require(t, Who.THE_PARTICIPANT);
        FailoverAction a = t.action();
        Participant p = conference.participant(endpointId);
        if (conference.ended() || p == null || p.session == null || !p.is(ParticipantView.State.PLACED)) {
            return false;
        }
        BridgeSession s = p.session;
        BridgeState from = s.bridge;
        if (a.tell() == FailoverAction.Tell.PARTICIPANT_TROUBLE) {
            // the client's word against its bridge: counted per distinct participant by the registry
            ctx.feedback().participantTrouble(from.id(), conference.roomJid() + "/" + endpointId);
            ctx.metrics().bridgeRestartRequests.labels(from.nick()).inc();
        }
        boolean others = s.members.size() > 1;
        boolean exclude = a.exclude() != Exclude.NOTHING
                && (!others || conference.bridges().canSpread() || a.unsplittable() != Unsplittable.SAME_BRIDGE);
        boolean newlyExcluded = exclude && p.exclusions.add(from.id());
        conference.bridges().release(p, s);
        startMove(p, from, reason);
        conference.placement().place(p);
        if (p.is(ParticipantView.State.NO_BRIDGE) && newlyExcluded
                && a.exclude() == Exclude.THE_BRIDGE_UNLESS_NOWHERE_ELSE) {
            // No other bridge: a fresh endpoint on the same bridge is still a restart (ICE restarts there).
            log.info("{} no other bridge for {}; restarting it on {}", conference.logPrefix(), endpointId,
                    from.nick());
            p.exclusions.remove(from.id());
            p.toState(ParticipantView.State.WAITING, conference.now());
            conference.placement().place(p);
        }
        conference.bridges().syncRelays();
        return true;
    }

    /**
     * A row that moves up to {@code n} placed participants off a bridge ({@link FailoverTrigger#ADMIN_MOVE},
     * {@link FailoverTrigger#FOCUS_DRAIN}).
     *
     * @return the number of participants moved
     */
    int moveFrom(FailoverTrigger t, String bridgeId, int n, String reason) {
        require(t, Who.CHOSEN);
        BridgeSession s = conference.bridges().get(bridgeId);
        if (s == null || n <= 0 || conference.ended()) {
            return 0;
        }
        List<Participant> placed = conference.bridges().placed(s);
        if (placed.isEmpty()) {
            return 0;
        }
        return move(s, t.action(), placed.subList(0, Math.min(n, placed.size())), n >= s.members.size(), reason);
    }

    /**
     * {@link FailoverTrigger#ADMIN_MOVE_ENDPOINT}: moves one placed participant; false when it is not placed (on that
     * bridge, when given) or cannot be moved.
     */
    boolean moveEndpoint(String endpointId, String bridgeId, String reason) {
        FailoverTrigger t = FailoverTrigger.ADMIN_MOVE_ENDPOINT;
        Participant p = conference.participant(endpointId);
        if (p == null || p.session == null || !p.is(ParticipantView.State.PLACED)) {
            return false;
        }
        if (bridgeId != null && !bridgeId.equals(p.session.bridge.id())) {
            return false;
        }
        BridgeSession s = p.session;
        return move(s, t.action(), List.of(p), s.members.size() == 1, reason) == 1;
    }

    /**
     * Moves the chosen participants off the session's bridge; the whole session when they are all of it, or when
     * the conference cannot spread and the row says everyone then moves.
     */
    private int move(BridgeSession s, FailoverAction a, List<Participant> chosen, boolean whole, String reason) {
        if (!whole && !conference.bridges().canSpread()) {
            if (a.unsplittable() != Unsplittable.EVERYONE_MOVES) {
                log.info("{} not moving {} off {}: the conference cannot spread (octo off or no relay id) and {} "
                                + "would stay", conference.logPrefix(), chosen.stream().map(Participant::id).toList(),
                        s.bridge.nick(), s.members.size() - chosen.size());
                return 0;
            }
            whole = true;
        }
        if (whole) {
            int count = conference.bridges().placed(s).size();
            moveOff(s, a, reason);
            return count;
        }
        chosen = List.copyOf(chosen);
        for (Participant p : chosen) {
            conference.bridges().release(p, s);
            exclude(p, s.bridge, a);
            startMove(p, s.bridge, reason);
        }
        for (Participant p : chosen) {
            conference.placement().place(p);
        }
        conference.bridges().syncRelays();
        return chosen.size();
    }

    /** Takes every participant off the session's bridge and places them elsewhere. */
    private void moveOff(BridgeSession s, FailoverAction a, String reason) {
        ConferenceBridges bridges = conference.bridges();
        if (!bridges.current(s)) {
            return;
        }
        List<Participant> members = new ArrayList<>(s.members);
        log.warn("{} removing bridge {} ({}) from the conference: {}; re-placing {} participant(s)",
                conference.logPrefix(), s.bridge.nick(), s.bridge.id(), reason, members.size());
        ctx.metrics().bridgesRemoved.inc();
        bridges.remove(s, switch (a.expire()) {
            case NOTHING -> false;
            case ON_THE_BRIDGE -> true;
            case IF_CREATED -> s.created;
        });
        for (Participant p : members) {
            exclude(p, s.bridge, a);
            startMove(p, s.bridge, reason);
        }
        for (Participant p : members) {
            if (conference.participant(p.id()) == p && p.is(ParticipantView.State.WAITING)) {
                if (p.failures > 0) {
                    conference.placement().retryLater(p);
                } else {
                    conference.placement().place(p);
                }
            }
        }
        bridges.syncRelays();
    }

    private static void exclude(Participant p, BridgeState bridge, FailoverAction a) {
        if (a.exclude() != Exclude.NOTHING) {
            p.exclusions.add(bridge.id());
        }
    }

    /** The participant lost its place on {@code from}; counts and signals the move when it had one. */
    private void startMove(Participant p, BridgeState from, String reason) {
        boolean hadPlace = p.is(ParticipantView.State.PLACED);
        p.movedOff(from.id());
        p.detach();
        p.gen++;
        p.toState(ParticipantView.State.WAITING, conference.now());
        if (hadPlace || p.moving) {
            if (!p.moving || p.movedFrom == null) {
                p.movedFrom = from.nick();
            }
            p.moving = true;
            p.moveReason = reason;
            if (hadPlace) {
                ctx.metrics().participantsMoved.inc();
                ctx.metrics().participantsMovedFrom.labels(from.nick()).inc();
                log.info("{} moving off {} ({})", conference.logPrefix(p), from.nick(), reason);
                conference.signalling().moving(p, from, reason);
            }
        }
    }

    private static void require(FailoverTrigger t, Who who) {
        if (t.action().who() != who) {
            throw new IllegalArgumentException(t + " moves " + t.action().who() + ", not " + who);
        }
    }
}
