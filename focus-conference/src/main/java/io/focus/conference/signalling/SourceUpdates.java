package io.focus.conference.signalling;

import io.focus.core.jingle.ConferenceSources;
import java.time.Duration;

/**
 * Keeps every participant's view of the call: after each change, the difference between what a participant was told
 * ({@link ToldSources}) and what it should know (everyone else's accepted sources in the {@link SourceBook}) goes out
 * as {@code source-remove} then {@code source-add}, paced per participant by its acknowledgements.
 */
final class SourceUpdates {
    private final SignallingLink link;

    SourceUpdates(SignallingLink link) {
        this.link = link;
    }

    /**
     * Brings everyone up to date once the current control-thread task (and whatever is already queued) is done, so
     * that a burst of changes in one conference (accepts queued while the focus was busy) gives each receiver one
     * source-remove listing every source that went and one source-add listing every source that came, instead of
     * one per change. Beyond that, updates are paced per receiver, not per conference: one update in flight per
     * participant (see {@link ToldSources}), at least {@code focus.jingle.source-update-interval} apart (0 by
     * default). A participant without a live session gets nothing (its next offer carries the room as it is then;
     * an offered one is brought up to date right after it accepts).
     */
    void syncSoon(SignalledConference c) {
        if (c.syncQueued || c.ended) {
            return;
        }
        c.syncQueued = true;
        link.control().execute(() -> {
            c.syncQueued = false;
            syncAll(c);
        });
    }

    private void syncAll(SignalledConference c) {
        if (c.ended) {
            return;
        }
        for (SignalledPeer p : c.peers.values()) {
            sync(c, p);
        }
    }

    /** Sends the participant what changed since it was last told (source-remove, then source-add), if it may. */
    private void sync(SignalledConference c, SignalledPeer p) {
        ToldSources t = p.told;
        if (c.ended || !p.live() || t.busy() || t.waiting()) {
            return;
        }
        ConferenceSources now = c.book.viewFor(p.id);
        SourceDiff d = SourceDiff.between(t.told(), now);
        if (d.isEmpty()) {
            return;
        }
        Duration wait = t.waitBefore(link.clock.instant(), link.settings.sourceUpdateInterval());
        if (!wait.isZero()) {
            long epoch = t.epoch();
            t.delayed(link.control().schedule(() -> {
                if (t.epoch() == epoch) {
                    t.timerFired();
                    sync(c, p);
                }
            }, wait));
            return;
        }
        int stanzas = (d.removed().isEmpty() ? 0 : 1) + (d.added().isEmpty() ? 0 : 1);
        t.sent(now, stanzas, link.clock.instant());
        long epoch = t.epoch();
        if (!d.removed().isEmpty()) {
            link.send(c, p, link.offers.sourceRemove(p.jid, p.sid, d.removed(), p.json))
                    .whenComplete((r, e) -> link.control().execute(() -> answered(c, p, epoch)));
        }
        if (!d.added().isEmpty()) {
            link.send(c, p, link.offers.sourceAdd(p.jid, p.sid, d.added(), p.json))
                    .whenComplete((r, e) -> link.control().execute(() -> answered(c, p, epoch)));
        }
    }

    /** A source update was answered (or failed): the next one may go. */
    private void answered(SignalledConference c, SignalledPeer p, long epoch) {
        if (!c.ended && c.peers.get(p.id) == p && p.told.answered(epoch)) {
            sync(c, p);
        }
    }

    /** @return true when the participant had sources */
    static boolean dropSources(SignalledConference c, SignalledPeer p) {
        return c.book.drop(p.id);
    }
}
