package io.focus.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import io.focus.app.config.ConfigHolder;
import java.time.Clock;

/**
 * Binds the {@link ConfigHolder} (live configuration and reload), the {@link Config} as it was when the object
 * asking for it was made (for settings that need a restart), and the {@link Clock}.
 */
public final class ConfigModule extends AbstractModule {
    private final ConfigHolder holder;
    private final Clock clock;

    public ConfigModule(ConfigHolder holder, Clock clock) {
        this.holder = holder;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        bind(ConfigHolder.class).toInstance(holder);
        bind(Clock.class).toInstance(clock);
    }

    @Provides
    Config config(ConfigHolder h) {
        return h.current();
    }
}
