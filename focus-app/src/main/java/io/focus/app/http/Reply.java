package io.focus.app.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type (null with no body), body and any extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    public static Reply text(int status, String body) {
        return new Reply(status, TEXT, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Reply json(int status, Object value) {
        return new Reply(status, JSON, Json.write(value), Map.of());
    }

    public static Reply ok(Object value) { return json(200, value); }

    /** No body, only a status and headers. */
    public static Reply empty(int status, Map<String, String> headers) {
        return new Reply(status, null, new byte[0], headers);
    }

    /** Thrown by a route to answer with an error (bad parameter, not found...). */
    public static final class Failure extends RuntimeException {
        private final transient Reply reply;

        public Failure(Reply reply) {
            super(reply.status() + "", null, false, false);
            this.reply = reply;
        }

        public Reply reply() { return reply; }
    }

    public static Failure fail(int status, String text) {
        return new Failure(text(status, text));
    }
}
