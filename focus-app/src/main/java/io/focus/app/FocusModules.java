package io.focus.app;

import com.google.inject.Module;
import io.focus.app.config.ConfigHolder;
import io.focus.app.inject.LifecycleModule;
import io.focus.app.inject.StrictModule;
import io.focus.app.inject.ConfigModule;
import io.focus.app.inject.MetricsModule;
import io.focus.app.inject.AdminModule;
import io.focus.app.inject.HttpModule;
import io.focus.app.wiring.WiringModule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The daemon's modules. */
public final class FocusModules {
    private FocusModules() {}

    /** Everything the app itself provides, without {@link WiringModule} (tests bind their own seams). */
    public static List<Module> app(ConfigHolder holder, Clock clock, boolean jvmMetrics) {
        return List.of(new StrictModule(), new ConfigModule(holder, clock), new MetricsModule(jvmMetrics),
                new AdminModule(), new HttpModule(), new LifecycleModule());
    }

    /**
     * What {@code Main} runs. {@link WiringModule} comes before {@link LifecycleModule}: managed services start in
     * binding order (XMPP, bridges, health, conferences, then HTTP) and stop in reverse.
     */
    public static List<Module> production(ConfigHolder holder, Clock clock) {
        List<Module> m = new ArrayList<>();
        for (Module x : app(holder, clock, true)) {
            if (x instanceof LifecycleModule) {
                m.add(new WiringModule());
            }
            m.add(x);
        }
        return m;
    }
}
