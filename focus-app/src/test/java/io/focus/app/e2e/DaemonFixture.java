package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.focus.app.Main;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.app.config.ConfigValidators;
import io.focus.app.http.HttpApi;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a daemon end-to-end test holds: the daemon in this JVM (as production wires it, {@link Main.Daemon}), the
 * simulated bridges and the simulated participants it started. After each test, also a failed one, the participants
 * are closed, then the daemon stopped, then the bridges closed.
 * <pre>{@code
 * @RegisterExtension @Order(2) final DaemonFixture focus = new DaemonFixture();
 * }</pre>
 * Register it after the {@link ProsodyExtension} ({@code @Order}) when that one is per test, so that everything is
 * closed while Prosody still runs.
 */
public final class DaemonFixture implements AfterEachCallback {
    static final String TOKEN = "e2e-admin-token";
    static final Duration BRIDGES_TIMEOUT = Duration.ofSeconds(30);

    private final List<SimBridge> bridges = new ArrayList<>();
    private final List<SimParticipant> participants = new ArrayList<>();
    private Main.Daemon daemon;

    /**
     * Writes {@code conf} to {@code dir/jicofo.conf} and loads it as the daemon does, with a reload that re-reads that
     * file (for tests that run the daemon in-process through {@code Main.Daemon}).
     */
    public static ConfigHolder configHolder(Path dir, String conf) throws Exception {
        Path file = dir.resolve("jicofo.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        ConfigLoader loader = new ConfigLoader(ConfigValidators.standard(), ConfigFactory.empty());
        return new ConfigHolder(loader.load(file), () -> loader.load(file));
    }

    /** A config as an operator writes it for Jicofo (plus a short health-check interval and an admin token). */
    static String jicofoConf(ProsodyServer server, int restPort) {
        return String.join("\n",
                FocusClientConfig.hocon(server, ProsodyExtension.FOCUS_USER, ProsodyExtension.FOCUS_PASSWORD),
                "jicofo {",
                "  bridge {",
                "    selection-strategy = SingleBridgeSelectionStrategy",
                "    health-checks { interval = 2 seconds, retry-delay = 1 second }",
                "  }",
                "  rest { host = \"127.0.0.1\", port = " + restPort + " }",
                "}",
                "focus.rest.token = \"" + TOKEN + "\"",
                "focus.health.timeout = 2 seconds",
                "");
    }

    /** The focus's full JID on {@code server}, where participants ask for a conference. */
    static String focusJid(ProsodyServer server) {
        return "focus@" + server.authDomain() + "/focus";
    }

    // ------------------------------------------------------------------ the daemon

    /** Starts the daemon with {@code conf} written to {@code dir/jicofo.conf}. */
    Main.Daemon start(Path dir, String conf) throws Exception {
        return start(configHolder(dir, conf));
    }

    Main.Daemon start(ConfigHolder config) throws Exception {
        if (daemon != null) {
            throw new IllegalStateException("the daemon runs already; stopDaemon() first");
        }
        daemon = Main.Daemon.start(config, Clock.systemUTC());
        return daemon;
    }

    Main.Daemon daemon() { return daemon; }

    /** The running daemon's instance of {@code type}. */
    <T> T get(Class<T> type) {
        return daemon.injector().getInstance(type);
    }

    /** Stops the daemon (a restart test starts the next one after). */
    void stopDaemon() {
        Main.Daemon d = daemon;
        daemon = null;
        if (d != null) {
            d.stop();
        }
    }

    /** The running daemon's HTTP API, with the admin token. */
    Rest rest() {
        return new Rest(get(HttpApi.class).port(), TOKEN);
    }

    /** Waits until {@code GET /bridges} lists exactly these bridges; returns the HTTP API. */
    Rest awaitBridges(String... nicks) {
        Rest rest = rest();
        await("bridges").atMost(BRIDGES_TIMEOUT).until(() -> rest.bridgeNicks().equals(Set.of(nicks)));
        return rest;
    }

    // ------------------------------------------------------------------ bridges

    /** Starts a bridge with {@code options} and the given stress. */
    SimBridge bridge(SimBridgeOptions options, double stress) {
        SimBridge b = SimBridge.start(options);
        bridges.add(b);
        b.setStress(stress);
        return b;
    }

    /** A bridge in {@code eu-west}, its nick as relay id, publishing stats every second. */
    SimBridge bridge(ProsodyServer server, String nick, double stress) {
        return bridge(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                .statsInterval(Duration.ofSeconds(1)), stress);
    }

    /** The bridges started, in order. */
    List<SimBridge> bridges() { return bridges; }

    // ------------------------------------------------------------------ participants

    /** An anonymous participant in {@code region} (null: none), closed after the test. */
    SimParticipant participant(ProsodyServer server, String endpointId, String region) {
        return add(SimParticipant.anonymous(server, endpointId, region));
    }

    /** Closes {@code p} after the test. */
    SimParticipant add(SimParticipant p) {
        participants.add(p);
        return p;
    }

    /** Asks the focus for {@code room} as Jitsi Meet does, asserts it is ready, and joins the room. */
    static void enter(SimParticipant p, ProsodyServer server, String room) {
        FocusReply reply = p.requestConference(focusJid(server), room, Map.of(), Duration.ofSeconds(20));
        assertTrue(reply.isResult() && reply.ready(), reply::toString);
        p.join(room);
    }

    /** New anonymous participants in {@code region}, each asking for {@code room} and joining it. */
    List<SimParticipant> join(ProsodyServer server, String room, String region, String... endpoints) {
        List<SimParticipant> joined = new ArrayList<>();
        for (String ep : endpoints) {
            SimParticipant p = participant(server, ep, region);
            joined.add(p);
            enter(p, server, room);
        }
        return joined;
    }

    /** Every participant still held, in order. */
    List<SimParticipant> participants() { return participants; }

    /** The participants in {@code room}. */
    List<SimParticipant> in(String room) {
        return participants.stream().filter(p -> room.equals(p.room())).toList();
    }

    // ------------------------------------------------------------------ teardown

    @Override
    public void afterEach(ExtensionContext context) {
        participants.forEach(p -> {
            try {
                p.close();
            } catch (RuntimeException e) {
                // gone with the server (a test that stopped or restarted Prosody)
            }
        });
        participants.clear();
        stopDaemon();
        bridges.forEach(SimBridge::close);
        bridges.clear();
    }
}
