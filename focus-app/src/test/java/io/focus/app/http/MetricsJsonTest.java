package io.focus.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form of the registry: Jicofo's names without the namespace, our own as they are, labels nested. */
class MetricsJsonTest {
    static JsonNode json(CollectorRegistry r) throws Exception {
        Map<String, Object> m = MetricsJson.of(r.metricFamilySamples());
        return Json.MAPPER.readTree(Json.write(m));
    }

    @Test
    void namesValuesAndNesting() throws Exception {
        CollectorRegistry r = new CollectorRegistry();
        Counter.build("jitsi_jicofo_participants_moved", "h").register(r).inc(3);
        Gauge.build("jitsi_jicofo_healthy", "h").register(r).set(0);
        Gauge.build("focus_bridge_stress", "h").labelNames("jvb").register(r).labels("jvb1").set(0.25);
        Counter.build("focus_selections", "h").labelNames("strategy", "outcome").register(r)
                .labels("least-stress", "none").inc();
        Histogram h = Histogram.build("focus_health_check_seconds", "h").buckets(0.1, 1).register(r);
        h.observe(0.05);
        JsonNode j = json(r);
        assertEquals(3, j.get("participants_moved_total").asInt());
        assertTrue(j.get("participants_moved_total").isIntegralNumber());
        assertFalse(j.get("healthy").asBoolean());
        assertTrue(j.get("healthy").isBoolean());
        assertEquals(0.25, j.get("focus_bridge_stress").get("jvb1").asDouble());
        assertEquals(1, j.get("focus_selections_total").get("least-stress").get("none").asInt());
        assertEquals(1, j.get("focus_health_check_seconds_bucket").get("0.1").asInt());
        assertEquals(1, j.get("focus_health_check_seconds_bucket").get("+Inf").asInt());
        assertEquals(1, j.get("focus_health_check_seconds_count").asInt());
        assertFalse(j.has("participants_moved_created"));
        assertFalse(j.has("focus_health_check_seconds_created"));
    }

    @Test
    void theJvmCollectorsTheDaemonRegistersFitTheShape() throws Exception {
        CollectorRegistry r = new CollectorRegistry();
        DefaultExports.register(r);
        JsonNode j = json(r);
        assertTrue(j.get("jvm_threads_current").asInt() > 0, j.toString());
        assertTrue(j.get("jvm_memory_bytes_used").has("heap"), j.toString());
    }
}
