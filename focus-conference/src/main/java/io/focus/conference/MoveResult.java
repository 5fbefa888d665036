package io.focus.conference;

/**
 * The outcome of an admin move, shaped like Jicofo's {@code {"movedEndpoints":n,"conferences":m}}.
 *
 * @param found false when the bridge, conference or endpoint named in the request is unknown
 * @param message why nothing was moved, or null
 */
public record MoveResult(boolean found, int movedEndpoints, int conferences, String message) {
    public static MoveResult notFound(String message) { return new MoveResult(false, 0, 0, message); }

    public static MoveResult moved(int endpoints, int conferences) {
        return new MoveResult(true, endpoints, conferences, null);
    }
}
