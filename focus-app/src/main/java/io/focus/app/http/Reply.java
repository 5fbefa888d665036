package io.focus.app.http;

import java.nio.charset.StandardCharsets;

/** What a route answers: status, content type and body. */
public record Reply(int status, String contentType, byte[] body) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    public static Reply text(int status, String body) {
        return new Reply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply json(int status, Object value) {
        return new Reply(status, JSON, Json.write(value));
    }

    public static Reply ok(Object value) { return json(200, value); }

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
