package io.focus.app.wiring;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exposes the collectors of several generations of one component as one set of metrics, so a component that
 * registers its own counters in its constructor (the selector, the health doctor) can be rebuilt on reload without
 * registering the same names twice in the app's registry and without its counters going back to zero.
 *
 * <p>Each generation registers into a private {@link CollectorRegistry} ({@link #newGeneration()}); once it is live,
 * {@link #add} it. At scrape time counters, histograms and summaries are summed over every generation (an old
 * generation keeps its final values), {@code _created} samples keep the earliest value, and gauges come from the
 * newest generation that has them.
 */
public final class MergedCollector extends Collector {
    private final List<CollectorRegistry> generations = new CopyOnWriteArrayList<>();

    /** A registry for the next generation (not yet exposed). */
    public static CollectorRegistry newGeneration() {
        return new CollectorRegistry(true);
    }

    /** Exposes a generation's metrics from now on. */
    public void add(CollectorRegistry generation) {
        generations.add(generation);
    }

    public int generations() { return generations.size(); }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        for (CollectorRegistry g : generations) {
            Enumeration<MetricFamilySamples> e = g.metricFamilySamples();
            while (e.hasMoreElements()) {
                MetricFamilySamples f = e.nextElement();
                Family merged = families.computeIfAbsent(f.name, n -> new Family(f));
                merged.merge(f);
            }
        }
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (Family f : families.values()) {
            out.add(new MetricFamilySamples(f.name, f.unit, f.type, f.help, new ArrayList<>(f.samples.values())));
        }
        return out;
    }

    private static final class Family {
        final String name;
        final String unit;
        final Type type;
        final String help;
        final Map<List<String>, MetricFamilySamples.Sample> samples = new LinkedHashMap<>();

        Family(MetricFamilySamples f) {
            this.name = f.name;
            this.unit = f.unit;
            this.type = f.type;
            this.help = f.help;
        }

        void merge(MetricFamilySamples f) {
            boolean additive = type == Type.COUNTER || type == Type.HISTOGRAM || type == Type.SUMMARY;
            for (MetricFamilySamples.Sample s : f.samples) {
                List<String> key = new ArrayList<>(s.labelValues.size() + s.labelNames.size() + 1);
                key.add(s.name);
                key.addAll(s.labelNames);
                key.addAll(s.labelValues);
                MetricFamilySamples.Sample old = samples.get(key);
                if (old == null || !additive) {
                    samples.put(key, s);
                } else if (s.name.endsWith("_created")) {
                    if (s.value < old.value) {
                        samples.put(key, s);
                    }
                } else if (type == Type.SUMMARY && !s.labelNames.isEmpty() && s.labelNames.contains("quantile")) {
                    samples.put(key, s);  // quantiles cannot be summed: the newest generation's
                } else {
                    samples.put(key, new MetricFamilySamples.Sample(s.name, s.labelNames, s.labelValues,
                            old.value + s.value));
                }
            }
        }
    }
}
