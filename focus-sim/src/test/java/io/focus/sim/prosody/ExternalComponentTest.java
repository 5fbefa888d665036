package io.focus.sim.prosody;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

import io.focus.sim.BreweryObserver;
import io.focus.sim.xml.Xml;

/**
 * What this Prosody (0.12) answers for an external component bridge: the IQ is forwarded while the component is
 * connected, and bounced by Prosody itself before it connects and after it disconnected.
 */
class ExternalComponentTest {
    static final String SECRET = "s3cret";

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension(ProsodyOptions.defaults()
            .withExternalComponents(Map.of("jvb1.meet.test", SECRET)));

    @Test
    void aComponentIsBouncedWhileNotConnectedAndReachedWhileConnected() throws Exception {
        ProsodyServer s = prosody.server();
        String config = Files.readString(s.configFile());
        assertTrue(config.contains("Component \"jvb1.meet.test\"\n    component_secret = \"" + SECRET + "\""), config);
        assertTrue(config.contains("component_ports = { " + s.componentPort() + " }"), config);
        try (BreweryObserver client = new BreweryObserver(s, "client")) {
            assertNotConnectedBounce(healthCheck(client), "never connected");

            try (ExternalComponent jvb1 = ExternalComponent.connect(s, "jvb1.meet.test", SECRET)) {
                assertEquals("result", healthCheck(client).getAttribute("type"));
                assertEquals(1, jvb1.iqsAnswered());

                jvb1.disconnect();
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(s.logFile())
                        .contains("component disconnected: jvb1.meet.test"));
                assertNotConnectedBounce(healthCheck(client), "disconnected");
            }
        }
    }

    private static Element healthCheck(BreweryObserver client) throws Exception {
        Element reply = client.request("jvb1.meet.test", IQ.Type.get, "healthcheck",
                "http://jitsi.org/protocol/healthcheck", Map.of(), "", Duration.ofSeconds(5));
        assertNotNull(reply, "no reply");
        return reply;
    }

    /** As in issue 13: remote-server-timeout "Component unavailable" with Prosody's not-connected, from the component. */
    private static void assertNotConnectedBounce(Element reply, String when) {
        String xml = Xml.toString(reply);
        assertEquals("error", reply.getAttribute("type"), when + ": " + xml);
        assertEquals("jvb1.meet.test", reply.getAttribute("from"), when + ": " + xml);
        Element error = Xml.child(reply, "error").orElseThrow();
        assertEquals("wait", error.getAttribute("type"), xml);
        assertTrue(Xml.child(error, "remote-server-timeout", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), xml);
        assertEquals("Component unavailable", Xml.child(error, "text").orElseThrow().getTextContent(), xml);
        assertTrue(Xml.child(error, "not-connected", "xmpp:prosody.im/protocol/component").isPresent(), xml);
    }
}
