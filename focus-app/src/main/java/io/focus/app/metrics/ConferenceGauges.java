package io.focus.app.metrics;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.focus.app.spi.ConferenceStats;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;

/**
 * Jicofo's conference gauges, read from the conferences' views at scrape time (so they are never stale and need no
 * timer): {@code jitsi_jicofo_conferences}, {@code _participants_current}, {@code _largest_conference} and
 * {@code _participants_pairs}. A participant counts from the moment it is in the room, placed or not (Jicofo counts
 * endpoints with a bridge allocation, and a conference with none as one).
 */
@Singleton
public final class ConferenceGauges extends Collector {
    private final ConferenceStats conferences;

    @Inject
    public ConferenceGauges(ConferenceStats conferences, CollectorRegistry registry) {
        this.conferences = conferences;
        register(registry);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        ConferenceStats.Counts c = conferences.counts();
        return List.of(
                new GaugeMetricFamily("jitsi_jicofo_conferences",
                        "Running count of conferences.", c.conferences()),
                new GaugeMetricFamily("jitsi_jicofo_participants_current",
                        "The current number of participants.", c.participants()),
                new GaugeMetricFamily("jitsi_jicofo_largest_conference",
                        "The current largest conference.", c.largestConference()),
                new GaugeMetricFamily("jitsi_jicofo_participants_pairs",
                        "The sum over conferences of the square of their size (Jicofo's value; its help text says "
                                + "n*(n-1)).", c.endpointPairs()));
    }
}
