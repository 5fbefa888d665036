package io.focus.app.http;

import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** One request as a route sees it: Jetty's request with its path parameters and its body, read up front. */
public final class Call {
    private final Request request;
    private final Fields query;
    private final Map<String, String> pathParams;
    private final byte[] body;

    Call(Request request, Map<String, String> pathParams, byte[] body) {
        this.request = request;
        this.query = Request.extractQueryParameters(request);
        this.pathParams = pathParams;
        this.body = body;
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) { return query.getValue(name); }

    public String pathParam(String name) { return pathParams.get(name); }

    /** The raw query string, for logs ("" without one). */
    public String query() {
        String q = request.getHttpURI().getQuery();
        return q == null ? "" : q;
    }

    /** First value of a header, case-insensitive, or null. */
    public String header(String name) { return request.getHeaders().get(name); }

    public String remote() { return Request.getRemoteAddr(request); }

    /** The body as JSON of the given type; no body or malformed JSON is a 400 naming the problem. */
    public <T> T json(Class<T> type) { return Json.read(body, type); }

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
}
