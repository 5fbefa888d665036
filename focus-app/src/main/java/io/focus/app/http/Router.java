package io.focus.app.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Method + path template ({@code /bridges/{nick}/drain}) → handler. */
public final class Router {
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    /**
     * @param mutating changes state: refused without the admin token when one is configured
     */
    record Route(String method, String[] parts, Handler handler, boolean mutating) {}

    /** A match: the route and the values of its {@code {params}}. */
    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Handler h) { return add("GET", template, h, false); }

    public Router post(String template, Handler h) { return add("POST", template, h, true); }

    /** A GET that changes state (Jicofo's move-endpoints): refused without the token when one is configured. */
    public Router mutatingGet(String template, Handler h) { return add("GET", template, h, true); }

    /** A POST that carries its own authentication (conference requests: the client's JWT), not the admin token. */
    public Router publicPost(String template, Handler h) { return add("POST", template, h, false); }

    private Router add(String method, String template, Handler h, boolean mutating) {
        routes.add(new Route(method, split(template), h, mutating));
        return this;
    }

    /** The matching route, or null. {@code methodMismatch[0]} is set when the path exists with another method. */
    Match match(String method, String path, boolean[] methodMismatch) {
        String[] p = split(path);
        for (Route r : routes) {
            Map<String, String> params = matchParts(r.parts(), p);
            if (params != null) {
                if (r.method().equals(method)) {
                    return new Match(r, params);
                }
                methodMismatch[0] = true;
            }
        }
        return null;
    }

    private static Map<String, String> matchParts(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), java.net.URLDecoder.decode(path[i], java.nio.charset.StandardCharsets.UTF_8));
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
