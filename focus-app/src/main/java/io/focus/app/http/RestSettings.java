package io.focus.app.http;

import com.typesafe.config.Config;

/**
 * Where and how the HTTP API listens (fixed for the process's life): {@code jicofo.rest.{enabled,host,port}},
 * Jicofo's per-feature switches {@code jicofo.rest.{prometheus,conference-request,move-endpoints,debug,pin}.enabled},
 * and {@code focus.rest.threads}.
 */
public record RestSettings(boolean enabled, String host, int port, int threads, boolean prometheus,
                           boolean conferenceRequest, boolean moveEndpoints, boolean debug, boolean pin) {

    public static RestSettings from(Config c) {
        return new RestSettings(
                bool(c, "jicofo.rest.enabled", true),
                c.hasPath("jicofo.rest.host") ? c.getString("jicofo.rest.host") : "127.0.0.1",
                c.hasPath("jicofo.rest.port") ? c.getInt("jicofo.rest.port") : 8888,
                c.hasPath("focus.rest.threads") ? Math.max(1, c.getInt("focus.rest.threads")) : 4,
                bool(c, "jicofo.rest.prometheus.enabled", true),
                bool(c, "jicofo.rest.conference-request.enabled", true),
                bool(c, "jicofo.rest.move-endpoints.enabled", true),
                bool(c, "jicofo.rest.debug.enabled", true),
                bool(c, "jicofo.rest.pin.enabled", true));
    }

    private static boolean bool(Config c, String k, boolean d) {
        return c.hasPath(k) ? c.getBoolean(k) : d;
    }
}
