package io.focus.bench.call;

import com.typesafe.config.ConfigFactory;
import io.focus.app.Main;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.ConfigLoader;
import io.focus.app.config.ConfigValidators;
import io.focus.app.wiring.XmppService;
import io.focus.core.bridge.BridgeEvent;
import io.focus.health.registry.BridgeRegistry;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.prosody.ProsodyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The focus as it ships, in this JVM: a config file as an operator writes it, loaded and validated by focus-app's
 * {@link ConfigLoader} with the standard validators, then {@link Main.Daemon#start} (the production Guice modules:
 * XMPP, brewery and registry, health checks, conferences with Jingle signalling, REST on a free loopback port).
 * Every registry event is recorded with {@link System#nanoTime()} as it is delivered.
 */
public final class BenchDaemon implements AutoCloseable {
    public static final String FOCUS_PASSWORD = "focus-bench-pass";
    public static final String JVB_PASSWORD = "jvbpass";

    record Seen(BridgeEvent.Type type, String nick, long nanos) {}

    private final Main.Daemon daemon;
    private final BridgeRegistry registry;
    private final List<Seen> events = new ArrayList<>();
    private final String focusJid;

    private BenchDaemon(Main.Daemon daemon, String focusJid) {
        this.daemon = daemon;
        this.focusJid = focusJid;
        this.registry = daemon.injector().getInstance(BridgeRegistry.class);
        registry.addListener(e -> {
            synchronized (events) {
                events.add(new Seen(e.type(), e.bridge().nick(), System.nanoTime()));
            }
        });
    }

    /**
     * The config file's text: Prosody's address and the brewery, SCTP off as in the recorded real set-up (the
     * simulated bridges refuse it, as those JVBs did; with it on, each bridge's first allocation costs one refused
     * request), REST on a free port, and {@code extra}.
     */
    public static String config(ProsodyServer server, String extra) {
        return String.join("\n",
                FocusClientConfig.hocon(server, "focus", FOCUS_PASSWORD),
                "jicofo {",
                "  xmpp.client.conference-muc-jid = \"" + server.conferenceMucDomain() + "\"",
                // as the recorded real set-up (real-call README): bridges without SCTP, clients on colibri-ws
                "  sctp.enabled = false",
                "  rest { host = \"127.0.0.1\", port = 0 }",
                "}",
                "focus.rest.token = \"call-bench-token\"",
                extra,
                "");
    }

    /** Starts the daemon; the focus user must be registered with {@link #FOCUS_PASSWORD}. */
    /**
     * What a call bench needs on the server before the focus starts: the focus's and the bridges' accounts, and three
     * spare bridges (spare1..3, stress 0.5, 0.6 and 0.7) that stay up for the whole bench.
     */
    static List<SimBridge> accountsAndSpares(ProsodyServer server) throws Exception {
        server.register("focus", server.authDomain(), FOCUS_PASSWORD);
        server.register("jvb", server.authDomain(), JVB_PASSWORD);
        List<SimBridge> spares = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, "spare" + i).relayId("spare" + i)
                        .streamManagement(true));
                spares.add(b);
                b.setStress(0.4 + 0.1 * i);
            }
        } catch (Exception | Error e) {
            spares.forEach(SimBridge::close);  // the ones that did start
            throw e;
        }
        return spares;
    }

    static BenchDaemon start(ProsodyServer server, Path dir, String extraConfig) throws Exception {
        Path file = dir.resolve("jicofo.conf");
        Files.writeString(file, config(server, extraConfig), StandardCharsets.UTF_8);
        ConfigLoader loader = new ConfigLoader(ConfigValidators.standard(), ConfigFactory.empty());
        ConfigHolder holder = new ConfigHolder(loader.load(file), () -> loader.load(file));
        Main.Daemon d = Main.Daemon.start(holder, Clock.systemUTC());
        // the full JID the focus is logged in as: where participants send their conference requests
        String jid = String.valueOf(d.injector().getInstance(XmppService.class).client().connection().getUser());
        return new BenchDaemon(d, jid);
    }

    String focusJid() { return focusJid; }

    /** The effective config the daemon runs with. */
    com.typesafe.config.Config config() { return daemon.injector().getInstance(com.typesafe.config.Config.class); }

    BridgeRegistry registry() { return registry; }

    /** The first event of one of {@code types} for {@code nick} at or after {@code since}, or null. */
    Seen firstEvent(String nick, long since, BridgeEvent.Type... types) {
        synchronized (events) {
            for (Seen s : events) {
                if (s.nick().equals(nick) && s.nanos() >= since && List.of(types).contains(s.type())) {
                    return s;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
