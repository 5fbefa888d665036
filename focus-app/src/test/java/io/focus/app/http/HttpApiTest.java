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
import io.focus.app.admin.SelectionLog;
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
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.conference.ConferenceSnapshot;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against a real started server on a free port, with the app's real modules and unit seams. */
class HttpApiTest {
    static final String TOKEN = "admin-token-1";
    static final String JVB1 = "jvbbrewery@internal.auth.meet.test/jvb1";
    static final String JVB2 = "jvbbrewery@internal.auth.meet.test/jvb2";

    @TempDir Path dir;
    Path configFile;
    final InMemoryBridges bridges = new InMemoryBridges();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    volatile boolean xmppUp = true;
    final List<String> moves = new ArrayList<>();
    final List<String> drains = new ArrayList<>();
    Injector injector;
    FocusLifecycle lifecycle;
    ConfigHolder holder;
    HttpClient http = HttpClient.newHttpClient();
    int port;

    /** The conference code's seams, recording what the API asked for. */
    class Conferences implements EndpointMover, ConferenceRequestHandler, ConferenceStats, ConferenceViews {
        @Override public MoveResult moveEndpoint(String conference, String endpointId, String bridgeId) throws NotFoundException {
            if (!conference.equals("room1@conference.meet.test")) {
                throw new NotFoundException("Conference not found");
            }
            moves.add("endpoint " + endpointId + " from " + bridgeId);
            return new MoveResult(1, 1);
        }

        @Override public MoveResult moveEndpoints(String bridgeId, String conference, int count) {
            moves.add(count + " from " + bridgeId + " in " + conference);
            return new MoveResult(count, 2);
        }

        @Override public MoveResult moveFraction(String bridgeId, double fraction) {
            moves.add(fraction + " of " + bridgeId);
            return new MoveResult(3, 1);
        }

        @Override public void drain(String bridgeId, boolean drained, int perStep, java.time.Duration interval)
                throws NotFoundException {
            if (!bridges.setDrainedByFocus(bridgeId, drained)) {
                throw new NotFoundException("Bridge not found");
            }
            drains.add((drained ? "drain " : "undrain ") + bridgeId + (perStep > 0 ? " " + perStep + " every " + interval : ""));
        }

        @Override public ConferenceRequest handle(ConferenceRequest request, String token) throws RequestException {
            if ("bad".equals(token)) {
                throw new RequestException(RequestException.Condition.NOT_AUTHORIZED, "bad token");
            }
            if ("stale".equals(request.sessionId())) {
                throw new RequestException(RequestException.Condition.NOT_ACCEPTABLE, "invalid session");
            }
            return new ConferenceRequest(request.room(), true, "focus@auth.meet.test", null, null, null, null,
                    Map.of("authentication", "false"));
        }

        @Override public Counts counts() { return Counts.of(List.of(2, 5), 10, 40, 3, 1); }
        @Override public ConferenceSnapshot snapshot() { return new ConferenceSnapshot(List.of()); }
        @Override public List<ConferenceInfo> conferences() {
            return List.of(new ConferenceInfo("room1@conference.meet.test", "m-1", Map.of("ab12", "jvb1")));
        }
    }

    void start(String extraConfig) throws Exception {
        configFile = write(dir, "jicofo.conf", VALID + extraConfig);
        ConfigLoader loader = ConfigLoader.standard();
        holder = new ConfigHolder(loader.load(configFile), () -> loader.load(configFile));
        Conferences conferences = new Conferences();
        List<Module> modules = new ArrayList<>(FocusModules.app(holder, clock, false));
        modules.add(new AbstractModule() {
            @Override protected void configure() {
                bind(Bridges.class).toInstance(bridges);
                bind(XmppStatus.class).toInstance(() -> xmppUp);
                bind(EndpointMover.class).toInstance(conferences);
                bind(ConferenceRequestHandler.class).toInstance(conferences);
                bind(ConferenceStats.class).toInstance(conferences);
                bind(ConferenceViews.class).toInstance(conferences);
            }
        });
        injector = Guice.createInjector(modules);
        lifecycle = injector.getInstance(FocusLifecycle.class);
        lifecycle.start();
        port = injector.getInstance(HttpApi.class).port();
        assertTrue(port > 0);
    }

    @BeforeEach
    void bridges() {
        bridges.put(BridgeState.builder(JVB1).region("eu-west").version("2.3-a").reportedStress(0.2).endpoints(4)
                .conferences(2).relayId("jvb1").build());
        bridges.put(BridgeState.builder(JVB2).region("us-east").version("2.4-b").reportedStress(0.9)
                .gracefulShutdown(true).build());
    }

    @AfterEach
    void stop() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) { return URI.create("http://127.0.0.1:" + port + path); }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void healthIsOkOnlyWithXmppAndAnOperationalBridge() throws Exception {
        start("");
        HttpResponse<String> ok = get("/about/health");
        assertEquals(200, ok.statusCode());
        assertEquals("OK", ok.body());

        xmppUp = false;
        HttpResponse<String> down = get("/about/health");
        assertEquals(500, down.statusCode());
        assertTrue(down.body().contains("XMPP"), down.body());

        xmppUp = true;
        bridges.put(BridgeState.builder(JVB1).health(BridgeState.Health.FAILED).build());
        HttpResponse<String> noBridge = get("/about/health");
        assertEquals(500, noBridge.statusCode());
        assertTrue(noBridge.body().startsWith("no operational bridge (2 known"), noBridge.body());
    }

    @Test
    void versionAndStatsHaveJicofosShape() throws Exception {
        start("");
        JsonNode v = json(get("/about/version"));
        assertEquals("focus", v.get("name").asText());
        assertTrue(v.has("version") && v.has("os"));

        JsonNode s = json(get("/stats"));
        JsonNode sel = s.get("bridge_selector");
        assertEquals(2, sel.get("bridge_count").asInt());
        assertEquals(1, sel.get("operational_bridge_count").asInt(), "graceful bridges do not count");
        assertEquals(1, sel.get("in_shutdown_bridge_count").asInt());
        assertEquals(0, sel.get("lost_bridges").asInt());
        assertEquals(2, sel.get("bridge_version_count").asInt());
        assertEquals(3, s.get("bridge_failures").get("participants_moved").asInt());
        assertEquals(1, s.get("bridge_failures").get("bridges_removed").asInt());
        assertEquals(2, s.get("conferences").asInt());
        assertEquals(7, s.get("participants").asInt());
        assertEquals(5, s.get("largest_conference").asInt());
        assertTrue(s.get("healthy").asBoolean());
    }

    @Test
    void metricsUseJicofosNamesAndDropRemovedBridges() throws Exception {
        start("");
        HttpResponse<String> m = get("/metrics", "text/plain");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String t = m.body();
        assertTrue(t.contains("jitsi_jicofo_bridge_selector_bridge_count 2.0"), t);
        assertTrue(t.contains("jitsi_jicofo_bridge_selector_bridge_count_operational 2.0"), t);
        assertTrue(t.contains("jitsi_jicofo_bridge_selector_bridge_count_in_shutdown 1.0"), t);
        assertTrue(t.contains("jitsi_jicofo_bridge_selector_bridge_version_count 2.0"), t);
        assertTrue(t.contains("jitsi_jicofo_bridge_selector_lost_bridges_total 0.0"), t);
        assertTrue(t.contains("jitsi_jicofo_bridge_endpoints{jvb=\"jvb1\",} 4.0"), t);
        assertTrue(t.contains("focus_bridge_stress{jvb=\"jvb2\",} 0.9"), t);
        assertTrue(t.contains("focus_bridge_conferences{jvb=\"jvb1\",} 2.0"), t);
        assertTrue(t.contains("focus_bridge_state{jvb=\"jvb2\",state=\"graceful-shutdown\",} 1.0"), t);

        // a lost bridge (not shutting down) is counted; its series disappear
        bridges.remove(JVB1, "left the brewery");
        bridges.remove(JVB2, "left after graceful shutdown");
        String after = get("/metrics", "text/plain").body();
        assertTrue(after.contains("jitsi_jicofo_bridge_selector_lost_bridges_total 1.0"), after);
        assertFalse(after.contains("jvb=\"jvb1\""), after);
        assertFalse(after.contains("jvb=\"jvb2\""), after);
        assertEquals(1, json(get("/stats")).get("bridge_selector").get("lost_bridges").asInt());

        HttpResponse<String> om = get("/metrics", "application/openmetrics-text; version=1.0.0");
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().contains("# EOF"), om.body());
    }

    @Test
    void bridgesListOneAndNotFound() throws Exception {
        start("");
        JsonNode all = json(get("/bridges"));
        assertEquals(2, all.get("bridges").size());
        JsonNode b = all.get("bridges").get(0);
        assertEquals(JVB1, b.get("id").asText());
        assertEquals("jvb1", b.get("nick").asText());
        assertEquals("eu-west", b.get("region").asText());
        assertTrue(b.get("operational").asBoolean());
        assertFalse(b.get("overloaded").asBoolean());

        JsonNode two = json(get("/bridges/jvb2"));
        assertTrue(two.get("graceful-shutdown").asBoolean());
        assertTrue(two.get("overloaded").asBoolean(), "0.9 >= default stress threshold 0.8");
        assertEquals(404, get("/bridges/jvb9").statusCode());
        assertEquals(405, post("/bridges", "{}", null).statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
    }

    @Test
    void drainNeedsTheTokenWhenOneIsConfigured() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        assertEquals(401, post("/bridges/jvb1/drain", "", null).statusCode());
        assertEquals(401, post("/bridges/jvb1/drain", "", "wrong").statusCode());
        assertFalse(bridges.snapshot().get(JVB1).drainedByFocus());

        HttpResponse<String> r = post("/bridges/jvb1/drain", "", TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("drained-by-focus").asBoolean());
        assertTrue(bridges.snapshot().get(JVB1).drainedByFocus());

        assertEquals(200, post("/bridges/jvb1/undrain", "", TOKEN).statusCode());
        assertFalse(bridges.snapshot().get(JVB1).drainedByFocus());
        assertEquals(404, post("/bridges/jvb9/drain", "", TOKEN).statusCode());
        // read-only calls stay open
        assertEquals(200, get("/bridges").statusCode());
        // Jicofo's move GETs change state: they need the token too
        assertEquals(401, get("/move-endpoints/move-fraction?bridge=jvb1").statusCode());
        assertTrue(moves.isEmpty());
    }

    @Test
    void drainWithMoveMovesEndpointsOffGraduallyAndBadParametersAreRefused() throws Exception {
        start("focus.drain.interval = 7s\n");
        HttpResponse<String> r = post("/bridges/jvb1/drain?move=true&rate=3&interval=250ms", "", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("moving").asBoolean());
        assertEquals(3, json(r).get("rate").asInt());
        assertEquals(250, json(r).get("interval-ms").asLong());
        assertEquals(List.of("drain " + JVB1 + " 3 every PT0.25S"), drains);
        // defaults from focus.drain.*: rate 1, interval from the config
        assertEquals(200, post("/bridges/jvb1/drain?move=true", "", null).statusCode());
        assertEquals("drain " + JVB1 + " 1 every PT7S", drains.get(1));
        // plain drain: nobody moved; undrain stops the moves
        assertFalse(json(post("/bridges/jvb1/drain", "", null)).get("moving").asBoolean());
        assertEquals("drain " + JVB1, drains.get(2));
        assertEquals(200, post("/bridges/jvb1/undrain?move=true", "", null).statusCode());
        assertEquals("undrain " + JVB1, drains.get(3));
        assertFalse(bridges.snapshot().get(JVB1).drainedByFocus());

        for (String bad : List.of("move=maybe", "move=true&rate=0", "move=true&rate=x", "move=true&interval=soon",
                "move=true&interval=0s")) {
            HttpResponse<String> b = post("/bridges/jvb1/drain?" + bad, "", null);
            assertEquals(400, b.statusCode(), bad);
        }
        assertEquals(4, drains.size(), "a refused request changes nothing");
        assertFalse(bridges.snapshot().get(JVB1).drainedByFocus());
    }

    @Test
    void drainDefaultsAreReadAtStartUpAndAReloadSaysTheirChangeNeedsARestart() throws Exception {
        start("focus.drain.interval = 7s\n");
        write(dir, "jicofo.conf", VALID + "focus.drain.interval = 9s\nfocus.drain.rate = 4\n");
        ConfigHolder.ReloadResult r = holder.reload();
        assertTrue(r.applied(), String.valueOf(r.error()));
        assertEquals(List.of("focus.drain.interval", "focus.drain.rate"), r.needRestart());
        assertEquals(200, post("/bridges/jvb1/drain?move=true", "", null).statusCode());
        assertEquals(List.of("drain " + JVB1 + " 1 every PT7S"), drains, "as the reload said: the start-up values");

        write(dir, "jicofo.conf", VALID + "focus.drain.rate = 0\n");
        assertTrue(holder.reload().error().startsWith("focus.drain.rate = '0'"), "a bad value is refused by key");
    }

    @Test
    void withoutATokenMutatingCallsAreOpen() throws Exception {
        start("");
        assertEquals(200, post("/bridges/jvb1/drain", "", null).statusCode());
    }

    @Test
    void moveEndpointsAsJicofoServesThem() throws Exception {
        start("");
        HttpResponse<String> one = get("/move-endpoints/move-endpoint?conference=room1@conference.meet.test&endpoint=ab12&bridge=jvb1");
        assertEquals(200, one.statusCode(), one.body());
        assertEquals(1, json(one).get("movedEndpoints").asInt());
        assertEquals(1, json(one).get("conferences").asInt());
        assertEquals("endpoint ab12 from " + JVB1, moves.get(0));

        assertEquals(404, get("/move-endpoints/move-endpoint?conference=other@conference.meet.test&endpoint=x").statusCode());
        assertEquals("Conference not found", get("/move-endpoints/move-endpoint?conference=other@conference.meet.test&endpoint=x").body());
        assertEquals(400, get("/move-endpoints/move-endpoint?conference=room1@conference.meet.test").statusCode());

        HttpResponse<String> many = get("/move-endpoints/move-endpoints?bridge=" + JVB1 + "&numEndpoints=5");
        assertEquals(200, many.statusCode());
        assertEquals("{\"movedEndpoints\":5,\"conferences\":2}", many.body());
        assertEquals("5 from " + JVB1 + " in null", moves.get(1));
        assertEquals(400, get("/move-endpoints/move-endpoints?bridge=jvb1&numEndpoints=lots").statusCode());
        assertEquals(400, get("/move-endpoints/move-endpoints").statusCode());
        HttpResponse<String> nb = get("/move-endpoints/move-endpoints?bridge=jvb9");
        assertEquals(404, nb.statusCode());
        assertEquals("Bridge not found", nb.body());

        HttpResponse<String> frac = get("/move-endpoints/move-fraction?bridge=jvb1&fraction=0.5");
        assertEquals(200, frac.statusCode());
        assertEquals("0.5 of " + JVB1, moves.get(2));
        assertEquals(400, get("/move-endpoints/move-fraction?bridge=jvb1&fraction=1.5").statusCode());
    }

    @Test
    void pinsExpireOnTheClock() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        String body = "{\"conferenceId\":\"Room1@conference.meet.test\",\"jvbVersion\":\"2.3-a\",\"durationMinutes\":10}";
        assertEquals(401, post("/pin", body, null).statusCode());
        assertEquals(200, post("/pin", body, TOKEN).statusCode());
        JsonNode pins = json(get("/pin"));
        assertEquals(1, pins.size());
        assertEquals("room1@conference.meet.test", pins.get(0).get("conferenceId").asText());
        assertEquals("2026-01-01T00:10:00Z", pins.get(0).get("expiresAt").asText());
        assertEquals("2.3-a", injector.getInstance(io.focus.app.admin.PinRegistry.class).pinnedVersion("room1@conference.meet.test"));

        clock.advance(Duration.ofMinutes(10));
        assertEquals(0, json(get("/pin")).size());

        assertEquals(200, post("/pin", body, TOKEN).statusCode());
        assertEquals(200, post("/pin/remove", "{\"conferenceId\":\"room1@conference.meet.test\"}", TOKEN).statusCode());
        assertEquals(0, json(get("/pin")).size());
        assertEquals(400, post("/pin", "{\"conferenceId\":\"r@c\"}", TOKEN).statusCode());
        assertEquals(400, post("/pin", "not json", TOKEN).statusCode());
    }

    @Test
    void selectionLogShowsDecisionsWithReasons() throws Exception {
        start("");
        SelectionLog log = injector.getInstance(SelectionLog.class);
        BridgeSnapshot snap = bridges.snapshot();
        Reason reason = Reason.builder().candidates(1).removed(Reason.Filter.GRACEFUL, 1).build("least-stress: in region");
        log.record(new SelectionRequest(snap, Map.of(), ParticipantProperties.inRegion("eu-west"), null, null,
                "room1@conference.meet.test"), Decision.of(snap.get(JVB1), reason));
        log.record(new SelectionRequest(snap, Map.of(), ParticipantProperties.NONE, null, null, "room2@conference.meet.test"),
                Decision.none(Reason.of("no bridge")));
        JsonNode s = json(get("/debug/selections")).get("selections");
        assertEquals(2, s.size());
        assertEquals("room2@conference.meet.test", s.get(0).get("conference").asText(), "newest first");
        assertFalse(s.get(0).has("bridge"));
        assertEquals("jvb1", s.get(1).get("bridge").asText());
        assertEquals("least-stress: in region", s.get(1).get("rule").asText());
        assertEquals(1, s.get(1).get("removed").get("graceful").asInt());
        assertEquals(1, json(get("/debug/selections?limit=1")).get("selections").size());
    }

    @Test
    void conferenceRequestUsesTheClientsTokenNotTheAdminToken() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        HttpResponse<String> ok = post("/conference-request/v1",
                "{\"room\":\"room1@conference.meet.test\",\"properties\":{\"rtcstatsEnabled\":\"true\"}}", null);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode j = json(ok);
        assertEquals("room1@conference.meet.test", j.get("room").asText());
        assertTrue(j.get("ready").asBoolean());
        assertEquals("focus@auth.meet.test", j.get("focusJid").asText());
        assertEquals("false", j.get("properties").get("authentication").asText());

        assertEquals(403, post("/conference-request/v1", "{\"room\":\"r@c.meet.test\"}", "bad").statusCode());
        HttpResponse<String> stale = post("/conference-request/v1", "{\"room\":\"r@c.meet.test\",\"sessionId\":\"stale\"}", null);
        assertEquals(400, stale.statusCode());
        assertEquals("invalid-session", stale.body());
        assertEquals(400, post("/conference-request/v1", "{}", null).statusCode());
        assertEquals(400, post("/conference-request/v1", "{nope", null).statusCode());
    }

    @Test
    void reloadOverHttpAppliesTheNewTokenAndRefusesBadConfig() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        write(dir, "jicofo.conf", VALID + "focus.rest.token = \"new-token\"\n");
        HttpResponse<String> r = post("/config/reload", "", TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("applied").asBoolean());
        assertEquals("focus.rest.token", json(r).get("changed").get(0).asText());
        assertEquals(401, post("/bridges/jvb1/drain", "", TOKEN).statusCode());
        assertEquals(200, post("/bridges/jvb1/drain", "", "new-token").statusCode());

        write(dir, "jicofo.conf", VALID + "focus.rest.token = \"x\"\njicofo.bridge.failure-reset-threshold = whenever\n");
        HttpResponse<String> bad = post("/config/reload", "", "new-token");
        assertEquals(500, bad.statusCode());
        assertTrue(json(bad).get("error").asText().startsWith("jicofo.bridge.failure-reset-threshold = 'whenever'"));
        assertEquals(200, post("/bridges/jvb1/undrain", "", "new-token").statusCode(), "old token still in force");
    }

    @Test
    void conferencesListShowsWhereParticipantsAre() throws Exception {
        start("");
        JsonNode c = json(get("/conferences")).get("conferences").get(0);
        assertEquals("room1@conference.meet.test", c.get("room").asText());
        assertEquals("jvb1", c.get("participantBridges").get("ab12").asText());
    }

    HttpResponse<String> options(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://meet.test").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void conferenceRequestAnswersABrowsersPreflightAsJicofo() throws Exception {
        start("focus.rest.token = \"" + TOKEN + "\"\n");
        HttpResponse<String> r = options("/conference-request/v1");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("OPTIONS, POST", r.headers().firstValue("Allow").orElse(null));
        assertEquals(405, options("/bridges").statusCode(), "no other path answers OPTIONS");
    }

    @Test
    void contentTypesAndErrorBodies() throws Exception {
        start("");
        HttpResponse<String> json = get("/bridges");
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(null));
        HttpResponse<String> missing = get("/nothing-here");
        assertEquals("text/plain; charset=utf-8", missing.headers().firstValue("Content-Type").orElse(null));
        assertEquals("not found", missing.body());
        assertEquals("method not allowed", post("/bridges", "{}", null).body());
        assertEquals(200, get("/bridges/").statusCode(), "a trailing slash is ignored");
        assertEquals("jvb1", json(get("/bridges/jvb%31")).get("nick").asText(), "path parameters are decoded");
        assertEquals(404, get("/bridges/jvb1/extra").statusCode());
        HttpResponse<String> health = get("/about/health");
        assertEquals("text/plain; charset=utf-8", health.headers().firstValue("Content-Type").orElse(null));
        assertTrue(health.headers().firstValue("Server").isEmpty(), "the server does not advertise its version");
    }
}
