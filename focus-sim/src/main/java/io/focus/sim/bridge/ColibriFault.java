package io.focus.sim.bridge;

/**
 * A fault injected into a simulated bridge's Colibri2 answers: the next {@link #times()} requests (or all, when
 * negative) are answered with an error or not at all, without touching the model.
 *
 * @param kind          NONE, ERROR or NO_REPLY
 * @param condition     RFC 6120 condition for ERROR, e.g. {@code internal-server-error}
 * @param colibriReason optional colibri2 reason, e.g. {@code conference_not_found}; null for none
 * @param text          error text
 * @param times         how many requests it applies to; negative = until cleared
 */
public record ColibriFault(Kind kind, String condition, String colibriReason, String text, int times) {
    public enum Kind { NONE, ERROR, NO_REPLY }

    public static final ColibriFault NONE = new ColibriFault(Kind.NONE, null, null, null, 0);

    public static ColibriFault error(String condition, String colibriReason, String text) {
        return new ColibriFault(Kind.ERROR, condition, colibriReason, text, -1);
    }

    public static ColibriFault error(String condition) {
        return error(condition, null, "simulated fault");
    }

    public static ColibriFault noReply() {
        return new ColibriFault(Kind.NO_REPLY, null, null, null, -1);
    }

    /** The same fault for only the next {@code n} requests. */
    public ColibriFault times(int n) {
        return new ColibriFault(kind, condition, colibriReason, text, n);
    }
}
