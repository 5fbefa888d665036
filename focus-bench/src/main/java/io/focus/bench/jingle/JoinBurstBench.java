package io.focus.bench.jingle;

import static io.focus.bench.Stats.pct;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.focus.app.wiring.RegistryFeedback;
import io.focus.health.discovery.BreweryWatcher;
import io.focus.health.discovery.BrewerySettings;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeState;
import io.focus.health.registry.RegistrySettings;
import io.focus.conference.ConferenceIqHandler;
import io.focus.conference.ConferenceManager;
import io.focus.conference.ConferenceSettings;
import io.focus.conference.ConferenceView;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.xmpp.connection.IqRequester;
import io.focus.conference.MucConferenceRoom;
import io.focus.conference.XmppColibriBackend;
import io.focus.core.jingle.CodecSettings;
import io.focus.core.jingle.JingleOffers;
import io.focus.core.jingle.JingleSettings;
import io.focus.core.jingle.OfferOptions;
import io.focus.core.jingle.SourceValidator;
import io.focus.conference.signalling.JingleIqHandler;
import io.focus.conference.signalling.JingleSignaller;
import io.focus.conference.signalling.SignallingSettings;
import io.focus.conference.signalling.XmppFeatureDiscovery;
import io.focus.conference.signalling.XmppJingleSender;
import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.core.xmpp.connection.XmppSettings;
import io.focus.selection.FilteringBridgeSelector;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyServer;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import io.focus.health.registry.SuspectSettings;
import io.focus.core.xmpp.StanzaHygiene;
import io.focus.core.xmpp.connection.StanzaLimits;

/**
 * A class-start burst through a real Prosody: {@code --joins N} (500) Jingle-speaking simulated participants join
 * over {@code --seconds S} (60) into rooms of 3–30, onto {@code --bridges B} (4) simulated bridges. The focus side is
 * assembled in-process as the integration tests do: the conference manager with the real Colibri2 backend and MUC
 * rooms, the real {@link JingleSignaller} with the XMPP sender and disco, the real
 * {@code FilteringBridgeSelector.create(config, registry, clock)} (least-stress unless {@code --strategy}). The bridge
 * registry is a small static one fed the bridges' brewery JIDs (the brewery watcher and registry are not on main
 * yet): a crash is announced to the focus the moment the bridge's socket is closed, as the registry would on
 * Prosody's unavailable presence.
 *
 * <p>Prints: join latency (conference request sent → session-initiate received → session-accept answered by the
 * participant and acknowledged), p50/p99, for every join and for joins into a room that already had somebody (the
 * first one waits for a second, min-participants = 2); stanzas per join (Jingle requests the focus sent, Colibri2
 * requests the bridges received, conference IQs); then it crashes the busiest bridge and prints the time until every
 * affected participant has accepted its new session.
 *
 * <p>Run (after {@code mvn -B -ntp -Pbench -pl focus-bench -am package -DskipTests}):
 * {@code java -cp focus-bench/target/benchmarks.jar io.focus.bench.jingle.JoinBurstBench [--joins 500] [--seconds 60]
 * [--bridges 4] [--seed 1298] [--strategy least-stress]}
 */
public final class JoinBurstBench {
    static final String FOCUS_PASSWORD = "focus-bench-pass";
    static final Duration WAIT = Duration.ofSeconds(60);

    record Join(long atMillis, String room, String endpoint, boolean firstInRoom) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        int joins = Integer.parseInt(opts.getOrDefault("joins", "500"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        int bridgeCount = Integer.parseInt(opts.getOrDefault("bridges", "4"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1298"));
        String strategy = opts.getOrDefault("strategy", "least-stress");
        boolean single = Boolean.parseBoolean(opts.getOrDefault("single-bridge", "false"));
        new JoinBurstBench().run(joins, seconds, bridgeCount, seed, strategy, single);
        System.exit(0);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            if (args[i].equals("--single-bridge")) {
                m.put("single-bridge", "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value for " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    /** Rooms of 3–30 filled in a random order over the burst; join times uniform over the window. */
    static List<Join> plan(int joins, int seconds, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> slots = new ArrayList<>();
        int room = 0;
        while (slots.size() < joins) {
            int size = Math.min(3 + rnd.nextInt(28), joins - slots.size());
            String name = "class" + room++;
            for (int i = 0; i < size; i++) {
                slots.add(name);
            }
        }
        Collections.shuffle(slots, new java.util.Random(seed));
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            times.add((long) (rnd.nextDouble() * seconds * 1000));
        }
        Collections.sort(times);
        Map<String, Integer> seen = new HashMap<>();
        List<Join> out = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            String r = slots.get(i);
            int n = seen.merge(r, 1, Integer::sum);
            out.add(new Join(times.get(i), r, String.format("%08x", i + 1), n == 1));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    final Map<String, SimBridge> sims = new LinkedHashMap<>();
    final List<SimParticipant> participants = new CopyOnWriteArrayList<>();
    BridgeRegistry bridges;
    ProsodyServer server;

    void run(int joins, int seconds, int bridgeCount, long seed, String strategy, boolean single) throws Exception {
        List<Join> plan = plan(joins, seconds, seed);
        long rooms = plan.stream().map(Join::room).distinct().count();
        System.out.printf("Join burst: %d joins in %d s over %d rooms (3-30), %d bridges%s, strategy %s, seed %d, "
                        + "%d cores%n", joins, seconds, rooms, bridgeCount,
                single ? " (single-bridge: the others join after the burst)" : "", strategy, seed,
                Runtime.getRuntime().availableProcessors());
        try (ProsodyServer server = ProsodyServer.start()) {
            this.server = server;
            server.register("focus", server.authDomain(), FOCUS_PASSWORD);
            server.register("jvb", server.authDomain(), "jvbpass");
            FocusProviders.registerAll();
            Config config = ConfigFactory.parseString("jicofo.bridge.selection-strategy = \"" + strategy + "\"\n"
                    + "jicofo.bridge.brewery-jid = \"" + server.breweryJid() + "\"")
                    .withFallback(ConfigFactory.defaultReference()).resolve();
            // The focus's connection, brewery watcher and bridge registry as focus-app assembles them
            // (BridgeDiscovery): placements follow the bridges' presence stats and the focus's own endpoint counts,
            // a crash is the bridge's unavailable presence in the brewery.
            XmppConnectionManager xmpp = new XmppConnectionManager(XmppSettings.builder(XmppSettings.SERVICE)
                    .hostname(server.host()).port(server.port()).domain(server.authDomain())
                    .xmppDomain(server.domain()).username("focus").password(FOCUS_PASSWORD).resource("focus")
                    .useTls(false).replyTimeout(Duration.ofSeconds(15)).build(),
                new StanzaHygiene(new CollectorRegistry(), Clock.systemUTC()),
                StanzaLimits.none(), EventLoops.unregistered());
            xmpp.start();
            if (!xmpp.awaitFirstLogin(Duration.ofSeconds(15))) {
                throw new IllegalStateException("the focus could not log in");
            }
            XMPPTCPConnection focus = xmpp.connection();
            IqRequester requests = xmpp.requests();
            bridges = new BridgeRegistry(RegistrySettings.fromConfig(config), SuspectSettings.defaults(),
                    Clock.systemUTC(), EventLoops.unregistered());
            bridges.start();
            BreweryWatcher brewery = new BreweryWatcher(BrewerySettings.fromConfig(config), bridges, xmpp,
                    Clock.systemUTC(), EventLoops.unregistered());
            brewery.start();
            waitFor(brewery::joined, "the focus in the brewery");
            startBridges(server, single ? 1 : bridgeCount);

            CollectorRegistry registry = new CollectorRegistry();
            ExecutorService io = Executors.newFixedThreadPool(4);
            ExecutorEventLoop loop = EventLoops.unregistered().create("bench-conference-loop");
            SignallingSettings signalling = SignallingSettings.defaults();
            CodecSettings codecs = CodecSettings.defaults();
            JingleSignaller signaller = new JingleSignaller(new JingleOffers(codecs),
                    new SourceValidator(JingleSettings.defaults()), signalling,
                    new XmppJingleSender(requests, Duration.ofSeconds(15)),
                    new XmppFeatureDiscovery(requests, signalling.discoTimeout()), Clock.systemUTC(), registry);
            ConferenceManager manager = ConferenceManager.builder()
                    .settings(ConferenceSettings.defaults(server.conferenceMucDomain()))
                    .bridges(bridges).feedback(new RegistryFeedback(bridges))
                    .selector(FilteringBridgeSelector.create(config, registry, Clock.systemUTC()))
                    .backend(new XmppColibriBackend(requests, Duration.ofSeconds(15),
                            codecs.colibriAudio(OfferOptions.DEFAULT), codecs.colibriVideo(OfferOptions.DEFAULT)))
                    .rooms(MucConferenceRoom.factory(() -> focus, "focus", io)).signaller(signaller)
                    .loop(loop).clock(Clock.systemUTC()).metrics(registry).build().start();
            ConferenceIqHandler conferenceHandler = ConferenceIqHandler.register(manager, requests,
                    "focus@" + server.authDomain());
            JingleIqHandler jingleHandler = JingleIqHandler.register(signaller, focus);
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            // The bridges report stress from their load (0.01 per endpoint), as the selection bench models it.
            load.scheduleAtFixedRate(() -> reportLoad(manager), 1, 1, TimeUnit.SECONDS);
            try {
                burst(server, plan, manager, registry);
                if (single) {
                    startBridges(server, bridgeCount);
                }
                crash(manager, registry);
            } finally {
                load.shutdownNow();
                participants.forEach(SimParticipant::close);
                jingleHandler.unregister();
                conferenceHandler.unregister();
                manager.close();
                sims.values().forEach(SimBridge::close);
                brewery.close();
                bridges.close();
                xmpp.close();
                loop.close();
                io.shutdownNow();
            }
        }
    }

    /** Starts bridges jvb1..jvbN that are not running yet and waits until the registry knows them. */
    void startBridges(ProsodyServer server, int upTo) throws InterruptedException {
        for (int i = 1; i <= upTo; i++) {
            String nick = "jvb" + i;
            if (sims.containsKey(nick)) {
                continue;
            }
            SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).relayId(nick)
                    .statsInterval(Duration.ofSeconds(5)));
            b.setStress(0.05);
            sims.put(nick, b);
        }
        waitFor(() -> sims.values().stream().allMatch(b -> bridges.snapshot().get(b.occupantJid()) != null),
                "every bridge in the registry");
    }

    void reportLoad(ConferenceManager manager) {
        try {
            Map<String, Integer> endpoints = new HashMap<>();
            for (ConferenceView c : manager.snapshot().conferences()) {
                c.placement().values().forEach(b -> endpoints.merge(b, 1, Integer::sum));
            }
            sims.values().forEach(b -> b.setStress(0.05 + 0.01 * endpoints.getOrDefault(b.occupantJid(), 0)));
        } catch (RuntimeException e) {
            System.err.println("load report failed: " + e);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    void burst(ProsodyServer server, List<Join> plan, ConferenceManager manager, CollectorRegistry registry)
            throws Exception {
        String focusJid = "focus@" + server.authDomain() + "/focus";
        ScheduledExecutorService starter = Executors.newScheduledThreadPool(1);
        ExecutorService workers = Executors.newFixedThreadPool(64);
        Map<String, long[]> timings = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        double jingleBefore = jingleSent(registry);
        int colibriBefore = colibriRequests();
        long t0 = System.nanoTime();
        for (Join j : plan) {
            all.add(workers.submit(() -> {
                try {
                    // log in before the join's time: the latency starts at the conference request
                    SimParticipant p = SimParticipant.anonymous(server, j.endpoint(), null);
                    participants.add(p);
                    long wait = t0 + TimeUnit.MILLISECONDS.toNanos(j.atMillis()) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String room = j.room() + "@" + server.conferenceMucDomain();
                    long start = System.nanoTime();
                    var reply = p.requestConference(focusJid, room, Map.of(), WAIT);
                    if (!reply.isResult()) {
                        throw new IllegalStateException("conference request: " + reply.type());
                    }
                    long ready = System.nanoTime();
                    p.join(room);
                    long offered = 0;
                    long deadline = start + WAIT.toNanos();
                    while (System.nanoTime() < deadline) {
                        JingleSession s = p.session();
                        if (s != null && offered == 0) {
                            offered = System.nanoTime();
                        }
                        if (s != null && s.accepted()) {
                            timings.put(j.endpoint(), new long[] {start, ready, offered, System.nanoTime()});
                            return;
                        }
                        Thread.sleep(2);
                    }
                    throw new IllegalStateException("no accepted session within " + WAIT);
                } catch (Exception e) {
                    failed.incrementAndGet();
                    System.err.println(j.endpoint() + " failed: " + e);
                }
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        long wall = System.nanoTime() - t0;
        starter.shutdownNow();
        workers.shutdownNow();

        List<Double> total = new ArrayList<>();
        List<Double> joiners = new ArrayList<>();
        List<Double> toReady = new ArrayList<>();
        List<Double> offerToAccept = new ArrayList<>();
        for (Join j : plan) {
            long[] t = timings.get(j.endpoint());
            if (t == null) {
                continue;
            }
            double ms = (t[3] - t[0]) / 1e6;
            total.add(ms);
            if (!j.firstInRoom()) {
                joiners.add(ms);
            }
            toReady.add((t[1] - t[0]) / 1e6);
            offerToAccept.add((t[3] - t[2]) / 1e6);
        }
        int ok = timings.size();
        System.out.printf("Burst done in %.1f s: %d accepted, %d failed%n", wall / 1e9, ok, failed.get());
        System.out.printf("  join latency request->session-accept, all joins:        p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n",
                pct(total, 50), pct(total, 99), pct(total, 100));
        System.out.printf("  join latency, joining a room that already had somebody: p50 %7.1f ms  p99 %7.1f ms%n",
                pct(joiners, 50), pct(joiners, 99));
        System.out.printf("  conference request -> ready answer:                     p50 %7.1f ms  p99 %7.1f ms%n",
                pct(toReady, 50), pct(toReady, 99));
        System.out.printf("  session-initiate seen -> accept acknowledged:           p50 %7.1f ms  p99 %7.1f ms%n",
                pct(offerToAccept, 50), pct(offerToAccept, 99));
        double jingle = jingleSent(registry) - jingleBefore;
        int colibri = colibriRequests() - colibriBefore;
        System.out.printf("  stanzas per join: %.1f Jingle requests from the focus (%s), %.1f Colibri2 requests to "
                        + "bridges, 1 conference IQ; %.1f stanzas per join in all (requests + their answers, "
                        + "plus the participant's session-accept and its answer)%n",
                jingle / Math.max(1, ok), jingleByAction(registry), colibri / (double) Math.max(1, ok),
                2 * (jingle + colibri + ok + ok) / Math.max(1, ok));
        Map<String, Integer> perBridge = new java.util.TreeMap<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            c.placement().values().forEach(b -> perBridge.merge(BridgeState.nickOf(b), 1, Integer::sum));
        }
        System.out.println("  endpoints per bridge: " + perBridge);
    }

    void crash(ConferenceManager manager, CollectorRegistry registry) throws Exception {
        Map<String, Integer> perBridge = new HashMap<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            c.placement().values().forEach(b -> perBridge.merge(b, 1, Integer::sum));
        }
        String victim = perBridge.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow();
        String nick = BridgeState.nickOf(victim);
        Map<SimParticipant, String> affected = new HashMap<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            c.placement().forEach((ep, b) -> {
                if (b.equals(victim)) {
                    participants.stream().filter(p -> p.endpointId().equals(ep)).findFirst()
                            .ifPresent(p -> affected.put(p, p.session() == null ? null : p.session().sid()));
                }
            });
        }
        long conferences = manager.snapshot().conferences().stream()
                .filter(c -> c.placement().containsValue(victim)).count();
        System.out.printf("Crashing %s: %d participants in %d conferences on it%n", nick, affected.size(), conferences);
        Map<String, Integer> jingleBefore = jingleByAction(registry);
        Long prosodyCpuBefore = prosodyCpuMillis();
        long t0 = System.nanoTime();
        sims.get(nick).crash();
        AtomicLong removedAt = new AtomicLong();
        Thread detector = new Thread(() -> {
            while (removedAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                if (bridges.snapshot().get(victim) == null) {
                    removedAt.set(System.nanoTime() - t0);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        detector.setDaemon(true);
        detector.start();
        long deadline = t0 + WAIT.toNanos();
        AtomicLong last = new AtomicLong();
        Map<SimParticipant, Long> done = new HashMap<>();
        while (done.size() < affected.size() && System.nanoTime() < deadline) {
            for (var e : affected.entrySet()) {
                if (done.containsKey(e.getKey())) {
                    continue;
                }
                JingleSession s = e.getKey().session();
                if (s != null && s.accepted() && !s.sid().equals(e.getValue())) {
                    done.put(e.getKey(), System.nanoTime() - t0);
                    last.set(Math.max(last.get(), System.nanoTime() - t0));
                }
            }
            Thread.sleep(2);
        }
        detector.interrupt();
        List<Double> each = done.values().stream().map(n -> n / 1e6).toList();
        System.out.printf("  crash seen by the registry (unavailable presence) after %.1f ms%n", removedAt.get() / 1e6);
        System.out.printf("  every affected participant accepted its new session after %.1f ms (%d of %d; "
                        + "per participant p50 %.1f ms, p99 %.1f ms); never recovered within %d s: %d%n",
                last.get() / 1e6, done.size(), affected.size(), pct(each, 50), pct(each, 99), WAIT.toSeconds(),
                affected.size() - done.size());
        Map<String, Integer> sent = new java.util.TreeMap<>();
        jingleByAction(registry).forEach((a, n) -> {
            int d = n - jingleBefore.getOrDefault(a, 0);
            if (d > 0) {
                sent.put(a, d);
            }
        });
        Long cpu = prosodyCpuMillis();
        System.out.printf("  Jingle requests from the focus during the recovery: %s%s%n", sent,
                cpu != null && prosodyCpuBefore != null ? String.format("; Prosody CPU %.1f s",
                        (cpu - prosodyCpuBefore) / 1e3) : "");
        Map<String, Integer> after = new java.util.TreeMap<>();
        for (ConferenceView c : manager.snapshot().conferences()) {
            c.placement().values().forEach(b -> after.merge(BridgeState.nickOf(b), 1, Integer::sum));
        }
        System.out.println("  endpoints per bridge after: " + after);
    }

    // ---------------------------------------------------------------------------------------------------------

    static double jingleSent(CollectorRegistry r) {
        double sum = 0;
        for (Collector.MetricFamilySamples f : Collections.list(r.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample s : f.samples) {
                if (s.name.equals("focus_jingle_stanzas_sent_total")) {
                    sum += s.value;
                }
            }
        }
        return sum;
    }

    static Map<String, Integer> jingleByAction(CollectorRegistry r) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (Collector.MetricFamilySamples f : Collections.list(r.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample s : f.samples) {
                if (s.name.equals("focus_jingle_stanzas_sent_total")) {
                    m.put(s.labelValues.get(0), (int) s.value);
                }
            }
        }
        return m;
    }

    /** Prosody's CPU time so far (it runs as our child process), or null when the platform does not say. */
    Long prosodyCpuMillis() {
        return ProcessHandle.of(server.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toMillis)
                .orElse(null);
    }

    int colibriRequests() {
        return sims.values().stream().mapToInt(b -> b.requests().size()).sum();
    }
}
