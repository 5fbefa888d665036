package io.focus.app.http;

import io.focus.app.metrics.FocusVersion;
import com.google.inject.Inject;
import io.focus.app.spi.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /about/health} and {@code GET /about/version}, as Jicofo serves them. */
public final class AboutRoutes implements Routes {
    private final HealthStatus health;

    @Inject
    public AboutRoutes(HealthStatus health) {
        this.health = health;
    }

    @Override
    public void register(RouteTable r) {
        r.get("/about/health", req -> {
            HealthStatus.Result res = health.check();
            return res.healthy() ? Reply.text(200, "OK") : Reply.text(500, res.reason());
        });
        r.get("/about/version", req -> Reply.ok(version()));
    }

    public static Map<String, Object> version() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "focus");
        m.put("version", FocusVersion.implementationVersion());
        m.put("os", System.getProperty("os.name"));
        return m;
    }

}
