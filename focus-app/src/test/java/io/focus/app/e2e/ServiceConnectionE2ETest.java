package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.focus.app.wiring.XmppService;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in this JVM with two Prosodys (Jicofo's {@code jicofo.xmpp.service.*}): clients and conference rooms on
 * one ({@code meet.test}), the brewery and the bridges on the other ({@code svc.test}). The bridges are discovered,
 * health-checked and given a conference over the service connection; then a focus-side drain with
 * {@code move=true} moves the participants off one bridge, one step at a time, over HTTP.
 */
class ServiceConnectionE2ETest {
    @RegisterExtension
    static ProsodyExtension clients = new ProsodyExtension();
    @RegisterExtension
    static ProsodyExtension services = new ProsodyExtension(ProsodyOptions.defaults().withDomain("svc.test"));

    @RegisterExtension
    final DaemonFixture focus = new DaemonFixture();

    @TempDir
    Path dir;

    @Test
    void withAuthenticationHttpRequestsMayOnlyJoinAnExistingRoomAndTheAnswerSaysSo() throws Exception {
        ProsodyServer client = clients.server();
        client.register("alice", client.domain(), "alicepass");
        String conf = DaemonFixture.jicofoConf(client, 0)
                + "jicofo.authentication { enabled = true, type = XMPP, login-url = \"" + client.domain() + "\" }\n";
        focus.start(dir, conf);
        Rest rest = focus.rest();
        String room = "secure@" + client.conferenceMucDomain();
        String body = "{\"room\":\"" + room + "\",\"identity\":\"alice@" + client.domain() + "\"}";

        // no verifiable identity over HTTP: may not create the room (a claimed identity changes nothing)
        Rest.Reply refused = rest.postWithoutToken("/conference-request/v1", body);
        assertEquals(403, refused.status(), refused::body);
        assertEquals("not-authorized", refused.body());

        // an authenticated XMPP user creates it
        SimParticipant alice = focus.add(SimParticipant.user(client, "alice", "alicepass", "alice", "eu-west"));
        FocusReply created = alice.requestConference(DaemonFixture.focusJid(client), room, Map.of(),
                Duration.ofSeconds(20));
        assertTrue(created.isResult() && created.ready(), created::toString);

        // now the HTTP request joins the existing room, and the answer tells the client authentication is on
        Rest.Reply ok = rest.postWithoutToken("/conference-request/v1", body);
        assertEquals(200, ok.status(), ok::body);
        assertTrue(ok.json().get("ready").asBoolean());
        assertEquals("true", ok.json().get("properties").get("authentication").asText());
        assertEquals("false", ok.json().get("properties").get("externalAuth").asText());
    }

    @Test
    void bridgesOnASeparateServiceProsodyServeConferencesAndDrainMovesParticipantsOffGradually() throws Exception {
        ProsodyServer client = clients.server();
        ProsodyServer service = services.server();
        String conf = DaemonFixture.jicofoConf(client, 0)
                .replace(client.breweryJid(), service.breweryJid())
                + String.join("\n",
                "jicofo.xmpp.service {",
                "  enabled = true",
                "  hostname = \"" + service.host() + "\"",
                "  port = " + service.port(),
                "  domain = \"" + service.authDomain() + "\"",
                "  username = \"" + ProsodyExtension.FOCUS_USER + "\"",
                "  password = \"" + ProsodyExtension.FOCUS_PASSWORD + "\"",
                "  use-tls = false",
                "}",
                "");
        SimBridge jvb1 = focus.bridge(service, "jvb1", 0.2);
        SimBridge jvb2 = focus.bridge(service, "jvb2", 0.4);
        List<SimBridge> bridges = focus.bridges();

        focus.start(dir, conf);
        XmppService xmpp = focus.get(XmppService.class);
        assertNotSame(xmpp.client(), xmpp.service(), "a separate service connection");
        assertEquals(client.port(), xmpp.client().settings().port());
        assertEquals(service.port(), xmpp.service().settings().port());
        assertEquals(service.authDomain(), xmpp.service().connection().getXMPPServiceDomain().toString());

        Rest rest = focus.awaitBridges("jvb1", "jvb2");
        // health-checked over the service connection: the bridges answered the focus's health-check IQs
        await("health checks").atMost(Duration.ofSeconds(30)).until(() ->
                bridges.stream().allMatch(b -> b.healthChecks() > 0));
        assertEquals(200, rest.get("/about/health").status());

        String room = "svc-room@" + client.conferenceMucDomain();
        String other = "svc-other@" + client.conferenceMucDomain();
        focus.join(client, room, "eu-west", "dave", "erin");
        await("placed").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("dave", "jvb1", "erin", "jvb1")));
        // Colibri2 went over the service connection to the bridge on the other Prosody
        assertEquals(Set.of("dave", "erin"), jvb1.model().endpoints());
        focus.join(client, other, "eu-west", "fred", "gina");
        await("placed").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(other).equals(Map.of("fred", "jvb1", "gina", "jvb1")));
        CallAssertions.call(room).on(jvb1, focus.in(room)).andNothingOn(jvb2).await();
        CallAssertions.call(other).on(jvb1, focus.in(other)).andNothingOn(jvb2).await();

        // drain jvb1 from the focus side, moving one endpoint per step off it. Without Octo a conference cannot
        // span two bridges, so each step moves one whole conference: one now, the other a step later.
        Rest.Reply drain = rest.post("/bridges/jvb1/drain?move=true&rate=1&interval=2s", "");
        assertEquals(200, drain.status(), drain::body);
        assertTrue(drain.body().contains("\"moving\":true"), drain::body);
        Set<String> onBoth = Set.of("jvb1", "jvb2");
        await("first step").atMost(Duration.ofSeconds(20)).until(() -> {
            Set<String> a = Set.copyOf(rest.placement(room).values());
            Set<String> c = Set.copyOf(rest.placement(other).values());
            // one conference wholly moved, the other wholly still on jvb1
            return a.size() == 1 && c.size() == 1 && !a.equals(c)
                    && onBoth.containsAll(a) && onBoth.containsAll(c);
        });
        await("drained").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("dave", "jvb2", "erin", "jvb2"))
                        && rest.placement(other).equals(Map.of("fred", "jvb2", "gina", "jvb2")));
        await("jvb1 empty").atMost(Duration.ofSeconds(20)).until(() -> jvb1.model().endpoints().isEmpty());
        assertEquals(Set.of("dave", "erin", "fred", "gina"), jvb2.model().endpoints());
        // both calls at the far end: connected on jvb2 with each other's media, nothing left on jvb1
        CallAssertions.call(room).on(jvb2, focus.in(room)).andNothingOn(jvb1).await();
        CallAssertions.call(other).on(jvb2, focus.in(other)).andNothingOn(jvb1).await();
        assertEquals(200, rest.post("/bridges/jvb1/undrain", "").status());
    }
}
