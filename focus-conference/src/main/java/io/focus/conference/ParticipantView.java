package io.focus.conference;

import java.time.Instant;
import java.util.Set;

/**
 * One participant at the moment its conference's view was published.
 *
 * @param id endpoint id (MUC nick)
 * @param state where the participant is in its placement
 * @param bridgeId the bridge it is placed on or being placed on, or null
 * @param bridgeNick that bridge's nick, or null
 * @param moving it lost its place (failover or admin move) and its new place is not yet signalled
 * @param movedFrom the bridge it is moving off (nick), or null
 * @param moveReason why it is moving, or null
 * @param failures failed allocations in the current placement
 * @param excludedBridges bridges this placement must not use
 * @param since when the participant entered its current state
 * @param allocation its allocation when placed, else null
 * @param capsNode its presence's entity capabilities {@code node#ver}, or null (see {@link Occupant#capsNode})
 * @param mediaSignalled it accepted the offer for its current place (its transport reached the focus)
 * @param sourceCount the SSRCs it signalled for its current place
 */
public record ParticipantView(String id, String occupantJid, String region, String statsId, State state,
                              String bridgeId, String bridgeNick, boolean moving, String movedFrom,
                              String moveReason, int failures, Set<String> excludedBridges, Instant since,
                              Allocation allocation, String capsNode, boolean mediaSignalled, int sourceCount) {
    /** A participant that has signalled nothing yet. */
    public ParticipantView(String id, String occupantJid, String region, String statsId, State state,
                           String bridgeId, String bridgeNick, boolean moving, String movedFrom, String moveReason,
                           int failures, Set<String> excludedBridges, Instant since, Allocation allocation,
                           String capsNode) {
        this(id, occupantJid, region, statsId, state, bridgeId, bridgeNick, moving, movedFrom, moveReason, failures,
                excludedBridges, since, allocation, capsNode, false, 0);
    }

    /** A participant whose presence has no entity capabilities and that has signalled nothing yet. */
    public ParticipantView(String id, String occupantJid, String region, String statsId, State state,
                           String bridgeId, String bridgeNick, boolean moving, String movedFrom, String moveReason,
                           int failures, Set<String> excludedBridges, Instant since, Allocation allocation) {
        this(id, occupantJid, region, statsId, state, bridgeId, bridgeNick, moving, movedFrom, moveReason, failures,
                excludedBridges, since, allocation, null, false, 0);
    }

    public enum State {
        /** In the room, not placed (fewer than min-participants, or released after the single-participant timeout). */
        WAITING,
        /** An allocation request is in flight. */
        PLACING,
        /** Allocated on a bridge. */
        PLACED,
        /** No bridge can take it now; retried when a bridge is added or recovers ({@code bridgeNotAvailable}). */
        NO_BRIDGE
    }

    public boolean placed() { return state == State.PLACED; }
}
