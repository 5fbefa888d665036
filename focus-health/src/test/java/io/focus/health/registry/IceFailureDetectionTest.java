package io.focus.health.registry;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.focus.core.loop.EventLoops;

/** Jicofo's ICE-failure detection in the registry, on a fake clock. */
class IceFailureDetectionTest {
    static final String JVB1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String JVB2 = "jvbbrewery@internal.auth.meet.test/jvb2";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    // suspicion out of the way: it takes 1000 distinct participants within 1 s
    final BridgeRegistry registry = new BridgeRegistry(new RegistrySettings(0.01, Duration.ofSeconds(20),
            Duration.ofMinutes(1), Duration.ofHours(1)), new SuspectSettings(Duration.ofSeconds(3), Duration.ofSeconds(1),
            1000, Duration.ofSeconds(1), 1.5, Duration.ofHours(1)), clock, EventLoops.unregistered());

    /** Jicofo's defaults, enabled: 2 min window, >= 30 endpoints, > 10 % restart requests, 10 min. */
    static IceFailureSettings jicofo() {
        return IceFailureSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.ice-failure-detection.enabled = true"));
    }

    @AfterEach
    void tearDown() { registry.close(); }

    void sync() throws Exception { registry.flush().get(5, TimeUnit.SECONDS); }

    BridgeState jvb1() { return registry.snapshot().get(JVB1); }

    void bridgeWithEndpoints(String id, int n) throws Exception {
        registry.onStats(id, new BridgeStats(Map.of("stress_level", "0.1")));
        for (int i = 0; i < n; i++) {
            registry.endpointAdded(id);
        }
        sync();
    }

    void restarts(String id, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            registry.participantTrouble(id, "room@conference.meet.test/ep" + i);
        }
        sync();
    }

    @Test
    void theDefaultsAreJicofosAndOff() {
        IceFailureSettings d = IceFailureSettings.defaults();
        assertEquals(new IceFailureSettings(false, Duration.ofMinutes(2), 30, 0.1, Duration.ofMinutes(10)), d);
        assertTrue(jicofo().enabled());
    }

    @Test
    void moreRestartRequestsThanTheThresholdOfEndpointsMarkTheBridgeForTheTimeout() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 40);
        bridgeWithEndpoints(JVB2, 40);
        restarts(JVB1, 4);
        assertFalse(jvb1().failingIce(), "4 of 40 is not more than 10 %");
        restarts(JVB1, 1);
        assertTrue(jvb1().failingIce(), "5 of 40 is");
        assertFalse(registry.snapshot().get(JVB2).failingIce());

        clock.advance(Duration.ofMinutes(9));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(jvb1().failingIce(), "for timeout = 10 minutes");
        clock.advance(Duration.ofMinutes(1));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(jvb1().failingIce(), "and no longer");
    }

    @Test
    void requestsOutsideTheIntervalDoNotCount() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 40);
        restarts(JVB1, 4);
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        restarts(JVB1, 4);
        assertFalse(jvb1().failingIce(), "4 + 4 requests, but never more than 4 within 2 minutes");
    }

    @Test
    void aRequestWhileTheConditionHoldsRenewsTheTimeout() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 40);
        restarts(JVB1, 5);
        clock.advance(Duration.ofMinutes(1));
        restarts(JVB1, 1); // 6 within the window: still more than 4
        clock.advance(Duration.ofMinutes(9).plusSeconds(30));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertTrue(jvb1().failingIce(), "renewed one minute later");
        clock.advance(Duration.ofSeconds(30));
        registry.refresh().get(5, TimeUnit.SECONDS);
        assertFalse(jvb1().failingIce());
    }

    @Test
    void fewerEndpointsThanTheMinimumNeverFail() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 29);
        restarts(JVB1, 29);
        assertFalse(jvb1().failingIce(), "29 endpoints < min-endpoints 30, whatever the rate");
    }

    @Test
    void offByDefault() throws Exception {
        bridgeWithEndpoints(JVB1, 40);
        restarts(JVB1, 40);
        assertFalse(jvb1().failingIce());
    }

    @Test
    void turningItOffOnReloadClearsTheState() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 40);
        restarts(JVB1, 5);
        assertTrue(jvb1().failingIce());
        registry.setIceFailureDetection(IceFailureSettings.defaults());
        sync();
        assertFalse(jvb1().failingIce());
    }

    @Test
    void aRestartedBridgeStartsAfresh() throws Exception {
        registry.setIceFailureDetection(jicofo());
        bridgeWithEndpoints(JVB1, 40);
        restarts(JVB1, 5);
        registry.bridgeRestarted(JVB1, "test");
        sync();
        assertFalse(jvb1().failingIce());
    }

    @Test
    void badValuesNameTheirKey() {
        var e = assertThrows(ConfigException.class, () -> IceFailureSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.ice-failure-detection.threshold = -0.5")));
        assertTrue(e.getMessage().contains("jicofo.bridge.ice-failure-detection.threshold"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> IceFailureSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.bridge.ice-failure-detection.interval = 0 s")));
        assertTrue(e.getMessage().contains("jicofo.bridge.ice-failure-detection.interval"), e.getMessage());
    }
}
