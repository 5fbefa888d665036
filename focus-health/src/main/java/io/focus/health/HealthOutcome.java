package io.focus.health;

/**
 * What one health check of one bridge came to.
 *
 * @param kind the class of outcome the doctor acts on
 * @param detail the error condition or a short note (null for a pass)
 * @param serverSaidUnreachable a failure the server reported for a bridge it cannot reach (not the bridge's answer)
 * @param local an error of the focus's own (an exception instead of a reply, no outcome at all): not the bridge's
 *     answer
 */
public record HealthOutcome(Kind kind, String detail, boolean serverSaidUnreachable, boolean local) {
    public HealthOutcome(Kind kind, String detail) {
        this(kind, detail, false, false);
    }

    /**
     * The bridge itself answered the check: a pass, a failure it reported, an error reply it wrote. Not a timeout, a
     * check not sent, the server answering for a bridge it cannot reach, nor an error of the focus's own.
     */
    public boolean bridgeAnswered() {
        return switch (kind) {
            case PASSED -> true;
            case FAILED -> !serverSaidUnreachable;
            case ERROR -> !local;
            case TIMEOUT, NOT_SENT -> false;
        };
    }

    public enum Kind {
        /** An IQ result (or, in presence mode, fresh stats with healthy=true). */
        PASSED,
        /** {@code internal-server-error} / {@code service-unavailable} (or healthy=false): failed now. */
        FAILED,
        /** No answer within the dedicated timeout (or stale stats): a miss. */
        TIMEOUT,
        /** Any other error reply: logged and counted, no state change. */
        ERROR,
        /** Not sent because the focus's own connection is down: not the bridge's fault. */
        NOT_SENT;

        /** The label used in metrics. */
        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public static HealthOutcome passed() { return new HealthOutcome(Kind.PASSED, null); }
    public static HealthOutcome failed(String detail) { return new HealthOutcome(Kind.FAILED, detail); }
    /** The server answered for the bridge: it cannot reach it (not in the brewery, component down). */
    public static HealthOutcome unreachable(String detail) {
        return new HealthOutcome(Kind.FAILED, "the server says the bridge is unreachable: " + detail, true, false);
    }
    public static HealthOutcome timeout() { return new HealthOutcome(Kind.TIMEOUT, null); }
    /** An error reply the bridge wrote. */
    public static HealthOutcome error(String detail) { return new HealthOutcome(Kind.ERROR, detail); }
    /** The check failed on the focus's side (an exception instead of a reply): handled as an error, not an answer. */
    public static HealthOutcome localError(String detail) { return new HealthOutcome(Kind.ERROR, detail, false, true); }
    public static HealthOutcome notSent(String detail) { return new HealthOutcome(Kind.NOT_SENT, detail); }

    /** The label used in metrics. */
    public String label() { return kind.label(); }
}
