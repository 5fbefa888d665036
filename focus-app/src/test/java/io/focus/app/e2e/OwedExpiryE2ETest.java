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
 * Issue 13: a call moved off a hung bridge must not stay on it once it answers again. The daemon's wiring, a real
 * Prosody, strict simulated bridges and participants: jvb1 hangs (connected, silent, keeping its conferences), the
 * focus moves the call to jvb2, and its expire of the conference on jvb1 goes unanswered (owed). When jvb1 answers
 * again the owed expire is sent again: jvb1 holds nothing of the call, and the call is complete on jvb2.
 */
class OwedExpiryE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    @Test
    void aCallMovedOffAHungBridgeIsExpiredThereWhenItAnswersAgain() throws Exception {
        ProsodyServer server = prosody.server();
        SimBridge jvb1 = focus.bridge(SimBridgeOptions.forServer(server, "jvb1").relayId("jvb1")
                .statsInterval(Duration.ofSeconds(1)), 0.1);
        SimBridge jvb2 = focus.bridge(SimBridgeOptions.forServer(server, "jvb2").relayId("jvb2")
                .statsInterval(Duration.ofSeconds(1)), 0.5);
        // a short Colibri2 reply timeout: the expire sent to the hung bridge fails (is owed) within the test
        focus.start(dir, DaemonFixture.jicofoConf(server, 0) + "jicofo.xmpp.client.reply-timeout = 4 seconds\n");
        Rest rest = focus.awaitBridges("jvb1", "jvb2");
        CollectorRegistry metrics = focus.get(CollectorRegistry.class);

        String room = "moved@" + server.conferenceMucDomain();
        List<SimParticipant> participants = focus.join(server, room, null, "a1a1a1a1", "b2b2b2b2");
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await();

        jvb1.hang();
        await("moved to jvb2").atMost(Duration.ofSeconds(30)).until(() ->
                rest.placement(room).equals(Map.of("a1a1a1a1", "jvb2", "b2b2b2b2", "jvb2")));
        CallAssertions.call(room).on(jvb2, participants).await();
        await("the expire on jvb1 unanswered: owed").atMost(Duration.ofSeconds(20))
                .until(() -> outcome(metrics, "owed") >= 1);
        assertTrue(jvb1.model().conferenceNamed(room).isPresent(), "the hung bridge never saw the expire");

        jvb1.rejoin();
        // the far end: the resumed bridge holds no conference nor endpoint of the call; the call is whole on jvb2
        await("jvb1 holds nothing of the call").atMost(Duration.ofSeconds(30)).until(() ->
                jvb1.model().conferenceNamed(room).isEmpty() && jvb1.model().endpoints().isEmpty());
        CallAssertions.call(room).on(jvb2, participants).andNothingOn(jvb1).await();
        assertTrue(outcome(metrics, "settled") >= 1, "counted as settled");
    }

    static double outcome(CollectorRegistry metrics, String outcome) {
        Double v = metrics.getSampleValue("focus_owed_expiries_total", new String[] {"outcome"},
                new String[] {outcome});
        return v == null ? 0 : v;
    }
}
