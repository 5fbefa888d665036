package io.focus.app.http;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /metrics} with {@code Accept: application/json}, in Jicofo's shape: one flat object, metric name → value,
 * where Jicofo's metrics go by the name Jicofo's JSON uses (without the {@code jitsi_jicofo_} namespace; counters with
 * their {@code _total}, e.g. {@code "participants_moved_total": 3}, {@code "participants_current": 7}), its boolean
 * metrics are {@code true}/{@code false} and its version is the string ({@code "version": "1.0"}). Everything else
 * keeps its Prometheus sample name ({@code focus_*}, {@code jvm_*}, {@code process_*}). Integral values are integers.
 *
 * <p>Labelled series (which Jicofo leaves out of its JSON) are nested objects keyed by label value, one level per label
 * in the order the metric declares them: {@code "bridge_endpoints": {"jvb1": 4}},
 * {@code "focus_bridge_state": {"jvb1": {"operational": 1, ...}}}; a histogram's buckets nest under {@code le}.
 * {@code _created} samples (creation timestamps) are left out.
 */
final class MetricsJson {
    static final String JICOFO_PREFIX = "jitsi_jicofo_";
    /** Jicofo's boolean metrics: 0/1 in Prometheus, false/true in its JSON. */
    static final Set<String> BOOLEANS = Set.of("jitsi_jicofo_healthy", "jitsi_jicofo_bridge_failing_ice");

    private MetricsJson() {}

    static Map<String, Object> of(Enumeration<MetricFamilySamples> families) {
        Map<String, Object> out = new LinkedHashMap<>();
        while (families.hasMoreElements()) {
            MetricFamilySamples f = families.nextElement();
            if (f.type == Type.INFO && f.samples.size() == 1 && f.samples.get(0).labelValues.size() == 1) {
                out.put(key(f.name), f.samples.get(0).labelValues.get(0));
                continue;
            }
            boolean bool = BOOLEANS.contains(f.name);
            for (MetricFamilySamples.Sample s : f.samples) {
                if (s.name.endsWith("_created")) {
                    continue;
                }
                Object value = bool ? (Object) (s.value != 0) : number(s.value);
                put(out, key(s.name), s, value);
            }
        }
        return out;
    }

    private static String key(String name) {
        return name.startsWith(JICOFO_PREFIX) ? name.substring(JICOFO_PREFIX.length()) : name;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, String key, MetricFamilySamples.Sample s, Object value) {
        if (s.labelValues.isEmpty()) {
            out.put(key, value);
            return;
        }
        Map<String, Object> level = (Map<String, Object>) out.computeIfAbsent(key, k -> new LinkedHashMap<>());
        int last = s.labelValues.size() - 1;
        for (int i = 0; i < last; i++) {
            level = (Map<String, Object>) level.computeIfAbsent(s.labelValues.get(i), k -> new LinkedHashMap<>());
        }
        level.put(s.labelValues.get(last), value);
    }

    /** An integral value as a long (Jicofo's counters and gauges are longs), anything else as a double. */
    static Object number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return (long) v;
        }
        return v;
    }
}
