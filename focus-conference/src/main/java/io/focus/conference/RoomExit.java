package io.focus.conference;

/**
 * Why the focus is out of a room for good.
 *
 * @param kind what happened
 * @param actor who did it (a JID or nick), or null when the room does not say
 * @param reason the reason the room gave, or null
 */
public record RoomExit(Kind kind, String actor, String reason) {
    public enum Kind {
        /** The room was destroyed (XEP-0045 {@code <destroy>}). */
        DESTROYED,
        /** The focus was kicked (status 307). */
        KICKED,
        /** The focus was banned (status 301). */
        BANNED,
        /** The focus was removed otherwise (an affiliation change in a members-only room, ...). */
        REMOVED
    }

    /** For the log line: {@code destroyed (by owner@x: closing time)}. */
    public String describe() {
        String what = switch (kind) {
            case DESTROYED -> "destroyed";
            case KICKED -> "kicked the focus";
            case BANNED -> "banned the focus";
            case REMOVED -> "removed the focus";
        };
        StringBuilder b = new StringBuilder(what);
        if (actor != null || (reason != null && !reason.isBlank())) {
            b.append(" (");
            if (actor != null) {
                b.append("by ").append(actor);
            }
            if (reason != null && !reason.isBlank()) {
                b.append(actor != null ? ": " : "").append(reason);
            }
            b.append(')');
        }
        return b.toString();
    }
}
