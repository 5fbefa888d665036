package io.focus.conference;

/**
 * A Colibri2 request to a bridge failed. The kind says how; for {@link Kind#ERROR} the XMPP error condition
 * ({@code item-not-found}, {@code service-unavailable}, ...) and the colibri2 reason ({@code conference_not_found},
 * {@code graceful_shutdown}, ...; null when the error carries none) say why.
 */
public final class ColibriException extends RuntimeException {
    public enum Kind {
        /** No reply within the reply timeout. */
        TIMEOUT,
        /** The bridge (or the MUC service in front of it) answered with an IQ error. */
        ERROR,
        /** A reply that is not what the request asked for (wrong type, no transport for the endpoint, ...). */
        BAD_RESPONSE,
        /** The request could not be sent (not connected). */
        NOT_SENT
    }

    public static final String CONFERENCE_NOT_FOUND = "conference_not_found";
    public static final String CONFERENCE_ALREADY_EXISTS = "conference_already_exists";
    public static final String GRACEFUL_SHUTDOWN = "graceful_shutdown";
    public static final String UNKNOWN_ENDPOINT = "unknown_endpoint";

    private final Kind kind;
    private final String condition;
    private final String colibriReason;

    public ColibriException(Kind kind, String condition, String colibriReason, String message) {
        super(message);
        this.kind = kind;
        this.condition = condition;
        this.colibriReason = colibriReason;
    }

    public static ColibriException timeout(String message) {
        return new ColibriException(Kind.TIMEOUT, null, null, message);
    }

    public static ColibriException error(String condition, String colibriReason, String message) {
        return new ColibriException(Kind.ERROR, condition, colibriReason, message);
    }

    public static ColibriException badResponse(String message) {
        return new ColibriException(Kind.BAD_RESPONSE, null, null, message);
    }

    public static ColibriException notSent(String message) {
        return new ColibriException(Kind.NOT_SENT, null, null, message);
    }

    public Kind kind() { return kind; }
    /** The XMPP error condition (e.g. {@code item-not-found}) for {@link Kind#ERROR}, else null. */
    public String condition() { return condition; }
    /** The colibri2 {@code reason} of the error (e.g. {@code conference_not_found}), or null. */
    public String colibriReason() { return colibriReason; }

    public boolean is(String condition, String reason) {
        return kind == Kind.ERROR && condition.equals(this.condition)
                && (reason == null ? this.colibriReason == null : reason.equals(this.colibriReason));
    }

    /** Short form for logs and metric labels: {@code timeout}, {@code item-not-found/conference_not_found}, ... */
    public String label() {
        switch (kind) {
            case TIMEOUT: return "timeout";
            case BAD_RESPONSE: return "bad-response";
            case NOT_SENT: return "not-sent";
            default: return condition + (colibriReason != null ? "/" + colibriReason : "");
        }
    }

    /** Unwraps {@link java.util.concurrent.CompletionException}s; anything else becomes a BAD_RESPONSE. */
    public static ColibriException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ColibriException) {
            return (ColibriException) c;
        }
        return new ColibriException(Kind.BAD_RESPONSE, null, null, String.valueOf(c));
    }

    @Override public String toString() { return "ColibriException[" + label() + ": " + getMessage() + "]"; }
}
