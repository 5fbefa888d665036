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
    private final boolean serverBounce;

    public ColibriException(Kind kind, String condition, String colibriReason, String message) {
        this(kind, condition, colibriReason, message, false);
    }

    private ColibriException(Kind kind, String condition, String colibriReason, String message, boolean serverBounce) {
        super(message);
        this.kind = kind;
        this.condition = condition;
        this.colibriReason = colibriReason;
        this.serverBounce = serverBounce;
    }

    public static ColibriException timeout(String message) {
        return new ColibriException(Kind.TIMEOUT, null, null, message);
    }

    public static ColibriException error(String condition, String colibriReason, String message) {
        return new ColibriException(Kind.ERROR, condition, colibriReason, message);
    }

    /**
     * An {@link Kind#ERROR} the server wrote because it cannot reach the bridge ({@code io.focus.core.xmpp.ServerBounce}:
     * the brewery's "Recipient not in room", {@code recipient-unavailable}, a component's {@code not-connected}): the
     * request never reached the bridge.
     */
    public static ColibriException bounced(String condition, String message) {
        return new ColibriException(Kind.ERROR, condition, null, message, true);
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
    /** An error the server wrote for a bridge it cannot reach, not the bridge's answer (see {@link #bounced}). */
    public boolean serverBounce() { return serverBounce; }

    /**
     * The request may not have reached the bridge, or the bridge may not have acted on it: no reply, not sent, or
     * bounced by the server. (An error reply of the bridge, or a reply of the wrong shape, is the bridge's answer.)
     */
    public boolean unanswered() {
        return kind == Kind.TIMEOUT || kind == Kind.NOT_SENT || serverBounce;
    }

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
