package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.testing.CallAssertions;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jicofo's automatic load redistribution through the daemon's wiring, a real Prosody and strict simulated bridges: a
 * call on a bridge whose stress rises past {@code jicofo.bridge.load-redistribution.stress-threshold} is moved to the
 * bridge below {@code jicofo.bridge.stress-threshold}, and carries media there.
 */
class LoadRedistributionE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    @Test
    void aCallOnAnOverloadedBridgeMovesToOneBelowTheThreshold() throws Exception {
        ProsodyServer server = prosody.server();
        for (String nick : List.of("jvb1", "jvb2")) {
            focus.bridge(SimBridgeOptions.forServer(server, nick).relayId(nick).statsInterval(Duration.ofSeconds(1)),
                    nick.equals("jvb1") ? 0.1 : 0.5);
        }
        focus.start(dir, DaemonFixture.jicofoConf(server, 0) + """
                jicofo.bridge.load-redistribution { enabled = true, interval = 1 second, endpoints = 1, timeout = 0 s }
                """);
        Rest rest = focus.awaitBridges("jvb1", "jvb2");
        List<SimBridge> bridges = focus.bridges();
        List<SimParticipant> participants = focus.participants();

        String room = "busy@" + server.conferenceMucDomain();
        focus.join(server, room, null, "a1a1a1a1", "b2b2b2b2");
        await("placed on jvb1").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("a1a1a1a1", "jvb1", "b2b2b2b2", "jvb1")));
        CallAssertions.call(room).on(bridges.get(0), participants).andNothingOn(bridges.get(1)).await();

        // jvb1 gets busy (from other load), jvb2 quiet: one endpoint a second leaves jvb1; without Octo the
        // conference cannot span two bridges, so it moves as a whole
        bridges.get(1).setStress(0.3);
        bridges.get(0).setStress(0.95);
        await("moved to jvb2").atMost(Duration.ofSeconds(30)).until(() ->
                rest.placement(room).equals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb2")));
        CallAssertions.call(room).on(bridges.get(1), participants).await();
        CollectorRegistry metrics = focus.get(CollectorRegistry.class);
        Double moved = metrics.getSampleValue("jitsi_jicofo_load_redistributor_endpoints_moved_total");
        assertTrue(moved != null && moved >= 2, "counted: " + moved);
    }
}
