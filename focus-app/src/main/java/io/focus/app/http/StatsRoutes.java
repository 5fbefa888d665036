package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.metrics.FocusVersion;
import io.focus.app.metrics.BridgeMetrics;
import io.focus.app.metrics.ConferenceSizeBuckets;
import io.focus.app.metrics.ProcessMetrics;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.HealthStatus;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.Bridges;
import io.focus.core.jingle.JingleAction;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /stats} (JSON with Jicofo's keys, for what the focus does) and {@code GET /metrics}: Prometheus text
 * 0.0.4, OpenMetrics when asked for ({@code Accept: application/openmetrics-text}), or JSON
 * ({@code Accept: application/json}, see {@link MetricsJson}).
 *
 * <p>{@code /stats} reads the same sources as {@code /metrics}: the conference and bridge snapshots, and the
 * signalling counters from the registry ({@code participant_notifications}, {@code jingle}; left out when the
 * signalling is not wired, as in unit tests). Jicofo's keys for services the focus does not have (Jibri, Jigasi,
 * visitors, its task queues, its self health-check timings) are not there.
 */
public final class StatsRoutes implements Routes {
    static final String JSON = "application/json";

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
        m.put("total_participants", c.totalParticipants());
        m.put("total_conferences_created", c.totalConferencesCreated());
        m.put("conferences", c.conferences());
        m.put("bridge_failures", failures);
        Map<String, Object> notifications = new LinkedHashMap<>();
        putSample(notifications, "ice_failed", "jitsi_jicofo_participants_ice_failed_total");
        putSample(notifications, "request_restart", "jitsi_jicofo_participants_restart_requested_total");
        if (!notifications.isEmpty()) {
            m.put("participant_notifications", notifications);
        }
        m.put("largest_conference", c.largestConference());
        m.put("participants", c.participants());
        m.put("conference_sizes", ConferenceSizeBuckets.of(c.conferenceSizes()));
        m.put("endpoint_pairs", c.endpointPairs());
        m.put("bridge_selector", selector);
        m.put("threads", ProcessMetrics.threads());
        Map<String, Object> jingle = jingle();
        if (jingle != null) {
            m.put("jingle", jingle);
        }
        m.put("version", FocusVersion.implementationVersion());
        HealthStatus.Result h = health.check();
        m.put("healthy", h.healthy());
        Map<String, Object> hj = new LinkedHashMap<>();
        hj.put("success", h.healthy());
        hj.put("hardFailure", !h.healthy());
        hj.put("sticky", false);
        hj.put("message", h.reason());
        m.put("health", hj);
        return m;
    }

    /**
     * Jicofo's {@code jingle}: {@code {"sent": {"SESSION_INITIATE": n, ...}, "received": {...}}}, the actions that
     * happened at least once; null when the signalling's counters are not registered.
     */
    private Map<String, Object> jingle() {
        Map<String, Object> sent = new LinkedHashMap<>();
        Map<String, Object> received = new LinkedHashMap<>();
        boolean registered = false;
        for (JingleAction a : JingleAction.values()) {
            String base = "jitsi_jicofo_jingle_" + a.name().toLowerCase(Locale.ROOT);
            Double s = registry.getSampleValue(base + "_sent_total");
            Double r = registry.getSampleValue(base + "_received_total");
            registered |= s != null || r != null;
            if (s != null && s > 0) {
                sent.put(a.name(), s.longValue());
            }
            if (r != null && r > 0) {
                received.put(a.name(), r.longValue());
            }
        }
        if (!registered) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", sent);
        m.put("received", received);
        return m;
    }

    private void putSample(Map<String, Object> m, String key, String sample) {
        Double v = registry.getSampleValue(sample);
        if (v != null) {
            m.put(key, v.longValue());
        }
    }

    Reply metrics(String accept) throws java.io.IOException {
        if (accept != null && accept.strip().toLowerCase(Locale.ROOT).startsWith(JSON)) {
            return Reply.ok(MetricsJson.of(registry.metricFamilySamples()));
        }
        String contentType = TextFormat.chooseContentType(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            TextFormat.writeFormat(contentType, w, registry.metricFamilySamples());
        }
        return new Reply(200, contentType, out.toByteArray(), Map.of());
    }
}
