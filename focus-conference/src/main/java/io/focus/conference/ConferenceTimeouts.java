package io.focus.conference;

import java.time.Duration;
import io.focus.core.loop.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conference's two timeouts: a requested conference nobody joins ends after {@code initial-timeout}; a participant
 * alone in the room for {@code single-participant-timeout} loses its bridge allocation (it stays in the room, and is
 * placed again when somebody joins). Runs on the conference's loop.
 */
final class ConferenceTimeouts {
    private static final Logger log = LoggerFactory.getLogger(ConferenceTimeouts.class);

    private final Conference conference;
    private final ConferenceContext ctx;
    private EventLoop.Cancellable initial;
    private EventLoop.Cancellable single;

    ConferenceTimeouts(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
    }

    /** Starts (or restarts) the initial timeout. */
    void startInitial() {
        startInitial(ctx.settings().initialTimeout());
    }

    /** Starts (or restarts) the initial timeout with another duration (a conference a restarted focus took back). */
    void startInitial(Duration wait) {
        cancel(initial);
        initial = ctx.loop().schedule(() -> {
            if (!conference.ended() && conference.participantCount() == 0) {
                log.info("{} nobody joined within {}, ending", conference.logPrefix(), wait);
                conference.end("initial timeout");
            }
        }, wait);
    }

    void cancelInitial() {
        cancel(initial);
    }

    /** One participant is left (or the first joined): starts the single-participant timeout. */
    void startSingleParticipant() {
        cancel(single);
        single = ctx.loop().schedule(() -> {
            single = null;
            aloneTooLong();
        }, ctx.settings().singleParticipantTimeout());
    }

    void cancelSingleParticipant() {
        cancel(single);
        single = null;
    }

    void cancelAll() {
        cancel(initial);
        cancel(single);
    }

    private void aloneTooLong() {
        if (conference.ended() || conference.participantCount() != 1) {
            return;
        }
        Participant p = conference.participants().get(0);
        if (p.session == null && !p.is(ParticipantView.State.NO_BRIDGE)) {
            return;
        }
        log.info("{} participant {} alone for {}, releasing its bridge allocation", conference.logPrefix(), p.id(),
                ctx.settings().singleParticipantTimeout());
        conference.unplace(p);
        conference.signalling().removed(p, false);
        conference.bridges().syncRelays();
    }

    private static void cancel(EventLoop.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
