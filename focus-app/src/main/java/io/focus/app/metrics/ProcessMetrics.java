package io.focus.app.metrics;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.app.spi.HealthStatus;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Info;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Jicofo's process-level metrics: {@code jitsi_jicofo_healthy} (the {@code /about/health} verdict at scrape time),
 * {@code jitsi_jicofo_threads} (live JVM threads) and {@code jitsi_jicofo_version_info{version}}.
 */
@Singleton
public final class ProcessMetrics extends Collector {
    private final HealthStatus health;

    @Inject
    public ProcessMetrics(HealthStatus health, CollectorRegistry registry) {
        this.health = health;
        Info.build("jitsi_jicofo_version", "Application version").register(registry)
                .info("version", FocusVersion.implementationVersion());
        register(registry);
    }

    /** Live JVM threads, as Jicofo counts them (also {@code threads} in {@code /stats}). */
    public static long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(
                new GaugeMetricFamily("jitsi_jicofo_healthy", "Whether the focus is healthy (1) or not (0), as "
                        + "/about/health answers.", health.check().healthy() ? 1 : 0),
                new GaugeMetricFamily("jitsi_jicofo_threads", "The current number of JVM threads.", threads()));
    }
}
