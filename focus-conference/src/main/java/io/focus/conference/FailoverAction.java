package io.focus.conference;

/**
 * One row of the failover table ({@link FailoverTrigger}): what a conference does about a trigger, to whom, and what
 * the movers may not use afterwards.
 *
 * @param who who leaves the bridge
 * @param expire what is expired on the bridge they leave
 * @param exclude what the movers are kept off afterwards
 * @param unsplittable what happens instead when the conference cannot spread over bridges and others would stay
 * @param tell what the conference tells the bridge registry on top of what {@link AllocationErrorPolicy} reported
 */
record FailoverAction(Who who, Expire expire, Exclude exclude, Unsplittable unsplittable, Tell tell) {

    /** Who leaves the bridge. */
    enum Who {
        /** Nobody moves: the bridge only gets no new participants (the selection's business). */
        NOBODY,
        /** Every participant of the conference on the bridge: the bridge leaves the conference. */
        EVERYONE_ON_THE_BRIDGE,
        /** The requested number of placed participants, largest conference first (see {@link ConferenceManager}). */
        CHOSEN,
        /** The one participant. */
        THE_PARTICIPANT
    }

    /** What the focus expires on the bridge the movers leave. */
    enum Expire {
        /** Nothing: the bridge is gone, unreachable, or lost the conference (a request would only fail). */
        NOTHING,
        /** The conference when the whole bridge leaves it, else the movers' endpoints. */
        ON_THE_BRIDGE,
        /** The conference, if the bridge had created it (it may have refused the very create). */
        IF_CREATED
    }

    /**
     * What a mover is kept off afterwards: until it is placed somewhere else, or, while it waits for a bridge, until
     * that bridge is added again or recovers (then it is tried again).
     */
    enum Exclude {
        NOTHING,
        /** The bridge it moved off (even when the bridge still looks best: never back while it is suspect). */
        THE_BRIDGE,
        /** The bridge, unless no other bridge can take the participant: then a fresh endpoint on the same bridge. */
        THE_BRIDGE_UNLESS_NOWHERE_ELSE
    }

    /** What happens when the conference cannot spread (Octo off, a bridge without relay id) and others would stay. */
    enum Unsplittable {
        /** Everyone on the bridge moves with them (also what every whole-bridge row does anyway). */
        EVERYONE_MOVES,
        /** Nothing moves (the request is refused; also what every nobody row does anyway). */
        NOTHING_MOVES,
        /** The participant gets a fresh endpoint on the same bridge. */
        SAME_BRIDGE
    }

    /** What the conference tells the registry itself. */
    enum Tell {
        /** Nothing: the registry told us, or {@link AllocationErrorPolicy} already reported the reply. */
        NOTHING,
        /**
         * {@link BridgeFeedback#participantTrouble}: one participant's word against its bridge (also counted in
         * {@code jitsi_jicofo_bridge_restart_requests{jvb}}).
         */
        PARTICIPANT_TROUBLE
    }

    static FailoverAction nobody() {
        return new FailoverAction(Who.NOBODY, Expire.NOTHING, Exclude.NOTHING, Unsplittable.NOTHING_MOVES,
                Tell.NOTHING);
    }

    static FailoverAction everyone(Expire expire) {
        return new FailoverAction(Who.EVERYONE_ON_THE_BRIDGE, expire, Exclude.THE_BRIDGE, Unsplittable.EVERYONE_MOVES,
                Tell.NOTHING);
    }

    boolean moves() { return who != Who.NOBODY; }
}
