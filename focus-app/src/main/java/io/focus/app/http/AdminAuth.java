package io.focus.app.http;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.app.config.ConfigError;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.Reloadable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * The admin API's bearer token: {@code focus.rest.token}, or the first line of {@code focus.rest.token-file}
 * (the file wins). No token configured ⇒ mutating calls are open (the API is on loopback by default, as
 * Jicofo's). Reloadable: a reload can set, change or clear the token.
 */
@Singleton
public final class AdminAuth implements Reloadable {
    private volatile String token;

    @Inject
    public AdminAuth(ConfigHolder holder) throws ConfigError {
        this.token = tokenOf(holder.current());
        holder.addListener(this);
    }

    public boolean tokenConfigured() { return token != null; }

    /** True when no token is configured, or the request carries it. Constant-time comparison. */
    public boolean allows(Call request) {
        String expected = token;
        if (expected == null) {
            return true;
        }
        String given = request.bearerToken();
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    @Override public String name() { return "admin API token"; }

    @Override public List<String> keys() { return List.of("focus.rest.token", "focus.rest.token-file"); }

    @Override
    public Runnable prepare(Config next) throws ConfigError {
        String t = tokenOf(next);
        return () -> token = t;
    }

    static String tokenOf(Config c) throws ConfigError {
        if (!c.getString("focus.rest.token-file").isBlank()) {
            Path f = Path.of(c.getString("focus.rest.token-file"));
            try {
                String t = Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).findFirst().orElse(null);
                if (t == null) {
                    throw new ConfigError("focus.rest.token-file", "focus.rest.token-file = '" + f
                            + "': expected a file whose first line is the token, but it is empty");
                }
                return t;
            } catch (IOException e) {
                throw new ConfigError("focus.rest.token-file", "focus.rest.token-file = '" + f
                        + "': expected a readable file (" + e.getMessage() + ")");
            }
        }
        if (!c.getString("focus.rest.token").isBlank()) {
            return c.getString("focus.rest.token").strip();
        }
        return null;
    }
}
