package io.focus.app.http;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.focus.app.admin.ConferenceViews;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.app.inject.FocusLifecycle;
import io.focus.app.FocusModules;
import io.focus.app.spi.ConferenceRequest;
import io.focus.app.spi.ConferenceRequestHandler;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import io.focus.app.spi.XmppStatus;
import io.focus.app.testing.InMemoryBridges;
import io.focus.app.testing.MutableClock;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.core.bridge.SuspectSignal;
import io.focus.conference.Allocation;
import io.focus.conference.ConferenceSnapshot;
import io.focus.conference.ConferenceView;
import io.focus.conference.ParticipantView;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} (text and JSON), {@code /stats}, {@code /debug} and {@code /debug/conference/{jid}} against a real
 * started server with the app's modules; the conferences are one view with two bridges and three participants.
 */
class MetricsStatsDebugApiTest {
    static final String TOKEN = "admin-token-2";
    static final String JVB1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String JVB2 = "jvbbrewery@internal.auth.meet.test/jvb2";
    static final String ROOM = "room1@conference.meet.test";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir Path dir;
    final InMemoryBridges bridges = new InMemoryBridges();
    final HttpClient http = HttpClient.newHttpClient();
    volatile ConferenceSnapshot conferences = new ConferenceSnapshot(List.of(conference()));
    Injector injector;
    FocusLifecycle lifecycle;
    int port;

    /** The room: ab12 placed on jvb1 and accepted (2 SSRCs), cd34 placed on jvb2 and not yet accepted, ef56 waiting. */
    static ConferenceView conference() {
        Allocation a1 = new Allocation(JVB1, "jvb1", "eu-west", "s-1", null, null, 5000);
        Allocation a2 = new Allocation(JVB2, "jvb2", "us-east", "s-2", null, null, 5000);
        ParticipantView ab = new ParticipantView("ab12", ROOM + "/ab12", "eu-west", "Ab", ParticipantView.State.PLACED,
                JVB1, "jvb1", false, null, null, 0, Set.of(), T0, a1, null, true, 2);
        ParticipantView cd = new ParticipantView("cd34", ROOM + "/cd34", "us-east", "Cd", ParticipantView.State.PLACED,
                JVB2, "jvb2", true, "jvb1", "admin move", 0, Set.of(), T0, a2, null, false, 0);
        ParticipantView ef = new ParticipantView("ef56", ROOM + "/ef56", null, null, ParticipantView.State.WAITING,
                null, null, false, null, null, 0, Set.of(), T0, null);
        List<ConferenceView.BridgeUse> uses = List.of(
                new ConferenceView.BridgeUse(JVB1, "jvb1", "jvb1", "s-1", true, List.of("ab12"), List.of("jvb2"),
                        Map.of("jvb2", List.of("cd34")), List.of()),
                new ConferenceView.BridgeUse(JVB2, "jvb2", "jvb2", "s-2", true, List.of("cd34"), List.of("jvb1"),
                        Map.of("jvb1", List.of("ab12")), List.of()));
        return new ConferenceView(ROOM, "m-1", T0, true, false, List.of(ab, cd, ef), uses, false);
    }

    /** The conference code's seams: figures from the views; moves and requests are not used here. */
    class Conferences implements ConferenceStats, ConferenceViews, EndpointMover, ConferenceRequestHandler {
        @Override public ConferenceSnapshot snapshot() { return conferences; }

        @Override public Counts counts() {
            List<Integer> sizes = new ArrayList<>();
            conferences.conferences().forEach(c -> sizes.add(c.participants().size()));
            sizes.add(5);  // and a second conference of five, seen only in the counts
            return Counts.of(sizes, 10, 40, 3, 1);
        }

        @Override public List<ConferenceInfo> conferences() { return List.of(); }
        @Override public MoveResult moveEndpoint(String c, String e, String b) { throw new AssertionError("unused"); }
        @Override public MoveResult moveEndpoints(String b, String c, int n) { throw new AssertionError("unused"); }
        @Override public MoveResult moveFraction(String b, double f) { throw new AssertionError("unused"); }
        @Override public void drain(String b, boolean d, int n, Duration i) { throw new AssertionError("unused"); }
        @Override public ConferenceRequest handle(ConferenceRequest r, String t) { throw new AssertionError("unused"); }
    }

    void start(String extraConfig) throws Exception {
        Path file = write(dir, "jicofo.conf", VALID + extraConfig);
        ConfigLoader loader = ConfigLoader.standard();
        ConfigHolder holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
        Conferences c = new Conferences();
        List<Module> modules = new ArrayList<>(FocusModules.app(holder, new MutableClock(T0), false));
        modules.add(new AbstractModule() {
            @Override protected void configure() {
                bind(Bridges.class).toInstance(bridges);
                bind(XmppStatus.class).toInstance(() -> true);
                bind(EndpointMover.class).toInstance(c);
                bind(ConferenceRequestHandler.class).toInstance(c);
                bind(ConferenceStats.class).toInstance(c);
                bind(ConferenceViews.class).toInstance(c);
            }
        });
        injector = Guice.createInjector(modules);
        lifecycle = injector.getInstance(FocusLifecycle.class);
        lifecycle.start();
        port = injector.getInstance(HttpApi.class).port();
    }

    @BeforeEach
    void bridges() {
        bridges.put(BridgeState.builder(JVB1).region("eu-west").version("2.3-a").endpoints(4).conferences(1)
                .suspect(SuspectSignal.ICE_FAILURES, "2 participants reported ICE failure", T0).build());
        // suspect for another reason: not failing ICE
        bridges.put(BridgeState.builder(JVB2).region("us-east").version("2.4-b").endpoints(1)
                .suspect(SuspectSignal.COLIBRI_DEADLINE, "a Colibri2 request unanswered for 3 s", T0).build());
    }

    @AfterEach
    void stop() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
    }

    HttpResponse<String> get(String path, String accept, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception { return get(path, null, null); }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    CollectorRegistry registry() { return injector.getInstance(CollectorRegistry.class); }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void metricsTextHasJicofosConferenceBridgeAndProcessMetrics() throws Exception {
        start("");
        String t = get("/metrics", "text/plain", null).body();
        for (String line : List.of("jitsi_jicofo_conferences 2.0", "jitsi_jicofo_participants_current 8.0",
                "jitsi_jicofo_largest_conference 5.0", "jitsi_jicofo_participants_pairs 34.0",
                "jitsi_jicofo_bridge_failing_ice{jvb=\"jvb1\",} 1.0", "jitsi_jicofo_bridge_failing_ice{jvb=\"jvb2\",} 0.0",
                "jitsi_jicofo_healthy 1.0", "jitsi_jicofo_version_info{version=\"dev\",} 1.0",
                "# TYPE jitsi_jicofo_threads gauge")) {
            assertTrue(t.contains(line), () -> "missing " + line + " in\n" + t);
        }
        // the gauges follow the views at scrape time
        conferences = new ConferenceSnapshot(List.of());
        String after = get("/metrics", "text/plain", null).body();
        assertTrue(after.contains("jitsi_jicofo_conferences 1.0"), after);
        assertTrue(after.contains("jitsi_jicofo_participants_pairs 25.0"), after);
    }

    @Test
    void metricsAsJsonIsJicofosFlatObjectWithLabelledSeriesNested() throws Exception {
        start("");
        Counter.build("jitsi_jicofo_participants_ice_failed", "registered by the signaller in production")
                .register(registry()).inc(3);
        HttpResponse<String> r = get("/metrics", "application/json", null);
        assertEquals(200, r.statusCode());
        JsonNode m = json(r);
        assertEquals(2, m.get("conferences").asInt());
        assertTrue(m.get("conferences").isIntegralNumber(), "Jicofo's values are integers");
        assertEquals(8, m.get("participants_current").asInt());
        assertEquals(5, m.get("largest_conference").asInt());
        assertEquals(34, m.get("participants_pairs").asInt());
        assertEquals(2, m.get("bridge_selector_bridge_count").asInt());
        assertEquals(0, m.get("bridge_selector_lost_bridges_total").asInt());
        assertEquals(3, m.get("participants_ice_failed_total").asInt());
        assertTrue(m.get("healthy").isBoolean() && m.get("healthy").asBoolean());
        assertEquals("dev", m.get("version").asText());
        assertTrue(m.get("threads").asInt() > 0);
        assertEquals(4, m.get("bridge_endpoints").get("jvb1").asInt());
        assertTrue(m.get("bridge_failing_ice").get("jvb1").asBoolean());
        assertFalse(m.get("bridge_failing_ice").get("jvb2").asBoolean());
        assertEquals(1, m.get("focus_bridge_state").get("jvb1").get("suspect").asInt());
        assertFalse(m.has("jitsi_jicofo_conferences"), "Jicofo's JSON names carry no namespace");
        assertFalse(m.has("participants_ice_failed_created"), "no creation timestamps");

        // a removed bridge's series go from the JSON too
        bridges.remove(JVB1, "left the brewery");
        JsonNode after = json(get("/metrics", "application/json", null));
        assertFalse(after.get("bridge_endpoints").has("jvb1"), after.toString());
        assertEquals(1, after.get("bridge_selector_lost_bridges_total").asInt());
    }

    @Test
    void statsHaveJicofosKeysWithItsConferenceSizeBuckets() throws Exception {
        start("");
        Counter.build("jitsi_jicofo_participants_ice_failed", "as the signaller").register(registry()).inc(2);
        Counter.build("jitsi_jicofo_participants_restart_requested", "as the signaller").register(registry()).inc();
        Counter.build("jitsi_jicofo_jingle_session_initiate_sent", "as the signaller").register(registry()).inc(4);
        Counter.build("jitsi_jicofo_jingle_session_accept_received", "as the signaller").register(registry());
        JsonNode s = json(get("/stats"));
        assertEquals(2, s.get("conferences").asInt());
        assertEquals(8, s.get("participants").asInt());
        assertEquals(5, s.get("largest_conference").asInt());
        assertEquals(34, s.get("endpoint_pairs").asInt());
        assertEquals(10, s.get("total_conferences_created").asInt());
        assertEquals(40, s.get("total_participants").asInt());
        assertEquals(3, s.get("bridge_failures").get("participants_moved").asInt());
        assertEquals(2, s.get("participant_notifications").get("ice_failed").asInt());
        assertEquals(1, s.get("participant_notifications").get("request_restart").asInt());
        assertEquals(4, s.get("jingle").get("sent").get("SESSION_INITIATE").asInt());
        assertFalse(s.get("jingle").get("received").has("SESSION_ACCEPT"), "only what happened, as Jicofo");
        assertEquals(2, s.get("bridge_selector").get("bridge_count").asInt());
        assertTrue(s.get("threads").asInt() > 0);
        assertTrue(s.get("healthy").asBoolean());
        assertTrue(s.get("health").get("success").asBoolean());

        JsonNode sizes = s.get("conference_sizes");
        assertEquals(2, sizes.get("total_count").asInt());
        assertEquals(8, sizes.get("total_value").asInt());
        assertEquals(4.0, sizes.get("average").asDouble());
        assertEquals(5, sizes.get("max").asInt());
        assertEquals(3, sizes.get("min").asInt());
        JsonNode b = sizes.get("buckets");
        assertEquals(1, b.get("3_to_5").asInt(), "3 participants: [3,5)");
        assertEquals(1, b.get("5_to_10").asInt(), "5 participants: [5,10)");
        assertEquals(0, b.get("500_to_max").asInt());
        assertEquals(-1, b.get("p99_upper_bound").asInt(), "fewer than 100 conferences");
        assertFalse(s.has("jibri") || s.has("visitors") || s.has("jigasi"), "no services we do not have");
    }

    @Test
    void debugOverviewHasConferenceSizesAndBridgeStates() throws Exception {
        start("");
        JsonNode d = json(get("/debug"));
        assertEquals(3, d.get("focus_manager").get(ROOM).asInt());
        JsonNode one = d.get("bridge_selector").get("bridge").get(JVB1);
        assertEquals("jvb1", one.get("nick").asText());
        assertTrue(one.get("operational").asBoolean());
        assertTrue(one.get("failing-ice").asBoolean());
        assertEquals(4, one.get("endpoints").asInt());
        assertFalse(d.get("bridge_selector").get("bridge").get(JVB2).get("failing-ice").asBoolean());

        JsonNode full = json(get("/debug?full=true"));
        assertEquals("jvb1", full.get("focus_manager").get(ROOM).get("participants").get("ab12").get("bridge").asText());
    }

    @Test
    void debugConferenceShowsParticipantsBridgesAndRelays() throws Exception {
        start("");
        JsonNode c = json(get("/debug/conference/" + ROOM));
        assertEquals(ROOM, c.get("name").asText());
        assertEquals("m-1", c.get("meeting_id").asText());
        JsonNode ab = c.get("participants").get("ab12");
        assertEquals("jvb1", ab.get("bridge").asText());
        assertEquals("PLACED", ab.get("state").asText());
        assertEquals("accepted", ab.get("session").asText());
        assertEquals(2, ab.get("sources").asInt());
        assertEquals("s-1", ab.get("bridge_session_id").asText());
        JsonNode cd = c.get("participants").get("cd34");
        assertEquals("offered", cd.get("session").asText());
        assertEquals("jvb1", cd.get("moved_from").asText());
        JsonNode ef = c.get("participants").get("ef56");
        assertEquals("none", ef.get("session").asText());
        assertFalse(ef.has("bridge"), "no bridge while waiting");
        assertEquals(List.of("ab12", "cd34", "ef56"), names(c.get("participants")));

        JsonNode b1 = c.get("bridges").get(JVB1);
        assertEquals("jvb1", b1.get("nick").asText());
        assertEquals("ab12", b1.get("participants").get(0).asText());
        assertEquals("jvb2", b1.get("relays").get(0).asText());
        assertEquals("cd34", b1.get("relay_endpoints").get("jvb2").get(0).asText());
        assertEquals(2, c.get("bridges").size());

        assertEquals(ROOM, json(get("/debug/conference/Room1@Conference.Meet.Test")).get("name").asText(),
                "a room JID in any case");
        HttpResponse<String> missing = get("/debug/conference/nobody@conference.meet.test");
        assertEquals(404, missing.statusCode());
        assertEquals("Conference not found: nobody@conference.meet.test", json(missing).get("error").asText());
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void debugNeedsTheAdminTokenWhenOneIsConfiguredAndStatsAndMetricsStayOpen() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        assertEquals(401, get("/debug").statusCode());
        assertEquals(401, get("/debug/conference/" + ROOM).statusCode());
        assertEquals(401, get("/debug/conference/" + ROOM, null, "wrong").statusCode());
        assertEquals(200, get("/debug", null, TOKEN).statusCode());
        assertEquals(200, get("/debug/conference/" + ROOM, null, TOKEN).statusCode());
        assertEquals(200, get("/stats").statusCode());
        assertEquals(200, get("/metrics", "application/json", null).statusCode());
    }

    @Test
    void debugIsOffWithJicofosSwitch() throws Exception {
        start("jicofo.rest.debug.enabled = false\n");
        assertEquals(404, get("/debug").statusCode());
        assertEquals(404, get("/debug/conference/" + ROOM).statusCode());
    }
}
