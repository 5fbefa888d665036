package io.focus.conference;

import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus's side of a conference's room (on the conference's loop): who the room's owner is, and the focus's
 * presence, which tells the room how many bridges the conference uses and whether someone waits for one.
 */
final class RoomPresence {
    private static final Logger log = LoggerFactory.getLogger(RoomPresence.class);

    private final Conference conference;
    private Participant owner;
    private int bridgeCount = -1;
    private boolean noBridge;

    RoomPresence(Conference conference) { this.conference = conference; }

    /** A participant joined: the first one (or the first after the owner left) is made owner. */
    void joined(Participant p) {
        if (owner == null) {
            grant(p);
        }
    }

    /** A participant left: when it was the owner, the longest-present of the others is made owner. */
    void left(Participant p, Collection<Participant> remaining) {
        if (p == owner) {
            owner = null;
            remaining.stream().findFirst().ifPresent(this::grant);
        }
    }

    /** A room created anew forgot who its owner was: the owner, back, is made owner again. */
    void ownerBack(Participant p) {
        if (owner == p) {
            grant(p);
        }
    }

    private void grant(Participant p) {
        owner = p;
        ConferenceRoom room = conference.room();
        if (room != null) {
            try {
                room.grantOwnership(p.occupant);
            } catch (RuntimeException e) {
                log.warn("{} granting ownership to {} failed: {}", conference.logPrefix(), p.id(), e.toString());
            }
        }
    }

    /** Sends the focus's presence when the bridge count or the no-bridge flag changed since the last one sent. */
    void update(ConferenceRoom room, int count, boolean nowNoBridge) {
        if (count == bridgeCount && nowNoBridge == noBridge) {
            return;
        }
        bridgeCount = count;
        noBridge = nowNoBridge;
        try {
            room.updatePresence(count, nowNoBridge);
        } catch (RuntimeException e) {
            log.warn("{} presence update failed: {}", conference.logPrefix(), e.toString());
        }
    }
}
