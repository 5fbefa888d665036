package io.focus.app.http;

import com.typesafe.config.Config;

/**
 * Where and how the HTTP API listens (fixed for the process's life): {@code jicofo.rest.{enabled,host,port}},
 * Jicofo's per-feature switches {@code jicofo.rest.{prometheus,conference-request,move-endpoints,debug,pin}.enabled},
 * and {@code focus.rest.threads}.
 */
public record RestSettings(boolean enabled, String host, int port, int threads, boolean prometheus,
                           boolean conferenceRequest, boolean moveEndpoints, boolean debug, boolean pin) {

    /** Every key has its default in focus-app's reference.conf (the loader merges it in). */
    public static RestSettings from(Config c) {
        return new RestSettings(
                c.getBoolean("jicofo.rest.enabled"),
                c.getString("jicofo.rest.host"),
                c.getInt("jicofo.rest.port"),
                c.getInt("focus.rest.threads"),  // at least 1: AppConfigValidator
                c.getBoolean("jicofo.rest.prometheus.enabled"),
                c.getBoolean("jicofo.rest.conference-request.enabled"),
                c.getBoolean("jicofo.rest.move-endpoints.enabled"),
                c.getBoolean("jicofo.rest.debug.enabled"),
                c.getBoolean("jicofo.rest.pin.enabled"));
    }
}
