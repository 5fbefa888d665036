package io.focus.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A small client of the focus's REST API for the end-to-end tests. */
final class Rest {
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    Rest(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    Reply get(String path) { return send("GET", path, null, false); }

    Reply getWithToken(String path) { return send("GET", path, null, true); }

    Reply post(String path, String json) { return send("POST", path, json, true); }

    Reply postWithoutToken(String path, String json) { return send("POST", path, json, false); }

    /** The response, or status -1 when nothing listens (yet). */
    Reply send(String method, String path, String json, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (withToken && token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    /** Endpoint → bridge nick (null while it waits) of one conference, from {@code GET /conferences}. */
    Map<String, String> placement(String room) {
        Map<String, String> m = new HashMap<>();
        Reply r = get("/conferences");
        if (r.status() != 200) {
            return m;
        }
        for (JsonNode c : r.json().get("conferences")) {
            if (c.get("room").asText().equalsIgnoreCase(room)) {
                c.get("participantBridges").fields().forEachRemaining(e ->
                        m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            }
        }
        return m;
    }

    /** Bridge nicks the focus knows, from {@code GET /bridges}. */
    java.util.Set<String> bridgeNicks() {
        java.util.Set<String> s = new java.util.TreeSet<>();
        Reply r = get("/bridges");
        if (r.status() == 200) {
            JsonNode n = r.json();
            JsonNode list = n.isArray() ? n : n.get("bridges");
            for (JsonNode b : list) {
                s.add(b.get("nick").asText());
            }
        }
        return s;
    }
}
