package io.focus.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request as the routes see it. */
public record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                      byte[] body, Map<String, String> pathParams, String remote) {

    public String param(String name) { return query.get(name); }

    public String pathParam(String name) { return pathParams.get(name); }

    /** First value of a header, case-insensitive, or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The token of {@code Authorization: Bearer TOKEN}, or null. */
    public String bearerToken() {
        String h = header("Authorization");
        if (h == null) {
            return null;
        }
        String t = h.strip();
        if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = t.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }
}
