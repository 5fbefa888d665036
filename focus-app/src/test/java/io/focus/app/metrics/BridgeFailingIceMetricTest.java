package io.focus.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeStats;
import io.focus.health.registry.BridgeRegistry;
import io.focus.health.registry.IceFailureSettings;
import io.focus.health.registry.RegistrySettings;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.loop.EventLoops;

/** Jicofo's jitsi_jicofo_bridge_failing_ice{jvb}: 1 while the registry says the bridge is failing ICE. */
class BridgeFailingIceMetricTest {
    static final String B1 = "jvbbrewery@internal.auth.meet.test/jvb1";

    final BridgeRegistry bridges = new BridgeRegistry(
            new RegistrySettings(0.01, Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofHours(1)),
            SuspectSettings.defaults(),
            Clock.systemUTC(), EventLoops.unregistered());
    final CollectorRegistry registry = new CollectorRegistry();
    final BridgeMetrics metrics = new BridgeMetrics(bridges, registry);

    @AfterEach
    void tearDown() { bridges.close(); }

    double failingIce() {
        return registry.getSampleValue("jitsi_jicofo_bridge_failing_ice", new String[] {"jvb"}, new String[] {"jvb1"});
    }

    @Test
    void theGaugeFollowsTheRegistry() throws Exception {
        bridges.setIceFailureDetection(IceFailureSettings.fromConfig(ConfigFactory.parseString("""
                jicofo.bridge.ice-failure-detection { enabled = true, min-endpoints = 10, threshold = 0.2 }
                """)));
        bridges.onStats(B1, new BridgeStats(Map.of("stress_level", "0.1")));
        for (int i = 0; i < 10; i++) {
            bridges.endpointAdded(B1);
        }
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(0.0, failingIce());
        for (int i = 0; i < 3; i++) {
            bridges.participantTrouble(B1, "room@conference.meet.test/ep" + i);
        }
        bridges.flush().get(5, TimeUnit.SECONDS);
        assertEquals(1.0, failingIce(), "3 restart requests > 10 endpoints x 0.2");
    }
}
