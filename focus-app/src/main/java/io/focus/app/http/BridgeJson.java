package io.focus.app.http;

import io.focus.app.metrics.BridgeMetrics;
import io.focus.core.bridge.BridgeState;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bridge's full state as JSON, with Jicofo's debug-state key names where Jicofo has one. */
final class BridgeJson {
    private BridgeJson() {}

    static Map<String, Object> of(BridgeState b, double stressThreshold) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("nick", b.nick());
        m.put("region", b.region());
        m.put("relay-id", b.relayId());
        m.put("version", b.version());
        m.put("stress", b.reportedStress());
        m.put("corrected-stress", b.correctedStress());
        m.put("average-participant-stress", b.averageParticipantStress());
        m.put("recently-added-endpoints", b.recentlyAddedEndpoints());
        m.put("overloaded", b.correctedStress() >= stressThreshold);
        m.put("operational", b.operational());
        m.put("failing-ice", BridgeMetrics.failingIce(b));
        m.put("suspect", b.suspect());
        if (b.suspect()) {
            m.put("suspect-since", b.suspectSince() == null ? null : b.suspectSince().toString());
            m.put("suspect-reason", b.suspectReason());
        }
        m.put("healthy", b.healthy());
        m.put("drain", b.draining());
        m.put("drained-by-focus", b.drainedByFocus());
        m.put("graceful-shutdown", b.gracefulShutdown());
        m.put("shutting-down", b.shuttingDown());
        m.put("endpoints", b.endpoints());
        m.put("conferences", b.conferences());
        if (b.lastFailure() != null) {
            m.put("last-failure", b.lastFailure().toString());
            m.put("last-failure-reason", b.lastFailureReason());
        }
        return m;
    }
}
