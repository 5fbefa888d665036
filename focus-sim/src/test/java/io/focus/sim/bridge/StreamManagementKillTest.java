package io.focus.sim.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.focus.sim.BreweryObserver;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;

/**
 * A Prosody with stream management and a hibernation time on {@code auth.<domain>}, as stock Jitsi installs have it:
 * a bridge with stream management that is killed stays in the brewery, unanswering, until the hibernation time is
 * over (real-call recordings, sequence d); one without it that crashes is gone at once.
 */
class StreamManagementKillTest {
    static final Duration HIBERNATION = Duration.ofSeconds(3);

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults().withStreamManagement(true)
            .withAuthHibernationTime(HIBERNATION));

    @Test
    void theHibernationTimeIsWrittenForTheAuthDomain() throws Exception {
        String config = Files.readString(prosody.server().configFile());
        int auth = config.indexOf("VirtualHost \"auth." + prosody.domain() + "\"");
        int setting = config.indexOf("smacks_hibernation_time = 3");
        assertTrue(auth >= 0 && setting > auth, config);
        assertTrue(config.contains("\"smacks\""), config);
    }

    @Test
    void aKilledBridgeWithStreamManagementStaysInTheBreweryUntilTheHibernationTimeIsOver() throws Exception {
        try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus-k");
             SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvbk")
                     .streamManagement(true))) {
            await().until(() -> focus.stats.containsKey("jvbk"));
            assertThrows(IllegalStateException.class, jvb::crash, "crash() would not end an SM session at once");

            long killed = System.nanoTime();
            jvb.kill();
            assertEquals(SimBridge.State.CRASHED, jvb.state());
            // hibernating: a health check is queued for the dead session, never answered ...
            assertNull(focus.request(jvb.occupantJid(), IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS, Map.of(), "",
                    Duration.ofMillis(500)));
            // ... and the bridge is still an occupant of the brewery well into the hibernation time
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2))
                    .until(() -> !focus.unavailable.contains("jvbk"));
            assertTrue(focus.brewery.getOccupants().stream().anyMatch(j -> j.getResourceOrEmpty().toString()
                    .equals("jvbk")), "still listed as an occupant");

            await().atMost(HIBERNATION.plusSeconds(10)).until(() -> focus.unavailable.contains("jvbk"));
            long after = System.nanoTime() - killed;
            assertTrue(after >= HIBERNATION.toNanos() - 100_000_000L,
                    "left after " + after / 1_000_000 + " ms, before the hibernation time " + HIBERNATION);
        }
    }

    @Test
    void aCrashedBridgeWithoutStreamManagementIsGoneAtOnce() throws Exception {
        try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus-c");
             SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvbc"))) {
            await().until(() -> focus.stats.containsKey("jvbc"));
            assertThrows(IllegalStateException.class, jvb::kill, "nothing to hibernate without SM");
            long crashed = System.nanoTime();
            jvb.crash();
            await().atMost(HIBERNATION.minusSeconds(1)).until(() -> focus.unavailable.contains("jvbc"));
            assertTrue(System.nanoTime() - crashed < HIBERNATION.toNanos());
        }
    }

    @Test
    void aHibernationTimeWithoutStreamManagementIsRefused() {
        ProsodyOptions o = ProsodyOptions.defaults().withAuthHibernationTime(Duration.ofSeconds(15));
        assertThrows(IllegalArgumentException.class, () -> ProsodyServer.start(o));
        assertThrows(IllegalArgumentException.class, () -> o.withAuthHibernationTime(Duration.ofMillis(1500)));
        assertFalse(o.streamManagement());
    }
}
