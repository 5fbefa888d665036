package io.focus.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the focus's REST API (JSON): bridges, conferences, stats. A failed call gives null. */
public final class FocusRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    public FocusRest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String text(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Room → (endpoint → bridge nick, or null while waiting for a bridge). */
    public Map<String, Map<String, String>> placements() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        JsonNode n = get("/conferences");
        if (n == null) {
            return null;
        }
        for (JsonNode c : n.get("conferences")) {
            Map<String, String> m = new LinkedHashMap<>();
            c.get("participantBridges").fields().forEachRemaining(e ->
                    m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            out.put(c.get("room").asText(), m);
        }
        return out;
    }
}
