package io.focus.app;

import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard ({@code etc/grafana/focus-dashboard.json}) queries only metrics the focus exports:
 * the daemon is started as {@code Main} wires it (against a real Prosody, so every component has registered its
 * metrics, the health doctor's too), and every metric name in a panel query or a template variable must be one of its
 * registry's sample names. A renamed or removed metric fails here instead of leaving an empty panel.
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of(System.getProperty("focus.checkout.dir", ".."), "etc", "grafana",
            "focus-dashboard.json");
    /** What a metric name in a query starts with: ours, Jicofo's, the JVM's. */
    static final Pattern METRIC = Pattern.compile("\\b((?:jitsi_jicofo|focus|jvm|process)_[a-zA-Z0-9_:]*)");

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();
    @TempDir
    static Path dir;
    static Main.Daemon daemon;
    static Set<String> exported;

    @BeforeAll
    static void startTheDaemon() throws Exception {
        ProsodyServer s = prosody.server();
        Path file = write(dir, "jicofo.conf", String.join("\n",
                FocusClientConfig.hocon(s, ProsodyExtension.FOCUS_USER, ProsodyExtension.FOCUS_PASSWORD),
                "jicofo.rest { host = \"127.0.0.1\", port = 0 }",
                "focus.startup.brewery-timeout = 1 second",
                ""));
        ConfigLoader loader = ConfigLoader.standard();
        daemon = Main.Daemon.start(new ConfigHolder(loader.load(file), () -> loader.load(file)), Clock.systemUTC());
        exported = sampleNames(daemon.injector().getInstance(CollectorRegistry.class));
    }

    @AfterAll
    static void stopTheDaemon() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    /** Every sample name a family can have, whether or not it has samples yet (a labelled counter nobody moved). */
    static Set<String> sampleNames(CollectorRegistry registry) {
        Set<String> names = new TreeSet<>();
        for (MetricFamilySamples f : Collections.list(registry.metricFamilySamples())) {
            switch (f.type) {
                case COUNTER -> names.add(f.name + "_total");
                case HISTOGRAM -> names.addAll(List.of(f.name + "_bucket", f.name + "_count", f.name + "_sum"));
                case SUMMARY -> names.addAll(List.of(f.name, f.name + "_count", f.name + "_sum"));
                case INFO -> names.add(f.name + "_info");
                default -> names.add(f.name);
            }
            f.samples.forEach(x -> names.add(x.name));
        }
        return names;
    }

    /** The PromQL of every panel target and every template variable query. */
    static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText(""));
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            out.add(v.path("query").isObject() ? v.path("query").path("query").asText("") : v.path("query").asText(""));
        }
        return out;
    }

    static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheFocusExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> queries = queries(dashboard);
        assertTrue(queries.size() > 30, "the dashboard's queries were found: " + queries.size());
        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            Set<String> names = metricNames(q);
            assertFalse(names.isEmpty(), () -> "a query without a metric of the focus: '" + q + "'");
            used.addAll(names);
            names.stream().filter(n -> !exported.contains(n)).forEach(unknown::add);
        }
        assertEquals(Set.of(), unknown, () -> "queried but not exported; the focus exports " + exported);
        // the dashboard shows Jicofo's headline metrics, not only ours
        assertTrue(used.containsAll(Set.of("jitsi_jicofo_conferences", "jitsi_jicofo_participants_current",
                "jitsi_jicofo_bridge_endpoints", "jitsi_jicofo_participants_moved_total",
                "jitsi_jicofo_bridge_failing_ice", "jitsi_jicofo_xmpp_disconnects_total")), used::toString);
    }

    @Test
    void everyPanelHasAQueryAndATitle() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(p.path("title").asText("").isBlank(), p::toString);
            assertTrue(p.path("targets").size() > 0, () -> "no query in " + p.path("title"));
        }
    }

    @Test
    void theCheckCatchesANameTheFocusDoesNotExport() {
        assertEquals(Set.of("jitsi_jicofo_no_such_thing_total"),
                metricNames("sum by (jvb) (rate(jitsi_jicofo_no_such_thing_total{jvb=~\"$jvb\"}[5m]))"));
        assertFalse(exported.contains("jitsi_jicofo_no_such_thing_total"));
        assertTrue(exported.contains("focus_health_check_seconds_bucket"), "the health doctor's metrics are there");
    }
}
