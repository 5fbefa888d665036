package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.wiring.ReloadableSelector;
import io.focus.app.wiring.XmppService;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon (in this JVM, through {@link Main.Daemon} and the production injector) against a Prosody that requires
 * TLS with a self-signed certificate made by the test and has stream management on: with
 * {@code disable-certificate-verification = true} and {@code focus.xmpp.use-stream-management = true} the focus
 * connects over TLS with XEP-0198 enabled, discovers the bridges and places a conference. A reload (as SIGHUP does)
 * then switches the selection strategy for the next decisions.
 */
class TlsDaemonE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults().withTls(true).withStreamManagement(true));

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    @Test
    void connectsOverTlsWithStreamManagementAndServesConferences() throws Exception {
        ProsodyServer server = prosody.server();
        String conf = DaemonFixture.jicofoConf(server, 0)
                .replace("use-tls = false", "use-tls = true\n    disable-certificate-verification = true")
                + "focus.xmpp.use-stream-management = true\n";
        Path file = dir.resolve("jicofo.conf");
        SimBridge jvb1 = focus.bridge(server, "jvb1", 0.2);
        SimBridge jvb2 = focus.bridge(server, "jvb2", 0.4);

        focus.start(dir, conf);
        XMPPTCPConnection client = focus.get(XmppService.class).client().connection();
        assertTrue(client.isAuthenticated(), "logged in");
        assertTrue(client.isSecureConnection(), "over TLS");
        assertTrue(client.isSmEnabled(), "stream management enabled");

        Rest rest = focus.awaitBridges("jvb1", "jvb2");
        assertEquals(200, rest.get("/about/health").status());

        String room = "tls-room@" + server.conferenceMucDomain();
        List<SimParticipant> participants = focus.join(server, room, "eu-west", "dave", "erin");
        await("placed").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("dave", "jvb1", "erin", "jvb1")));
        assertEquals(Set.of("dave", "erin"), jvb1.model().endpoints());
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2).await();

        // reload (SIGHUP / POST /config/reload) applies a new strategy to the next decisions
        ReloadableSelector selector = focus.get(ReloadableSelector.class);
        assertEquals("least-stress", selector.strategyName());
        Files.writeString(file, conf.replace("selection-strategy = SingleBridgeSelectionStrategy",
                "selection-strategy = round-robin"), StandardCharsets.UTF_8);
        Rest.Reply reload = rest.post("/config/reload", "");
        assertEquals(200, reload.status(), reload::body);
        assertEquals("round-robin", selector.strategyName());
        String metrics = rest.get("/metrics").body();
        assertTrue(metrics.contains("focus_selections_total{strategy=\"least-stress\",outcome=\"selected\",} 2.0"), metrics);
        assertTrue(metrics.contains("focus_selections_total{strategy=\"round-robin\",outcome=\"selected\",} 0.0"), metrics);
        // a bad reload keeps the running configuration
        Files.writeString(file, conf.replace("selection-strategy = SingleBridgeSelectionStrategy",
                "selection-strategy = NoSuchStrategy"), StandardCharsets.UTF_8);
        Rest.Reply refused = rest.post("/config/reload", "");
        assertEquals(500, refused.status(), refused::body);
        assertTrue(refused.body().contains("NoSuchStrategy"), refused::body);
        assertEquals("round-robin", selector.strategyName());
    }
}
