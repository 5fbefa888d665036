package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.app.wiring.FocusConferences;
import io.focus.health.registry.BridgeRegistry;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measured failure: the focus asks for SCTP (jicofo.sctp.enabled defaults to true) and both bridges have none.
 * The real JVB answers feature-not-implemented "SCTP support is not configured" and creates the conference anyway
 * (real-call e-002); the simulated bridges do the same. The focus used to mark both bridges failed and enter PANIC.
 * Now the call is placed on the first bridge without SCTP, no bridge is failed, and the participants' allocations carry no
 * SCTP port (so their offers no data channel).
 */
class SctpRefusingBridgesE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    @Test
    void bridgesWithoutSctpCarryTheCallWithoutSctpAndStayHealthy() throws Exception {
        ProsodyServer server = prosody.server();
        for (String nick : List.of("jvb1", "jvb2")) {
            focus.bridge(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                    .statsInterval(Duration.ofSeconds(1)).sctpSupported(false), nick.equals("jvb1") ? 0.2 : 0.4);
        }
        focus.start(dir, DaemonFixture.jicofoConf(server, 0));
        Rest rest = focus.awaitBridges("jvb1", "jvb2");
        List<SimBridge> bridges = focus.bridges();
        List<SimParticipant> participants = focus.participants();

        String room = "nosctp@" + server.conferenceMucDomain();
        focus.join(server, room, "eu-west", "a1a1a1a1", "b2b2b2b2");

        await("placed").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("a1a1a1a1", "jvb1", "b2b2b2b2", "jvb1")));
        await("accepted").atMost(Duration.ofSeconds(20)).until(() -> participants.stream()
                .allMatch(p -> p.session() != null && p.session().accepted()));

        // The far end: the bridge has both endpoints (it refuses any <sctp>, so they were created without).
        SimBridge jvb1 = bridges.get(0);
        assertEquals(Set.of("a1a1a1a1", "b2b2b2b2"), jvb1.model().endpoints());
        assertEquals(1, jvb1.model().conferences().size());
        List<String> colibri = jvb1.requests();
        assertTrue(colibri.stream().anyMatch(x -> x.contains("<sctp")), "the focus first asked for SCTP");
        assertEquals(1, colibri.stream().filter(x -> x.matches("(?s).*<conference-modify[^>]*create=.true.*")).count(),
                "one conference create, never repeated: " + colibri);
        assertTrue(bridges.get(1).model().endpoints().isEmpty(), "nothing moved to jvb2");
        // and the call carries media without SCTP: connected endpoints with each other's sources at both ends
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(bridges.get(1)).await();

        // What the participants were offered follows the allocation: no SCTP port, so no data channel. (The
        // simulated participant does not expose the offer's contents, and Smack hands a handled IQ request to no
        // listener, so this is read on the focus side.)
        var view = focus.get(FocusConferences.class).manager().conference(room);
        for (SimParticipant p : participants) {
            assertNull(view.participant(p.endpointId()).allocation().sctpPort(), p.endpointId());
        }

        // Both bridges are healthy in the registry; the health doctor is not in panic.
        BridgeRegistry registry = focus.get(BridgeRegistry.class);
        assertTrue(registry.snapshot().find("jvb1").operational());
        assertTrue(registry.snapshot().find("jvb2").operational());
        assertFalse(focus.get(io.focus.app.wiring.HealthService.class).doctor().inPanic());
        CollectorRegistry metrics = focus.get(CollectorRegistry.class);
        assertEquals(2.0, metrics.getSampleValue("focus_colibri_sctp_fallbacks_total", new String[] {"request"},
                new String[] {"allocate"}));
        assertEquals(2.0, metrics.getSampleValue("focus_colibri_request_refused_total",
                new String[] {"request", "condition"}, new String[] {"allocate", "feature-not-implemented"}));
    }
}
