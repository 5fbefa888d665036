package io.focus.sim.bridge;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a simulated bridge says about itself in its stats, flipped on demand. Its control thread only. */
final class PublishedStats {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    double stress;
    double avgParticipantStress = 0.01;
    volatile String region;
    boolean drain;
    boolean gracefulShutdown;
    boolean shuttingDown;
    boolean healthyStat = true;
    Instant startedAt = Instant.now();
    final Map<String, String> overrides = new LinkedHashMap<>();

    PublishedStats(String region) {
        this.region = region;
    }

    /** The stats as they would be published now. */
    LinkedHashMap<String, String> build(ColibriModel model, ModelSnapshot snapshot, SimBridgeOptions o) {
        LinkedHashMap<String, String> s = StatsTemplate.defaults();
        int local = model.endpointCount();
        int relayed = model.relayedEndpointCount();
        s.put("stress_level", Double.toString(stress + local * o.stressPerEndpoint));
        s.put("average_participant_stress", Double.toString(avgParticipantStress));
        s.put("conferences", Integer.toString(model.conferenceCount()));
        s.put("octo_conferences", Integer.toString((int) snapshot.conferences().values().stream()
                .filter(c -> !c.relays().isEmpty()).count()));
        s.put("endpoints", Integer.toString(local + relayed));
        s.put("participants", Integer.toString(local + relayed));
        s.put("local_endpoints", Integer.toString(local));
        s.put("octo_endpoints", Integer.toString(relayed));
        s.put("largest_conference", Integer.toString(model.largestConference()));
        s.put("graceful_shutdown", Boolean.toString(gracefulShutdown));
        s.put("shutting_down", Boolean.toString(shuttingDown));
        s.put("drain", Boolean.toString(drain));
        s.put("current_timestamp", LocalDateTime.now().format(TS));
        s.put("relay_id", o.relayIdOrDefault());
        s.put("healthy", Boolean.toString(healthyStat));
        s.put("version", o.version);
        if (region != null) {
            s.put("region", region);
        } else {
            s.remove("region");
        }
        if (o.release != null) {
            s.put("release", o.release);
        }
        if (o.publishUptime) {
            s.put("uptime", Long.toString(Duration.between(startedAt, Instant.now()).toSeconds()));
        }
        s.putAll(overrides);
        return s;
    }
}
