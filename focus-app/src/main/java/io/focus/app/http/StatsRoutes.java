package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.metrics.BridgeMetrics;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.HealthStatus;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.Bridges;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /stats} (JSON, Jicofo's keys) and {@code GET /metrics} (Prometheus text 0.0.4 or OpenMetrics). */
public final class StatsRoutes implements Routes {
    private final Bridges bridges;
    private final BridgeMetrics bridgeMetrics;
    private final ConferenceStats conferences;
    private final HealthStatus health;
    private final CollectorRegistry registry;
    private final RestSettings settings;

    @Inject
    public StatsRoutes(Bridges bridges, BridgeMetrics bridgeMetrics, ConferenceStats conferences, HealthStatus health,
                       CollectorRegistry registry, RestSettings settings) {
        this.bridges = bridges;
        this.bridgeMetrics = bridgeMetrics;
        this.conferences = conferences;
        this.health = health;
        this.registry = registry;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        r.get("/stats", req -> Reply.ok(stats()));
        if (settings.prometheus()) {
            r.get("/metrics", req -> metrics(req.header("Accept")));
        }
    }

    Map<String, Object> stats() {
        BridgeSnapshot s = bridges.snapshot();
        ConferenceStats.Counts c = conferences.counts();
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("bridge_count", s.size());
        selector.put("operational_bridge_count", BridgeMetrics.operationalNotGraceful(s));
        selector.put("in_shutdown_bridge_count", BridgeMetrics.inShutdown(s));
        selector.put("lost_bridges", bridgeMetrics.lostBridges());
        selector.put("bridge_version_count", BridgeMetrics.versionCount(s));

        Map<String, Object> failures = new LinkedHashMap<>();
        failures.put("participants_moved", c.participantsMoved());
        failures.put("bridges_removed", c.bridgesRemoved());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bridge_selector", selector);
        m.put("bridge_failures", failures);
        m.put("conferences", c.conferences());
        m.put("participants", c.participants());
        m.put("largest_conference", c.largestConference());
        m.put("conference_sizes", c.conferenceSizes());
        m.put("total_conferences_created", c.totalConferencesCreated());
        m.put("total_participants", c.totalParticipants());
        m.put("healthy", health.check().healthy());
        m.put("version", AboutRoutes.implementationVersion());
        m.put("threads", Thread.activeCount());
        return m;
    }

    Reply metrics(String accept) throws java.io.IOException {
        String contentType = TextFormat.chooseContentType(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            TextFormat.writeFormat(contentType, w, registry.metricFamilySamples());
        }
        return new Reply(200, contentType, out.toByteArray(), Map.of());
    }
}
