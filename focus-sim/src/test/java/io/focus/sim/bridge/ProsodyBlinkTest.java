package io.focus.sim.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.focus.sim.BreweryObserver;
import io.focus.sim.prosody.ProsodyExtension;

/** A Prosody restart on the same port: the bridge reconnects, rejoins and keeps its conferences, like a real JVB. */
class ProsodyBlinkTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void bridgeRejoinsAfterProsodyRestartKeepingItsModel() throws Exception {
        try (SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb1").region("us-east"))) {
            try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus")) {
                await().until(() -> focus.stats.containsKey("jvb1"));
                focus.request(jvb.occupantJid(), org.jivesoftware.smack.packet.IQ.Type.get, "conference-modify",
                        ColibriModel.NS, java.util.Map.of("meeting-id", "m", "create", "true"),
                        "<endpoint id='e1' create='true'><transport ice-controlling='true'/></endpoint>", Duration.ofSeconds(5));
            }
            assertEquals(Set.of("e1"), jvb.model().endpoints());
            prosody.server().restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> jvb.state() == SimBridge.State.JOINED);
            try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus2")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(focus.stat("jvb1", "local_endpoints")));
            }
            assertEquals(Set.of("e1"), jvb.model().endpoints());
        }
    }
}
