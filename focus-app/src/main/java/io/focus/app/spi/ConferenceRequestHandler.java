package io.focus.app.spi;

/** Answers conference requests arriving over HTTP; implemented by the conference code (the same path as the IQ). */
public interface ConferenceRequestHandler {
    /** An XMPP error condition from handling the request; mapped to HTTP as Jicofo does. */
    final class RequestException extends Exception {
        public enum Condition { BAD_REQUEST, NOT_AUTHORIZED, NOT_ACCEPTABLE, SERVICE_UNAVAILABLE, OTHER }

        private final Condition condition;

        public RequestException(Condition condition, String message) {
            super(message);
            this.condition = condition;
        }

        public Condition condition() { return condition; }
    }

    /**
     * @param request the parsed JSON
     * @param token the client's JWT from {@code Authorization: Bearer}, or null
     * @return the response (room, ready, focusJid, properties such as {@code authentication})
     */
    ConferenceRequest handle(ConferenceRequest request, String token) throws RequestException;
}
