package io.focus.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeStats;
import io.focus.health.registry.RegistrySettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.loop.EventLoops;

/** The per-bridge gauges follow the registry: a bridge's series exist while it is known and go when it leaves. */
class BridgeMetricsTest {
    static final String B1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String B2 = "jvbbrewery@internal.auth.meet.test/jvb2";

    final BridgeRegistry bridges = new BridgeRegistry(
            new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofHours(1)),
            SuspectSettings.defaults(),
            Clock.systemUTC(), EventLoops.unregistered());
    final CollectorRegistry registry = new CollectorRegistry();
    final BridgeMetrics metrics = new BridgeMetrics(bridges, registry);

    @AfterEach
    void tearDown() {
        bridges.close();
    }

    /** Whether any sample of any metric carries the bridge nick as a label value. */
    boolean hasSeries(String nick) {
        return Collections.list(registry.metricFamilySamples()).stream()
                .flatMap(f -> f.samples.stream())
                .anyMatch(s -> s.labelValues.contains(nick));
    }

    @Test
    void aBridgesSeriesGoWhenItLeavesTheRegistry() throws Exception {
        bridges.onStats(B1, new BridgeStats(Map.of("stress_level", "0.1")));
        bridges.onStats(B2, new BridgeStats(Map.of("stress_level", "0.2")));
        bridges.flush().get(5, TimeUnit.SECONDS);
        bridges.endpointAdded(B1);
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(1.0, registry.getSampleValue("jitsi_jicofo_bridge_endpoints", new String[] {"jvb"},
                new String[] {"jvb1"}));
        assertEquals(1.0, registry.getSampleValue("focus_bridge_state", new String[] {"jvb", "state"},
                new String[] {"jvb1", "operational"}));
        assertTrue(hasSeries("jvb1"));

        bridges.onLeft(B1, "left the brewery");
        bridges.flush().get(5, TimeUnit.SECONDS);

        assertFalse(hasSeries("jvb1"), "no series of the removed bridge");
        assertTrue(hasSeries("jvb2"), "the other bridge keeps its series");
        assertEquals(1, metrics.lostBridges());
    }

    Double failingIce(String nick) {
        return registry.getSampleValue("jitsi_jicofo_bridge_failing_ice", new String[] {"jvb"}, new String[] {nick});
    }

    @Test
    void failingIceFollowsTheSuspicionRaisedByParticipantsIceTroubleAndGoesWithTheBridge() throws Exception {
        bridges.onStats(B1, new BridgeStats(Map.of("stress_level", "0.1")));
        bridges.onStats(B2, new BridgeStats(Map.of("stress_level", "0.2")));
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(0.0, failingIce("jvb1"));

        // one participant's trouble is not the bridge's; a second distinct one within ice-window is (defaults: 2, 10 s)
        bridges.participantTrouble(B1, "room@conference.meet.test/a");
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(0.0, failingIce("jvb1"));
        bridges.participantTrouble(B1, "room@conference.meet.test/b");
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(1.0, failingIce("jvb1"));
        assertEquals(0.0, failingIce("jvb2"));

        // an answer from the bridge clears the suspicion, and the state with it
        bridges.answered(B1, "health check");
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(0.0, failingIce("jvb1"));

        bridges.onLeft(B1, "left the brewery");
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertNull(failingIce("jvb1"), "no series of the removed bridge");
        assertEquals(0.0, failingIce("jvb2"));
    }
}
