package io.focus.app.spi;

/**
 * Jicofo's move-endpoints operations ({@code /move-endpoints/*}), implemented by the conference code. Moved
 * participants are re-invited through normal selection.
 */
public interface EndpointMover {
    /** Jicofo's response: {@code {"movedEndpoints":n,"conferences":m}}. */
    record MoveResult(int movedEndpoints, int conferences) {
        public static final MoveResult NONE = new MoveResult(0, 0);
    }

    /** Thrown when the conference or bridge named in the request does not exist (HTTP 404, message as body). */
    final class NotFoundException extends Exception {
        public NotFoundException(String message) { super(message); }
    }

    /**
     * Moves one endpoint. {@link MoveResult#NONE} when the endpoint is not in the conference (or not on
     * {@code bridgeId} when one is given).
     *
     * @param bridgeId the bridge's full id (occupant JID), already resolved from a nick; null for any bridge
     * @throws NotFoundException "Conference not found"
     */
    MoveResult moveEndpoint(String conference, String endpointId, String bridgeId) throws NotFoundException;

    /**
     * Moves up to {@code count} endpoints off a bridge, largest conference first (or only from {@code conference}).
     *
     * @throws NotFoundException "Conference not found" when {@code conference} is given and unknown
     */
    MoveResult moveEndpoints(String bridgeId, String conference, int count) throws NotFoundException;

    /** Moves {@code round(fraction × endpoints on the bridge)} endpoints off it. */
    MoveResult moveFraction(String bridgeId, double fraction) throws NotFoundException;

    /**
     * Drains (or undrains) a bridge from the focus side: no new participants. With {@code endpointsPerStep > 0},
     * also moves its endpoints off, that many every {@code interval}, until none are left or it is undrained
     * (which stops the moves).
     *
     * @throws NotFoundException "Bridge not found"
     */
    void drain(String bridgeId, boolean drained, int endpointsPerStep, java.time.Duration interval)
            throws NotFoundException;
}
