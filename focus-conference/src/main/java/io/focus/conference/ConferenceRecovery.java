package io.focus.conference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference's part in coming back from XMPP trouble (the policy is {@link RoomRecovery}'s): a participant whose
 * client session is gone, and one back in the room from a new session. Runs on the conference's loop, inside its
 * messages ({@link Conference#sessionLost}, {@link Conference#occupantReturned}).
 */
final class ConferenceRecovery {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRecovery.class);

    private final Conference conference;
    private final ConferenceContext ctx;

    ConferenceRecovery(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
    }

    /** Its signalling session is forgotten (nothing sent); its endpoint stays until it is back or removed. */
    void sessionLost(String nick) {
        Participant p = conference.participant(nick);
        if (p == null || conference.ended()) {
            return;
        }
        ParticipantView lost = p.view();
        try {
            ctx.signaller().onSessionLost(conference.view(), lost);
        } catch (RuntimeException e) {
            log.error("{} signaller onSessionLost failed", conference.logPrefix(), e);
        }
    }

    /**
     * The participant is back in the room from a new client session (its old one is gone: the server restarted, or it
     * reconnected while the focus was out of the room). A placed one gets a fresh endpoint in the same bridge
     * conference, replacing the old one in one request (expire and create), and a fresh offer; one being placed keeps
     * its allocation in flight (its offer goes to the new session); one without a place is placed. Nobody else is
     * re-signalled.
     */
    void returned(Occupant o) {
        if (conference.ended()) {
            return;
        }
        Participant p = conference.participant(o.nick());
        if (p == null) {
            conference.onOccupantJoined(o);
            return;
        }
        p.occupant = o;
        log.info("{} participant {} is back in the room from a new session", conference.logPrefix(), p.id());
        sessionLost(p.id());
        conference.ownerBack(p);
        BridgeSession s = p.session;
        if (p.is(ParticipantView.State.PLACED) && s != null && conference.bridges().current(s)) {
            p.allocation = null;
            p.clearMedia();
            p.clearMove();
            p.toState(ParticipantView.State.PLACING, conference.now());
            long gen = ++p.gen;
            EndpointSpec ep = conference.placement().endpointSpec(p).replacing();
            log.info("{} allocating again on {} (sctp={}, no create), replacing its endpoint there in the same request "
                    + "for its new session", conference.logPrefix(p), s.bridge.nick(), ep.sctp());
            conference.placement().allocate(p, s, gen, ep, false);
        } else if (p.session == null && p.retryTimer == null) {
            p.released = false;
            p.toState(ParticipantView.State.WAITING, conference.now());
            conference.placement().placeWaiting();
        }
    }
}
