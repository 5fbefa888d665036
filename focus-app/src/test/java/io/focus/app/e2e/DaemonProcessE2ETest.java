package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focus.sim.testing.CallAssertions;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real daemon, end to end: {@code bin/focus --config FILE} (the packaged jars, started as a process) with a
 * Jicofo-style {@code jicofo.conf} pointing at a real Prosody, three simulated bridges in the brewery and simulated
 * participants asking for a conference over XMPP. It discovers the bridges, answers the conference IQ, places the
 * participants on the least-stressed bridge, moves them when that bridge crashes (never back onto it), obeys the
 * admin API (drain, move-endpoints with the bearer token), reports all of it in {@code /stats} and {@code /metrics}
 * under Jicofo's names, and exits 0 on SIGTERM, leaving its room.
 */
class DaemonProcessE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @TempDir
    Path dir;

    /** The bridges and participants (the daemon here is a process of its own, not the fixture's). */
    @RegisterExtension
    final DaemonFixture sims = new DaemonFixture();

    Process focus;
    Path log;

    @AfterEach
    void tearDown() throws Exception {
        if (focus != null && focus.isAlive()) {
            focus.destroyForcibly();
            focus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Path checkout() {
        return Path.of(System.getProperty("focus.checkout.dir", "..")).toAbsolutePath().normalize();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDaemonDiscoversPlacesMovesReportsAndStopsCleanly() throws Exception {
        ProsodyServer server = prosody.server();
        int port = freePort();
        Path conf = dir.resolve("jicofo.conf");
        Files.writeString(conf, DaemonFixture.jicofoConf(server, port), StandardCharsets.UTF_8);
        log = dir.resolve("focus.log");

        SimBridge jvb1 = sims.bridge(SimBridgeOptions.forServer(server, "jvb1").region("us-east").relayId("jvb1")
                .statsInterval(Duration.ofSeconds(1)), 0.1);
        SimBridge jvb2 = sims.bridge(SimBridgeOptions.forServer(server, "jvb2").region("eu-west").relayId("jvb2")
                .statsInterval(Duration.ofSeconds(1)), 0.3);
        SimBridge jvb3 = sims.bridge(SimBridgeOptions.forServer(server, "jvb3").region("eu-west").relayId("jvb3")
                .statsInterval(Duration.ofSeconds(1)), 0.5);

        Path launcher = checkout().resolve("bin/focus");
        assertTrue(Files.isExecutable(launcher), launcher + " is the launcher under test");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        pb.environment().remove("FOCUS_CONFIG");
        long started = System.nanoTime();
        focus = pb.start();
        Rest rest = new Rest(port, DaemonFixture.TOKEN);

        // discovery: every bridge in GET /bridges, and the focus is healthy
        await("bridges discovered").atMost(Duration.ofSeconds(60)).until(() -> {
            assertTrue(focus.isAlive(), () -> "the focus exited: " + tail());
            return rest.bridgeNicks().equals(Set.of("jvb1", "jvb2", "jvb3"));
        });
        System.out.printf("e2e: bridges discovered %d ms after the process started%n", ms(started));
        await("healthy").atMost(Duration.ofSeconds(10)).until(() -> rest.get("/about/health").status() == 200);

        // a conference requested over XMPP, as Jitsi Meet does, then joined by three participants
        String room = "e2e-room@" + server.conferenceMucDomain();
        String focusJid = DaemonFixture.focusJid(server);
        List<SimParticipant> participants = sims.participants();
        for (String ep : List.of("alice", "bob", "carol")) {
            SimParticipant p = sims.participant(server, ep, "us-east");
            FocusReply reply = p.requestConference(focusJid, room, Map.of("rtcstatsEnabled", "false"), Duration.ofSeconds(20));
            assertTrue(reply.isResult() && reply.ready(), () -> "conference request answered " + reply);
            assertEquals("focus@" + server.authDomain(), reply.focusJid());
            p.join(room);
        }

        // placed on the least-stressed bridge; the bridge's own Colibri2 model agrees
        await("placed on jvb1").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("alice", "jvb1", "bob", "jvb1", "carol", "jvb1")));
        await().atMost(Duration.ofSeconds(5)).until(() -> jvb1.model().endpoints().equals(Set.of("alice", "bob", "carol")));
        // each participant was offered its place over Jingle and accepted it; the call is complete at the far end:
        // everyone sees the others' sources, jvb1 has each endpoint connected with its sources
        CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2, jvb3).await();
        Map<String, Integer> jingleBefore = new LinkedHashMap<>();
        participants.forEach(p -> jingleBefore.put(p.endpointId(), p.jingleReceived().size()));
        JsonNode placed = rest.getWithToken("/debug/selections").json().get("selections");
        assertTrue(placed.size() >= 1 && "jvb1".equals(placed.get(0).get("bridge").asText()), placed::toString);

        // a bad request is refused and changes nothing
        FocusReply bad = participants.get(0).requestConference(focusJid, "elsewhere@conference.other.test", Map.of(),
                Duration.ofSeconds(10));
        assertTrue(bad.isError(), bad::toString);
        assertEquals(1, rest.get("/conferences").json().get("conferences").size());

        // the bridge crashes: every participant moves to the next least-stressed bridge, never back
        java.time.Instant crashedAt = java.time.Instant.now();
        long crash = System.nanoTime();
        jvb1.crash();
        await("moved off jvb1").atMost(Duration.ofSeconds(30)).until(() ->
                rest.placement(room).equals(Map.of("alice", "jvb2", "bob", "jvb2", "carol", "jvb2")));
        long moveMs = ms(crash);
        System.out.printf("e2e: 3 participants re-placed %d ms after the bridge crash%n", moveMs);
        await().atMost(Duration.ofSeconds(5)).until(() -> jvb2.model().endpoints().equals(Set.of("alice", "bob", "carol")));
        // and each was re-signalled its new place: the call is complete again on jvb2
        await("re-signalled").atMost(Duration.ofSeconds(10)).until(() -> participants.stream()
                .allMatch(p -> p.jingleReceived().size() > jingleBefore.get(p.endpointId())));
        CallAssertions.call(room).on(jvb2, participants).andNothingOn(jvb1, jvb3).await();
        await("jvb1 removed").atMost(Duration.ofSeconds(10)).until(() -> rest.bridgeNicks().equals(Set.of("jvb2", "jvb3")));
        int after = 0;
        for (JsonNode s : rest.getWithToken("/debug/selections").json().get("selections")) {
            if (java.time.Instant.parse(s.get("at").asText()).isAfter(crashedAt)) {
                after++;
                assertFalse("jvb1".equals(s.get("bridge").asText()), () -> "picked the crashed bridge: " + s);
            }
        }
        assertTrue(after >= 3, "the moves were selections too");

        JsonNode stats = rest.get("/stats").json();
        assertEquals(1, stats.get("conferences").asInt(), stats::toString);
        assertEquals(3, stats.get("participants").asInt(), stats::toString);
        assertTrue(stats.get("bridge_failures").get("participants_moved").asInt() >= 3, stats::toString);
        assertTrue(stats.get("bridge_failures").get("bridges_removed").asInt() >= 1, stats::toString);
        assertEquals(2, stats.get("bridge_selector").get("bridge_count").asInt(), stats::toString);
        assertEquals(1, stats.get("bridge_selector").get("lost_bridges").asInt(), stats::toString);
        assertTrue(stats.get("total_conferences_created").asInt() >= 1, stats::toString);

        // admin: refused without the token; drain jvb2 and move its endpoints: they go to jvb3
        assertEquals(401, rest.postWithoutToken("/bridges/jvb2/drain", "{}").status());
        assertEquals(200, rest.post("/bridges/jvb2/drain", "{}").status());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                rest.get("/bridges/jvb2").json().get("drained-by-focus").asBoolean());
        Rest.Reply moved = rest.getWithToken("/move-endpoints/move-endpoints?bridge=jvb2&numEndpoints=3");
        assertEquals(200, moved.status(), moved::body);
        assertEquals(3, moved.json().get("movedEndpoints").asInt(), moved::body);
        await("moved to jvb3").atMost(Duration.ofSeconds(20)).until(() ->
                rest.placement(room).equals(Map.of("alice", "jvb3", "bob", "jvb3", "carol", "jvb3")));
        await().atMost(Duration.ofSeconds(5)).until(() -> jvb3.model().endpoints().equals(Set.of("alice", "bob", "carol")));
        await("jvb2 emptied").atMost(Duration.ofSeconds(5)).until(() -> jvb2.model().endpoints().isEmpty());
        // the admin move at the far end: connected on jvb3 with everyone's media, expired on jvb2
        CallAssertions.call(room).on(jvb3, participants).andNothingOn(jvb1, jvb2).await();

        // Prometheus, with Jicofo's names where Jicofo has them, and ours
        String metrics = rest.get("/metrics").body();
        Map<String, String> expect = new LinkedHashMap<>();
        expect.put("jitsi_jicofo_bridge_selector_bridge_count ", "2.0");
        expect.put("jitsi_jicofo_participants_moved_total ", null);
        expect.put("jitsi_jicofo_conferences_created_total ", "1.0");
        expect.put("jitsi_jicofo_bridge_endpoints{jvb=\"jvb3\",} ", "3.0");
        expect.put("focus_bridge_state{jvb=\"jvb2\",state=\"draining\",} ", "1.0");
        expect.put("focus_selections_total{strategy=", null);
        expect.put("focus_participants_moved_total{from=\"jvb2\",} ", "3.0");
        expect.put("focus_health_check_seconds_count ", null);
        for (Map.Entry<String, String> e : expect.entrySet()) {
            assertTrue(metrics.contains(e.getKey() + (e.getValue() == null ? "" : e.getValue())),
                    () -> "missing " + e.getKey() + e.getValue() + " in\n" + metrics);
        }
        // jvb1 left the registry: every series labelled by it went with it (bounded labels)
        assertFalse(metrics.contains("\"jvb1\""), () -> "a series of the removed jvb1 in\n" + metrics);
        assertEquals(1, count(metrics, "# TYPE focus_selections_total counter")
                + count(metrics, "# TYPE focus_selections counter"), "registered once");

        // SIGTERM: leaves the room, exit 0
        long term = System.nanoTime();
        focus.destroy();
        assertTrue(focus.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
        System.out.printf("e2e: SIGTERM to exit: %d ms%n", ms(term));
        assertEquals(0, focus.exitValue(), this::tail);
        String out = Files.readString(log);
        assertTrue(out.contains("Left 1 conference room(s)"), out);
        assertTrue(out.contains("focus stopped"), out);
        // the conference stays on its bridge (expire-conferences is off by default): calls survive a restart
        assertEquals(Set.of("alice", "bob", "carol"), jvb3.model().endpoints());
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
