package io.focus.bench.e2e;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.focus.app.config.XmppDomain;
import io.focus.app.wiring.RegistryFeedback;
import io.focus.app.wiring.XmppService;
import io.focus.health.discovery.BreweryWatcher;
import io.focus.health.discovery.BrewerySettings;
import io.focus.core.bridge.BridgeEvent;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeState;
import io.focus.health.registry.RegistrySettings;
import io.focus.health.registry.SuspectSettings;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceRoomFactory;
import io.focus.conference.ConferenceSettings;
import io.focus.conference.ColibriDeadlineWatch;
import io.focus.core.bridge.RoundTrips;
import io.focus.core.loop.EventLoops;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.conference.ParticipantSignaller;
import io.focus.conference.XmppColibriBackend;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.health.HealthDoctor;
import io.focus.health.HealthSettings;
import io.focus.health.SmackHealthCheckSender;
import io.focus.selection.FilteringBridgeSelector;
import io.focus.sim.prosody.FocusClientConfig;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.focus.core.xmpp.connection.StanzaLimits;

/**
 * The focus's bridge side assembled in-process for benchmarks, from the same classes the daemon wires
 * ({@code io.focus.app.wiring.*}): one XMPP connection ({@link XmppConnectionManager} with {@code jicofo.xmpp.client}
 * pointing at the bench's Prosody), the real {@link BridgeRegistry} fed by the real {@link BreweryWatcher}, optionally
 * the real {@link HealthDoctor} with IQ checks ({@link SmackHealthCheckSender}), and on request a
 * {@link ConferenceManager} with the real Colibri2 backend, the configured selector and the registry as its bridge
 * feedback. Rooms and signalling are the caller's choice.
 *
 * <p>Every registry event is recorded with {@link System#nanoTime()} when the registry delivers it (its own thread),
 * so the benchmarks can measure from an action to the event.
 */
public final class InProcessFocus implements AutoCloseable {
    public static final String FOCUS_PASSWORD = "focus-bench-pass";

    /** A registry event and when it was delivered. */
    public record Seen(BridgeEvent.Type type, String nick, String reason, long nanos) {}

    private final Config config;
    private final XmppConnectionManager xmpp;
    private final BridgeRegistry registry;
    private final BreweryWatcher brewery;
    private final List<Seen> events = new ArrayList<>();
    private final CollectorRegistry metrics = new CollectorRegistry();
    private final EventLoops loops = new EventLoops(metrics);
    /** The focus's send order: its doctor's checks and its Colibri2 requests. */
    private final RoundTrips roundTrips = new RoundTrips();
    private HealthDoctor doctor;
    private ConferenceManager manager;
    private ExecutorEventLoop loop;
    private ExecutorEventLoop deadlines;

    private InProcessFocus(Config config) {
        FocusProviders.registerAll();
        this.config = config;
        this.xmpp = new XmppConnectionManager(XmppSettings.fromConfig(config, XmppSettings.CLIENT),
                new StanzaHygiene(metrics, Clock.systemUTC()), StanzaLimits.fromConfig(config),
                loops);
        this.registry = new BridgeRegistry(RegistrySettings.fromConfig(config), SuspectSettings.fromConfig(config),
                Clock.systemUTC(), loops);
        registry.setOwnLink(xmpp);
        this.brewery = new BreweryWatcher(BrewerySettings.fromConfig(config), registry, xmpp, Clock.systemUTC(),
                loops);
        registry.addListener(e -> {
            synchronized (events) {
                events.add(new Seen(e.type(), e.bridge().nick(), e.reason(), System.nanoTime()));
                events.notifyAll();
            }
        });
    }

    /** The config the bench's focus runs with: {@code extra} over Prosody's address over the reference defaults. */
    public static Config config(ProsodyServer server, String extra) {
        String text = FocusClientConfig.hocon(server, "focus", FOCUS_PASSWORD) + (extra == null ? "" : extra);
        return XmppDomain.withDomainDefault(ConfigFactory.parseString(text)
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    /**
     * Smack logs through java.util.logging; a simulated bridge that crashes on purpose makes it print SEVERE stack
     * traces that are expected here. Benchmarks call this to keep their printout readable.
     */
    public static void quietSmack() {
        java.util.logging.Logger.getLogger("org.jivesoftware").setLevel(java.util.logging.Level.OFF);
    }

    /** Registers the focus user, connects, starts the registry and joins the brewery; health checks if asked. */
    public static InProcessFocus start(ProsodyServer server, String extraConfig, boolean healthChecks)
            throws InterruptedException {
        server.register("focus", server.authDomain(), FOCUS_PASSWORD);
        server.register("jvb", server.authDomain(), "jvbpass");
        InProcessFocus f = new InProcessFocus(config(server, extraConfig));
        f.xmpp.start();
        if (!f.xmpp.awaitFirstLogin(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the focus did not log in to Prosody within 30 s");
        }
        f.registry.start();
        f.brewery.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!f.brewery.joined() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        if (!f.brewery.joined()) {
            throw new IllegalStateException("the focus did not join the brewery within 30 s");
        }
        if (healthChecks) {
            f.startHealth();
        }
        return f;
    }

    private void startHealth() {
        HealthSettings s = HealthSettings.fromConfig(config);
        doctor = new HealthDoctor(s, registry, new SmackHealthCheckSender(xmpp), xmpp, loops, Clock.systemUTC(),
                new CollectorRegistry(), roundTrips);
        doctor.start();
    }

    public Config config() { return config; }

    public BridgeRegistry registry() { return registry; }

    public XmppConnectionManager xmpp() { return xmpp; }

    public HealthSettings healthSettings() { return HealthSettings.fromConfig(config); }

    /**
     * Builds and starts the conference manager: the settings from the config (conference MUC = the server's), the
     * configured selector, Colibri2 on this connection, registry feedback; {@code rooms} and {@code signaller} given.
     */
    public ConferenceManager conferences(ProsodyServer server, ConferenceRoomFactory rooms,
                                         ParticipantSignaller signaller) {
        ConferenceSettings settings = ConferenceSettings.fromConfig(ConfigFactory.parseString(
                "jicofo.xmpp.client.conference-muc-jid = \"" + server.conferenceMucDomain() + "\"").withFallback(config));
        CodecSettings codecs = CodecSettings.fromConfig(config);
        loop = loops.create("focus-conferences");
        deadlines = loops.create("focus-colibri-deadlines");
        ColibriDeadlineWatch watch = new ColibriDeadlineWatch(registry, xmpp,
                SuspectSettings.fromConfig(config).colibriDeadline(), deadlines, roundTrips);
        manager = ConferenceManager.builder()
                .settings(settings)
                .bridges(registry)
                .selector(FilteringBridgeSelector.create(config, metrics, Clock.systemUTC()))
                .backend(new XmppColibriBackend(xmpp.requests(), xmpp.settings().replyTimeout(),
                        codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT), watch))
                .rooms(rooms)
                .signaller(signaller)
                .feedback(new RegistryFeedback(registry))
                .loop(loop)
                .clock(Clock.systemUTC())
                .metrics(metrics)
                .build()
                .start();
        return manager;
    }

    /** Waits until the registry has delivered an event of this type for this nick at or after {@code since}. */
    public Seen await(BridgeEvent.Type type, String nick, long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Seen s : events) {
                    if (s.type() == type && s.nick().equals(nick) && s.nanos() >= since) {
                        return s;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** The bridges the registry knows, by nick, with whether they are operational. */
    public Map<String, Boolean> known() {
        Map<String, Boolean> m = new java.util.TreeMap<>();
        for (BridgeState b : registry.snapshot().bridges()) {
            m.put(b.nick(), b.operational());
        }
        return m;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (deadlines != null) {
            deadlines.close();
        }
        if (doctor != null) {
            doctor.close();
        }
        brewery.close();
        registry.close();
        xmpp.close();
    }
}
