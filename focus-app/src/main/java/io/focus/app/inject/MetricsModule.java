package io.focus.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.focus.app.metrics.BridgeMetrics;
import io.focus.app.metrics.ConferenceGauges;
import io.focus.app.metrics.ProcessMetrics;
import io.focus.core.loop.EventLoops;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;

/**
 * One Prometheus {@link CollectorRegistry} (with the JVM's hotspot collectors), the app's own collectors (bridge,
 * conference and process metrics), and the one {@link EventLoops} every component makes its event loop with (the loop
 * metrics, {@code focus_loop_*}, registered once). The other components register theirs in the same registry.
 */
public final class MetricsModule extends AbstractModule {
    private final boolean jvmCollectors;

    public MetricsModule() {
        this(true);
    }

    /** @param jvmCollectors false in tests that only look at the focus's own metrics */
    public MetricsModule(boolean jvmCollectors) {
        this.jvmCollectors = jvmCollectors;
    }

    @Override
    protected void configure() {
        bind(BridgeMetrics.class).asEagerSingleton();
        bind(ConferenceGauges.class).asEagerSingleton();
        bind(ProcessMetrics.class).asEagerSingleton();
    }

    @Provides
    @Singleton
    EventLoops loops(CollectorRegistry registry) {
        return new EventLoops(registry);
    }

    @Provides
    @Singleton
    CollectorRegistry registry() {
        CollectorRegistry r = new CollectorRegistry(true);
        if (jvmCollectors) {
            DefaultExports.register(r);
        }
        return r;
    }
}
