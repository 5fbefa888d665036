package io.focus.sim.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

import io.focus.sim.BreweryObserver;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;

/** The legacy setup: stats as pubsub items, IQs to the bridge's own JID. */
class PubsubModeTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void statsArePublishedAsItemsAndIqsToTheOwnJidAreAnswered() throws Exception {
        ProsodyServer s = prosody.server();
        try (SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(s, "jvb1").region("us-east")
                .pubsub(s.pubsubDomain(), "sharedStatsNode"));
             BreweryObserver focus = new BreweryObserver(s, "focus")) {
            XMPPTCPConnection c = focus.connection;
            List<String> events = new CopyOnWriteArrayList<>();
            c.addAsyncStanzaListener(st -> events.add(st.toXML().toString()),
                    st -> st instanceof Message && st.getFrom() != null && st.getFrom().toString().equals(s.pubsubDomain()));
            PubSubManager mgr = PubSubManager.getInstanceFor(c, JidCreate.bareFrom(s.pubsubDomain()));
            LeafNode node = mgr.getLeafNode("sharedStatsNode");
            node.subscribe(c.getUser().asEntityBareJidOrThrow());

            jvb.setStress(0.42);
            await().until(() -> events.stream().anyMatch(e -> e.contains("stress_level") && e.contains("0.42")));
            String event = events.stream().filter(e -> e.contains("0.42")).findFirst().orElseThrow();
            assertTrue(event.contains("sharedStatsNode"));
            assertTrue(event.contains(jvb.jid()), "item id / publisher is the bridge's JID: " + event);
            assertTrue(event.contains("us-east"));

            assertEquals("result", focus.request(jvb.jid(), IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS, Map.of(), "",
                    Duration.ofSeconds(5)).getAttribute("type"));
            assertEquals("result", focus.request(jvb.jid(), IQ.Type.get, "conference-modify", ColibriModel.NS,
                    Map.of("meeting-id", "p1", "create", "true"), "<endpoint id='x' create='true'><transport ice-controlling='true'/></endpoint>", Duration.ofSeconds(5))
                    .getAttribute("type"));
            assertEquals(1, jvb.model().endpointCount());
        }
    }
}
