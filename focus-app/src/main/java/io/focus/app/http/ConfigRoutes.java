package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.config.ConfigHolder;

/** {@code POST /config/reload}: the same reload as SIGHUP; 200 when applied, 500 with the reason when refused. */
public final class ConfigRoutes implements Routes {
    private final ConfigHolder holder;

    @Inject
    public ConfigRoutes(ConfigHolder holder) {
        this.holder = holder;
    }

    @Override
    public void register(RouteTable r) {
        r.post("/config/reload", req -> {
            ConfigHolder.ReloadResult res = holder.reload();
            return Reply.json(res.applied() ? 200 : 500, res);
        });
    }
}
