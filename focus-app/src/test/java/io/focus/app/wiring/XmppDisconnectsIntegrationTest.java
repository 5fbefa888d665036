package io.focus.app.wiring;

import static io.focus.app.testing.TestFiles.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.config.ConfigLoader;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code jitsi_jicofo_xmpp_disconnects_total} counts the losses of the focus's connection to a real Prosody. */
class XmppDisconnectsIntegrationTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @TempDir Path dir;

    Double disconnects(CollectorRegistry r) {
        return r.getSampleValue("jitsi_jicofo_xmpp_disconnects_total");
    }

    @Test
    void aLostConnectionCountsAndAShutdownDoesNot() throws Exception {
        ProsodyServer s = prosody.server();
        Path file = write(dir, "jicofo.conf", String.join("\n",
                "jicofo.xmpp.client {",
                "  hostname = \"" + s.host() + "\", port = " + s.port(),
                "  xmpp-domain = \"" + s.domain() + "\", domain = \"" + s.authDomain() + "\"",
                "  username = \"" + ProsodyExtension.FOCUS_USER + "\", password = \"" + ProsodyExtension.FOCUS_PASSWORD + "\"",
                "  use-tls = false",
                "}",
                "jicofo.bridge.brewery-jid = \"" + s.breweryJid() + "\"",
                ""));
        CollectorRegistry registry = new CollectorRegistry();
        XmppService xmpp = new XmppService(ConfigLoader.standard().load(file).config(), registry, Clock.systemUTC(),
                new io.focus.core.loop.EventLoops(registry));
        try {
            xmpp.start();
            assertTrue(xmpp.clientConnected());
            assertEquals(0.0, disconnects(registry));

            xmpp.client().simulateConnectionLoss();
            await("the loss is counted").atMost(Duration.ofSeconds(10)).until(() -> disconnects(registry) == 1.0);
            await("and the focus is back").atMost(Duration.ofSeconds(20)).until(xmpp::clientConnected);
        } finally {
            xmpp.stop();
        }
        assertEquals(1.0, disconnects(registry), "closing on purpose is not a disconnect");
    }
}
