package io.focus.conference;

/** A conference request that is refused; the kind maps to an XMPP error condition and an HTTP status. */
public final class ConferenceRequestException extends RuntimeException {
    public enum Kind {
        /** No room, or not a room JID: XMPP {@code bad-request}, HTTP 400. */
        BAD_REQUEST("bad-request", 400),
        /** The room is outside the conference MUC domain: XMPP {@code not-acceptable}, HTTP 400. */
        NOT_ACCEPTABLE("not-acceptable", 400),
        /** Not allowed to create the room: XMPP {@code not-authorized}, HTTP 403. */
        NOT_AUTHORIZED("not-authorized", 403),
        /** The focus could not join the room: XMPP {@code service-unavailable}, HTTP 503. */
        UNAVAILABLE("service-unavailable", 503);

        private final String condition;
        private final int httpStatus;

        Kind(String condition, int httpStatus) {
            this.condition = condition;
            this.httpStatus = httpStatus;
        }

        public String xmppCondition() { return condition; }
        public int httpStatus() { return httpStatus; }
    }

    private final Kind kind;

    public ConferenceRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
