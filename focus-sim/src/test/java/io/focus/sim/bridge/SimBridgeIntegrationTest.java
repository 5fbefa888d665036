package io.focus.sim.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

import io.focus.sim.BreweryObserver;
import io.focus.sim.Fixtures;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.Xml;

/** Simulated bridges against a real Prosody, observed by a raw Smack client in the brewery. */
class SimBridgeIntegrationTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    private static int counter;
    private BreweryObserver focus;
    private SimBridge jvb;
    private String nick;

    @BeforeEach
    void setUp() throws Exception {
        focus = new BreweryObserver(prosody.server(), "focus");
        nick = "jvb" + (++counter);
        jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), nick).region("eu-west")
                .statsInterval(Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        jvb.close();
        focus.close();
    }

    private Element colibri(String to, String meetingId, String attrs, String inner) throws Exception {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put("meeting-id", meetingId);
        for (String kv : attrs.split(" ")) {
            if (!kv.isBlank()) {
                a.put(kv.split("=")[0], kv.split("=")[1]);
            }
        }
        return focus.request(to, IQ.Type.get, "conference-modify", "jitsi:colibri2", a, inner, Duration.ofSeconds(5));
    }

    private static String condition(Element iq) {
        Element err = Xml.child(iq, "error").orElseThrow(() -> new AssertionError("not an error: " + Xml.toString(iq)));
        return Xml.children(err).get(0).getLocalName();
    }

    private static String colibriReason(Element iq) {
        Element err = Xml.child(iq, "error").orElseThrow();
        return Xml.child(err, "error", "jitsi:colibri2").map(e -> e.getAttribute("reason")).orElse(null);
    }

    @Test
    void statsReachAnotherOccupantAndFollowChanges() {
        await().until(() -> focus.stats.containsKey(nick));
        assertEquals("eu-west", focus.stat(nick, "region"));
        assertEquals(nick, focus.stat(nick, "relay_id"));
        assertEquals("false", focus.stat(nick, "graceful_shutdown"));
        assertEquals("true", focus.stat(nick, "healthy"));
        assertEquals("0", focus.stat(nick, "conferences"));
        // the published presence has the captured stats, in the captured order
        Element captured = Xml.child(Fixtures.stanza("jvb-stats-presence.xml"), "stats").orElseThrow();
        assertEquals(BreweryObserver.statNames(captured), BreweryObserver.statNames(focus.stats.get(nick)));

        jvb.setStress(0.73);
        await().until(() -> "0.73".equals(focus.stat(nick, "stress_level")));
        jvb.setDrain(true);
        jvb.setGracefulShutdown(true);
        jvb.setStat("version", "9.9.9");
        await().until(() -> "true".equals(focus.stat(nick, "drain")) && "true".equals(focus.stat(nick, "graceful_shutdown"))
                && "9.9.9".equals(focus.stat(nick, "version")));
        jvb.setStat("region", null);
        await().until(() -> focus.stat(nick, "region") == null);
        jvb.setStat("stress_level", "not-a-number");
        await().until(() -> "not-a-number".equals(focus.stat(nick, "stress_level")));
    }

    @Test
    void healthCheckRoundTrip() throws Exception {
        String to = jvb.occupantJid();
        String ns = SimBridge.HEALTH_NS;
        Element ok = focus.request(to, IQ.Type.get, "healthcheck", ns, Map.of(), "", Duration.ofSeconds(5));
        assertNotNull(ok);
        assertEquals("result", ok.getAttribute("type"));
        assertTrue(Xml.children(ok).isEmpty(), "a healthy answer is an empty result");

        jvb.setHealthMode(HealthMode.FAILING);
        Element failing = focus.request(to, IQ.Type.get, "healthcheck", ns, Map.of(), "", Duration.ofSeconds(5));
        assertEquals("error", failing.getAttribute("type"));
        assertEquals("internal-server-error", condition(failing));

        jvb.setHealthMode(HealthMode.HUNG);
        assertNull(focus.request(to, IQ.Type.get, "healthcheck", ns, Map.of(), "", Duration.ofMillis(700)));

        jvb.setHealthMode(HealthMode.HEALTHY);
        assertEquals("result", focus.request(to, IQ.Type.get, "healthcheck", ns, Map.of(), "", Duration.ofSeconds(5)).getAttribute("type"));
        assertEquals(4, jvb.healthChecks());
    }

    @Test
    void colibriCreateEndpointExpireRoundTripWithTheModel() throws Exception {
        String to = jvb.occupantJid();
        String m = "11111111-2222-4333-8444-555555555555";
        Element created = colibri(to, m, "name=room1@conference.meet.test create=true",
                "<endpoint id='ep1' create='true' stats-id='ep1-stats'><transport ice-controlling='true'/></endpoint>");
        assertEquals("result", created.getAttribute("type"), () -> Xml.toString(created));
        Element modified = Xml.child(created, "conference-modified", "jitsi:colibri2").orElseThrow();
        // Smack's UnparsedIQ drops nested namespace declarations on our side, so look elements up by local name
        Element transport = (Element) modified.getElementsByTagNameNS("*", "transport").item(1);
        assertEquals(14, transport.getAttribute("ufrag").length());
        assertEquals(26, transport.getAttribute("pwd").length());
        assertEquals("actpass", ((Element) transport.getElementsByTagNameNS("*", "fingerprint").item(0)).getAttribute("setup"));
        assertTrue(((Element) transport.getElementsByTagNameNS("*", "web-socket").item(0)).getAttribute("url").contains("/colibri-ws/" + nick + "/"));
        assertEquals(2, transport.getElementsByTagNameNS("*", "candidate").getLength());
        assertTrue(Xml.child(modified, "sources").isPresent(), "feedback sources on create");
        assertEquals(Set.of("ep1"), jvb.model().conference(m).orElseThrow().endpoints());

        Element dup = colibri(to, m, "create=true", "");
        assertEquals("conflict", condition(dup));
        assertEquals("conference_already_exists", colibriReason(dup));

        assertEquals("result", colibri(to, m, "", "<endpoint id='ep2' create='true'><transport ice-controlling='true'/></endpoint>").getAttribute("type"));
        assertEquals(Set.of("ep1", "ep2"), jvb.model().endpoints());
        await().until(() -> "2".equals(focus.stat(nick, "local_endpoints")) && "1".equals(focus.stat(nick, "conferences")));

        assertEquals("result", colibri(to, m, "", "<endpoint id='ep1' expire='true'/>").getAttribute("type"));
        assertEquals(Set.of("ep2"), jvb.model().endpoints());
        assertEquals("result", colibri(to, m, "expire=true", "").getAttribute("type"));
        assertTrue(jvb.model().conferences().isEmpty());

        Element gone = colibri(to, m, "", "<endpoint id='ep2' expire='true'/>");
        assertEquals("item-not-found", condition(gone));
        assertEquals("conference_not_found", colibriReason(gone));
        assertEquals(6, jvb.requests().size());
        assertTrue(jvb.requests().get(0).contains("ep1-stats"));
    }

    @Test
    void reportedStressGrowsWithEndpointsUnderTheLoadModel() throws Exception {
        String loadedNick = "loaded" + (++counter);
        try (SimBridge loaded = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), loadedNick)
                .stressPerEndpoint(0.05).statsInterval(Duration.ofSeconds(5)))) {
            loaded.setStress(0.1);
            await().until(() -> focus.stat(loadedNick, "stress_level") != null
                    && Math.abs(Double.parseDouble(focus.stat(loadedNick, "stress_level")) - 0.1) < 1e-9);
            String m = "21111111-2222-4333-8444-555555555555";
            colibri(loaded.occupantJid(), m, "name=room2@conference.meet.test create=true",
                    "<endpoint id='ep1' create='true'><transport ice-controlling='true'/></endpoint>");
            colibri(loaded.occupantJid(), m, "", "<endpoint id='ep2' create='true'><transport ice-controlling='true'/></endpoint>");
            loaded.publishStatsNow();
            await().until(() -> Math.abs(Double.parseDouble(focus.stat(loadedNick, "stress_level")) - 0.2) < 1e-9);
        }
    }

    @Test
    void requestsInOrderForOneConference() throws Exception {
        String to = jvb.occupantJid();
        String m = "order-test";
        // fire without waiting: the create must be handled before the endpoints that follow it
        for (int i = 0; i < 20; i++) {
            org.jivesoftware.smack.packet.IQ iq = new io.focus.sim.xml.RawIQ("conference-modify", "jitsi:colibri2",
                    i == 0 ? Map.of("meeting-id", m, "create", "true") : Map.of("meeting-id", m),
                    "<endpoint id='e" + i + "' create='true'><transport ice-controlling='true'/></endpoint>");
            iq.setType(IQ.Type.get);
            iq.setTo(org.jxmpp.jid.impl.JidCreate.from(to));
            focus.connection.sendStanza(iq);
        }
        await().until(() -> jvb.model().endpointCount() == 20);
    }

    @Test
    void requestsNotThroughTheBreweryAreForbidden() throws Exception {
        String direct = jvb.jid();
        Element h = focus.request(direct, IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS, Map.of(), "", Duration.ofSeconds(5));
        assertEquals("forbidden", condition(h));
        Element c = colibri(direct, "m-direct", "create=true", "<endpoint id='x' create='true'><transport ice-controlling='true'/></endpoint>");
        assertEquals("forbidden", condition(c));
        assertTrue(jvb.model().conferences().isEmpty());
    }

    @Test
    void colibriFaultsOnDemand() throws Exception {
        String to = jvb.occupantJid();
        jvb.setColibriFault(ColibriFault.error("internal-server-error", null, "boom").times(1));
        assertEquals("internal-server-error", condition(colibri(to, "f1", "create=true", "<endpoint id='a' create='true'><transport ice-controlling='true'/></endpoint>")));
        assertTrue(jvb.model().conferences().isEmpty(), "a faulted request changes nothing");
        assertEquals("result", colibri(to, "f1", "create=true", "<endpoint id='a' create='true'><transport ice-controlling='true'/></endpoint>").getAttribute("type"));
        jvb.setColibriFault(ColibriFault.noReply());
        assertNull(focus.request(to, IQ.Type.get, "conference-modify", "jitsi:colibri2", Map.of("meeting-id", "f1"),
                "<endpoint id='b' create='true'><transport ice-controlling='true'/></endpoint>", Duration.ofMillis(700)));
        jvb.setColibriFault(ColibriFault.NONE);
        jvb.setGracefulShutdown(true);
        Element refused = colibri(to, "f2", "create=true", "<endpoint id='a' create='true'><transport ice-controlling='true'/></endpoint>");
        assertEquals("service-unavailable", condition(refused));
        assertEquals("graceful_shutdown", colibriReason(refused));
    }

    @Test
    void crashShowsUpAsUnavailableAndRejoinComesBack() {
        await().until(() -> focus.stats.containsKey(nick));
        jvb.crash();
        await().until(() -> focus.unavailable.contains(nick));
        assertEquals(SimBridge.State.CRASHED, jvb.state());
        focus.stats.remove(nick);
        jvb.rejoin();
        await().until(() -> focus.stats.containsKey(nick));
        assertEquals(SimBridge.State.JOINED, jvb.state());
    }

    @Test
    void cleanLeaveAndHang() throws Exception {
        await().until(() -> focus.stats.containsKey(nick));
        jvb.leave();
        await().until(() -> focus.unavailable.contains(nick));
        assertTrue(focus.presences.stream().noneMatch(p -> p.contains("type='unavailable'") && p.contains("status code='110'")));
        focus.stats.remove(nick);
        jvb.rejoin();
        await().until(() -> focus.stats.containsKey(nick));

        jvb.hang();
        assertNull(focus.request(jvb.occupantJid(), IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS, Map.of(), "", Duration.ofMillis(700)));
        int before = focus.presences.size();
        jvb.setStress(0.9); // would publish, but a hung bridge is silent
        assertNull(focus.request(jvb.occupantJid(), IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS, Map.of(), "", Duration.ofMillis(300)));
        assertEquals(before, focus.presences.size());
        assertTrue(focus.unavailable.stream().filter(nick::equals).count() == 1, "hung is still in the room");
    }
}
