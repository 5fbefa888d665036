package io.focus.app.http;

import java.nio.charset.StandardCharsets;

/** What a route answers. */
public record Response(int status, String contentType, byte[] body) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    public static Response text(int status, String body) {
        return new Response(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, Object value) {
        return new Response(status, JSON, Json.write(value));
    }

    public static Response ok(Object value) { return json(200, value); }

    /** A JSON error body: {@code {"error": message}}. */
    public static Response error(int status, String message) {
        return json(status, java.util.Map.of("error", message));
    }

    /** Thrown by a route to answer with an error (bad parameter, not found...). */
    public static final class Failure extends RuntimeException {
        private final transient Response response;

        public Failure(Response response) {
            super(response.status() + "", null, false, false);
            this.response = response;
        }

        public Response response() { return response; }
    }

    public static Failure fail(int status, String text) {
        return new Failure(text(status, text));
    }
}
