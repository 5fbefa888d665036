package io.focus.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * The API's endpoints: path template ({@code /bridges/{nick}/drain}) → method → handler. Matching the templates is
 * Jetty's ({@link UriTemplatePathSpec}); this class only keeps which methods each path answers and which of them
 * need the admin token (those that change state, and the reads that show participants: {@link #adminGet}).
 */
public final class RouteTable {
    @FunctionalInterface
    public interface Handler {
        Reply handle(Call call) throws Exception;
    }

    /** @param admin refused without the admin token when one is configured */
    record Endpoint(Handler handler, boolean admin) {}

    /** The endpoints of one path, by method, with the values of the template's {@code {params}}. */
    record Match(Map<String, Endpoint> methods, Map<String, String> params) {}

    private final PathMappings<Map<String, Endpoint>> paths = new PathMappings<>();
    private final Map<String, Map<String, Endpoint>> byTemplate = new HashMap<>();

    public RouteTable get(String template, Handler h) { return add("GET", template, h, false); }

    public RouteTable post(String template, Handler h) { return add("POST", template, h, true); }

    /** A GET that changes state (Jicofo's move-endpoints): refused without the token when one is configured. */
    public RouteTable mutatingGet(String template, Handler h) { return add("GET", template, h, true); }

    /** A GET that changes nothing but shows what only admins may see (participants, their JIDs): needs the token. */
    public RouteTable adminGet(String template, Handler h) { return add("GET", template, h, true); }

    /** A POST that carries its own authentication (conference requests: the client's JWT), not the admin token. */
    public RouteTable publicPost(String template, Handler h) { return add("POST", template, h, false); }

    /** An OPTIONS answer (a browser's preflight); changes nothing. */
    public RouteTable options(String template, Handler h) { return add("OPTIONS", template, h, false); }

    private RouteTable add(String method, String template, Handler h, boolean admin) {
        Map<String, Endpoint> methods = byTemplate.computeIfAbsent(template, t -> {
            Map<String, Endpoint> m = new LinkedHashMap<>();
            paths.put(new UriTemplatePathSpec(t), m);
            return m;
        });
        if (methods.putIfAbsent(method, new Endpoint(h, admin)) != null) {
            throw new IllegalStateException("two handlers for " + method + " " + template);
        }
        return this;
    }

    /**
     * The endpoints at a raw (still percent-encoded) request path, or null. A trailing slash is ignored; path
     * parameters are decoded.
     */
    Match match(String rawPath) {
        String p = rawPath;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        MatchedResource<Map<String, Endpoint>> m = paths.getMatched(p);
        if (m == null) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        ((UriTemplatePathSpec) m.getPathSpec()).getPathParams(p)
                .forEach((k, v) -> params.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
        return new Match(m.getResource(), params);
    }
}
