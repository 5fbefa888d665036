package io.focus.conference.signalling;

import io.focus.conference.ConferenceControl;
import io.focus.core.jingle.ConferenceSources;
import io.focus.core.jingle.EndpointSources;
import io.focus.core.jingle.JingleAction;
import io.focus.core.jingle.JingleIQ;
import io.focus.core.jingle.JingleRequestException;
import io.focus.core.jingle.JingleRequests;
import io.focus.core.jingle.SourceValidator;
import io.focus.core.xmpp.IqErrors;
import java.util.Map;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What participants ask of the focus over Jingle, answered on the conference control thread: {@code session-accept}
 * and {@code transport-accept} (the participant's transport and sources go to its bridge, its sources to everyone
 * else), {@code source-add} / {@code source-remove}, {@code session-info} ICE failures and {@code session-terminate}
 * (with or without a restart request, both rate-limited), and {@code transport-reject}. Every request gets exactly one
 * answer: a result, or an error that says why.
 */
final class ParticipantRequests {
    private static final Logger log = LoggerFactory.getLogger(JingleSignaller.class);

    private final SignallingLink link;
    private final SourceValidator validator;
    private final SourceUpdates updates;
    private final Map<String, SignalledConference> conferences;
    private final JingleSignaller signaller;

    ParticipantRequests(SignallingLink link, SourceValidator validator, SourceUpdates updates,
                        Map<String, SignalledConference> conferences, JingleSignaller signaller) {
        this.link = link;
        this.validator = validator;
        this.updates = updates;
        this.conferences = conferences;
        this.signaller = signaller;
    }

    /** Any thread (the IQ handler's): posts the request to the control thread, which answers it. */
    void handle(JingleIQ iq) {
        link.metrics.received(iq.action());
        ConferenceControl c = link.control();
        if (c == null) {
            link.sender.reply(IqErrors.reply(iq, StanzaError.Condition.service_unavailable, "signalling not started"));
            return;
        }
        c.execute(() -> {
            try {
                dispatch(iq);
            } catch (JingleRequestException e) {
                link.refuse(iq, e);
            } catch (RuntimeException e) {
                log.error("Jingle {} from {} failed", iq.actionName(), iq.getFrom(), e);
                link.refuse(iq, new JingleRequestException(StanzaError.Condition.internal_server_error, "internal error"));
            }
        });
    }

    private void dispatch(JingleIQ iq) throws JingleRequestException {
        Jid from = iq.getFrom();
        if (from == null || from.getResourceOrNull() == null) {
            throw JingleRequestException.badRequest("a Jingle request must come from a room occupant");
        }
        SignalledConference c = conferences.get(from.asBareJid().toString().toLowerCase());
        SignalledPeer p = c == null ? null : c.peers.get(from.getResourceOrNull().toString());
        if (p == null) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "no Jingle session with " + from);
        }
        switch (iq.action()) {
            case SESSION_ACCEPT, TRANSPORT_ACCEPT -> onAccept(c, p, iq);
            case SOURCE_ADD, SOURCE_REMOVE -> onSourceChange(c, p, iq);
            case SESSION_INFO -> onSessionInfo(c, p, iq);
            case SESSION_TERMINATE -> onSessionTerminate(c, p, iq);
            case TRANSPORT_REJECT -> onTransportReject(c, p, iq);
            default -> throw new JingleRequestException(StanzaError.Condition.feature_not_implemented,
                    "unsupported Jingle action " + iq.actionName());
        }
    }

    private void onAccept(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        boolean session = iq.action() == JingleAction.SESSION_ACCEPT;
        if (!iq.sid().equals(p.sid) || !p.hasSession()) {
            if (iq.sid().equals(p.sid) || p.oldSids.contains(iq.sid())) {
                throw new JingleRequestException(StanzaError.Condition.gone,
                        "session " + iq.sid() + " has been replaced");
            }
            throw new JingleRequestException(StanzaError.Condition.item_not_found, "no Jingle session " + iq.sid());
        }
        if (session && p.state != SessionState.OFFERED) {
            throw JingleRequestException.badRequest("session " + p.sid + " is already accepted");
        }
        if (!session && p.state != SessionState.REPLACING) {
            throw JingleRequestException.badRequest("no transport-replace pending on session " + p.sid);
        }
        JingleRequests.Accept a = JingleRequests.accept(iq);
        ConferenceSources after = c.book.all();
        if (session || !a.sources().isEmpty()) {
            after = validator.add(after.without(p.id), p.id, a.sources());
        }
        link.ok(iq);
        c.book.set(after);
        p.state = SessionState.ACTIVE;
        p.cancelOfferTimer();
        EndpointSources mine = after.get(p.id);
        log.info("{} {} on {}: {} ssrc(s), {} group(s)", SignallingLink.tag(c, p), iq.actionName(),
                p.allocation == null ? null : p.allocation.bridgeNick(), mine.ssrcCount(), mine.groupCount());
        if (!link.control().participantMedia(c.room, p.id, a.transport(), mine.toColibri())) {
            log.warn("{} accepted, but it is not placed: its media was not sent to a bridge", SignallingLink.tag(c, p));
        }
        if (p.placed != null) {
            p.placed.complete(null);
        }
        updates.syncSoon(c);
    }

    private void onSourceChange(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        boolean add = iq.action() == JingleAction.SOURCE_ADD;
        EndpointSources change = JingleRequests.sourceChange(iq);
        if (change.isEmpty()) {
            log.info("{} {} without sources: ignored", SignallingLink.tag(c, p), iq.actionName());
            link.ok(iq);
            return;
        }
        ConferenceSources after = add ? validator.add(c.book.all(), p.id, change)
                : validator.remove(c.book.all(), p.id, change);
        link.ok(iq);
        c.book.set(after);
        EndpointSources mine = after.get(p.id);
        log.info("{} {}: {} ssrc(s) now", SignallingLink.tag(c, p), iq.actionName(), mine.ssrcCount());
        link.control().participantMedia(c.room, p.id, null, mine.toColibri());
        updates.syncSoon(c);
    }

    private void onSessionInfo(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        JingleRequests.SessionInfo info = JingleRequests.sessionInfo(iq);
        if (info.iceRestart()) {
            // Jicofo's answer when its in-place ICE restart is disabled; lib-jitsi-meet takes the error as the signal
            // to fall back to a full session restart (session-terminate with restart)
            link.metrics.iceRestartsRequested.inc();
            link.metrics.iceRestartsFailed.inc();
            throw new JingleRequestException(StanzaError.Condition.feature_not_implemented,
                    "in-place ICE restart is not supported: ask for a restart with session-terminate");
        }
        if (!info.iceFailed()) {
            link.ok(iq);
            return;
        }
        link.metrics.iceFailed.inc();
        requireCurrentBridgeSession(c, p, info.bridgeSessionId());
        if (!p.limiter.tryAcquire(link.clock.instant())) {
            log.warn("{} ICE failed on bridge-session {}: restart rate-limited", SignallingLink.tag(c, p), info.bridgeSessionId());
            throw new JingleRequestException(StanzaError.Condition.resource_constraint, "rate-limited");
        }
        link.ok(iq);
        restart(c, p, "ICE failed on " + p.allocation.bridgeNick());
    }

    private void onSessionTerminate(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        if (!p.hasSession() || !iq.sid().equals(p.sid)) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "jingle session " + iq.sid() + " is no longer active");
        }
        JingleRequests.Terminate t = JingleRequests.terminate(iq);
        boolean restartAllowed = false;
        if (t.restartRequested()) {
            link.metrics.restartRequested.inc();
            requireCurrentBridgeSession(c, p, t.bridgeSessionId());
            restartAllowed = p.limiter.tryAcquire(link.clock.instant());
        }
        // The session is over either way.
        String bridge = p.allocation == null ? null : p.allocation.bridgeNick();
        p.state = SessionState.NONE;
        p.told.forget();
        p.cancelOfferTimer();
        if (t.restartRequested() && !restartAllowed) {
            log.warn("{} session-terminate with restart on {}: rate-limited, not re-invited", SignallingLink.tag(c, p), bridge);
            link.refuse(iq, new JingleRequestException(StanzaError.Condition.resource_constraint, "rate-limited"));
        } else {
            link.ok(iq);
        }
        if (restartAllowed) {
            // A move on the participant's request: its sources stay in the others' views (see onMoving).
            restart(c, p, "restart requested on " + bridge);
            if (!p.hasSession() && p.offerTimer == null) {
                signaller.awaitNewPlace(c, p);
            }
        } else {
            if (SourceUpdates.dropSources(c, p)) {
                updates.syncSoon(c);
            }
            link.control().releaseParticipant(c.room, p.id, "session-terminate from the participant"
                    + (t.reason() != null ? " (" + t.reason().condition() + ")" : ""));
        }
    }

    private void onTransportReject(SignalledConference c, SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        requireLiveSession(p, iq);
        link.ok(iq);
        log.warn("{} transport-reject: offering a fresh session instead", SignallingLink.tag(c, p));
        if (p.state == SessionState.REPLACING) {
            // A fresh session instead; its sources stay in the others' views (see onMoving).
            signaller.offerAgain(c, p);
        }
    }

    private void restart(SignalledConference c, SignalledPeer p, String reason) {
        log.info("{} re-placing it: {}", SignallingLink.tag(c, p), reason);
        if (!link.control().restartParticipant(c.room, p.id, reason)) {
            log.info("{} not placed right now; nothing to restart", SignallingLink.tag(c, p));
        }
    }

    private static void requireLiveSession(SignalledPeer p, JingleIQ iq) throws JingleRequestException {
        if (!p.live() || !iq.sid().equals(p.sid)) {
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "jingle session " + iq.sid() + " is no longer active");
        }
    }

    private void requireCurrentBridgeSession(SignalledConference c, SignalledPeer p, String id) throws JingleRequestException {
        String current = p.allocation == null ? null : p.allocation.bridgeSessionId();
        if (current == null || !current.equals(id)) {
            log.info("{} refers to bridge-session {} but its current one is {}", SignallingLink.tag(c, p), id, current);
            throw new JingleRequestException(StanzaError.Condition.item_not_found,
                    "bridge-session " + id + " is not the current one");
        }
    }
}
