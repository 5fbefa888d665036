package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The glue between one conference and the signalling layer: tells the {@link ParticipantSignaller} about places,
 * moves, removals and the end (its failures are logged, never thrown into the conference), and does what the
 * signalling layer asks through {@link ConferenceControl} (a participant's media to its bridge, releasing a
 * participant). The signaller gets the conference's view as last published, with the participant's current view.
 * Runs on the conference's loop.
 */
final class ConferenceSignalling {
    private static final Logger log = LoggerFactory.getLogger(ConferenceSignalling.class);

    private final Conference conference;
    private final ConferenceContext ctx;

    ConferenceSignalling(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
    }

    /** The participant got its place: the signaller offers it; only an accepted offer completes a move. */
    void placed(Participant p) {
        long gen = p.gen;
        CompletionStage<Void> signalled;
        try {
            signalled = ctx.signaller().onPlaced(conference.view(), p.view(), p.allocation);
        } catch (RuntimeException ex) {
            log.error("{} signaller failed for {}", conference.logPrefix(), p.id(), ex);
            signalled = CompletableFuture.completedFuture(null);
        }
        signalled.whenComplete((v, ex) -> ctx.loop().execute(() -> {
            // a failed or superseded signalling leaves it moving
            if (ex == null && p.gen == gen && p.is(ParticipantView.State.PLACED) && p.moving) {
                p.clearMove();
            }
        }));
    }

    void moving(Participant p, BridgeState from, String reason) {
        ParticipantView moving = p.view();
        signal("onMoving", () -> ctx.signaller().onMoving(conference.view(), moving, from.id(), reason));
    }

    /** @param left it left the room (else it stays without a place) */
    void removed(Participant p, boolean left) {
        ParticipantView removed = p.view();
        signal("onRemoved", () -> ctx.signaller().onRemoved(conference.view(), removed, left));
    }

    void ended() {
        signal("onEnded", () -> ctx.signaller().onEnded(conference.view()));
    }

    private void signal(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("{} signaller {} failed", conference.logPrefix(), what, e);
        }
    }

    /** See {@link ConferenceControl#participantMedia}. */
    boolean participantMedia(String endpointId, IceUdpTransport transport, Sources sources) {
        Participant p = conference.participant(endpointId);
        if (conference.ended() || p == null || p.session == null || !p.is(ParticipantView.State.PLACED)) {
            return false;
        }
        BridgeSession s = p.session;
        if (transport != null) {
            p.transport = transport;
        }
        p.sources = sources == null ? Sources.EMPTY : sources;
        long gen = p.gen;
        log.debug("{} {} signalled {} ssrc(s){}; updating {}", conference.logPrefix(), endpointId,
                p.sources.ssrcs().size(), transport != null ? " and its transport" : "", s.bridge.nick());
        CompletableFuture<Void> f;
        try {
            f = ctx.backend().updateEndpoint(s.bridge, conference.spec(), endpointId, p.occupant.statsId(), transport,
                    p.sources);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e != null) {
                ctx.loop().execute(() -> onEndpointUpdateFailed(p, s, gen, ColibriException.of(e)));
            }
        });
        conference.bridges().endpointSources(s, endpointId, p.sources);
        return true;
    }

    /**
     * The bridge refused a participant's transport/sources ({@link AllocationErrorPolicy}, rows for
     * {@link AllocationErrorPolicy.Request#UPDATE}): a timeout is only logged (as Jicofo); the conference gone from
     * the bridge is {@link FailoverTrigger#BRIDGE_RESTARTED}; any other error (a refused request such as
     * {@code unknown_endpoint} is logged once per bridge) is {@link FailoverTrigger#ENDPOINT_UPDATE_REFUSED}. The
     * bridge is never reported failed for an update.
     */
    private void onEndpointUpdateFailed(Participant p, BridgeSession s, long gen, ColibriException ce) {
        AllocationErrorPolicy.Decision d = AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.UPDATE, ce,
                false);
        if (d.refused()) {
            ctx.refusals().refused(s.bridge, AllocationErrorPolicy.Request.UPDATE, ce,
                    "participant " + p.id() + " of " + conference.roomJid());
        } else {
            log.warn("{} endpoint update on {} ({}) failed: {}", conference.logPrefix(p), s.bridge.nick(),
                    s.bridge.id(), ce.label());
        }
        if (conference.ended() || p.gen != gen || p.session != s || !conference.bridges().current(s)) {
            return;
        }
        switch (d.action()) {
            case LOG_ONLY -> { }
            case MOVE_EVERYONE -> {
                ctx.feedback().bridgeRestarted(s.bridge.id());
                conference.failover().bridgeLost(FailoverTrigger.BRIDGE_RESTARTED, s,
                        "conference_not_found on " + s.bridge.nick() + " (bridge restarted)");
            }
            case RESTART_PARTICIPANT -> conference.failover().restart(FailoverTrigger.ENDPOINT_UPDATE_REFUSED, p.id(),
                    "endpoint update failed on " + s.bridge.nick() + ": " + ce.label());
            default -> throw new IllegalStateException("not an update action: " + d);
        }
    }

    /** See {@link ConferenceControl#releaseParticipant}. */
    boolean releaseParticipant(String endpointId, String reason) {
        Participant p = conference.participant(endpointId);
        if (conference.ended() || p == null) {
            return false;
        }
        conference.unplace(p);
        p.released = true;
        p.clearMedia();
        log.warn("{} released from its bridge and not placed again: {}", conference.logPrefix(p), reason);
        removed(p, false);
        conference.bridges().syncRelays();
        return true;
    }
}
