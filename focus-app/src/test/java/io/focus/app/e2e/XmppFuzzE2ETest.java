package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.e2e.HostileStanzas.Route;
import io.focus.app.http.HttpApi;
import io.focus.app.wiring.HealthService;
import io.focus.app.wiring.XmppService;
import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeState;
import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.testing.CallAssertions;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The focus as production wires it, a real Prosody, two simulated bridges and a call of three simulated participants
 * on jvb1; then {@code fuzz.stanzas} (10,000) hostile stanzas ({@link HostileStanzas}, seeded: {@code fuzz.seed},
 * printed) from 16 anonymous clients, a client in a room with the focus (IQs to the focus's occupant JID and presence
 * junk in the room), the idle bridge jvb2 (through the brewery, where bridges are trusted, and from its own JID) and a
 * flooder far over the per-sender rate, all at the focus's default limits.
 *
 * <p>Throughout: no loss of the focus's XMPP connection, {@code /about/health} 200 at every sample, both bridges
 * operational. After: every IQ get/set answered exactly once with a well-formed result or error (collected by id at
 * each sender; a reply Prosody could not take would have closed the focus's stream, and a duplicate is waited for),
 * no bridge ever failed, and the call still complete at the far end (CallAssertions: jvb1's endpoints connected with
 * the participants' SSRCs, each participant's view complete, nothing of it on jvb2). Prints the figures.
 */
class XmppFuzzE2ETest {
    static final int CLIENTS = 16;
    static final double CLIENT_RATE = 8; // per second, under the default 20/s per sender
    static final double FLOOD_RATE = 40; // twice the default per-sender rate

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @TempDir
    Path dir;

    Main.Daemon daemon;
    final List<SimBridge> bridges = new ArrayList<>();
    final List<SimParticipant> participants = new ArrayList<>();
    final List<FuzzClient> clients = new ArrayList<>();
    final List<FuzzSender> senders = new ArrayList<>();
    ScheduledExecutorService pace;

    @AfterEach
    void tearDown() {
        if (pace != null) {
            pace.shutdownNow();
        }
        senders.forEach(FuzzSender::close);
        clients.forEach(FuzzClient::disconnect);
        participants.forEach(SimParticipant::close);
        if (daemon != null) {
            daemon.stop();
        }
        bridges.forEach(SimBridge::close);
    }

    @Test
    void tenThousandHostileStanzasCostTheFocusNeitherItsConnectionNorItsHealthNorItsCalls() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int total = Integer.getInteger("fuzz.stanzas", 10_000);
        System.out.printf("fuzz: seed %d, %d stanzas (again with -Dfuzz.seed=%d)%n", seed, total, seed);
        ProsodyServer server = prosody.server();

        // ------------------------------------------------------------ the focus, two bridges, a call on jvb1
        // the production timings: stats every 5 s (as a JVB), health checks every 10 s with a 5 s timeout. At test
        // speed (1 s stats, 2 s timeouts) on a loaded 2-core machine, the bridge that sends junk itself can find its
        // answers queued behind it for longer than that, and is then rightly failed.
        for (String nick : List.of("jvb1", "jvb2")) {
            SimBridge b = SimBridge.start(SimBridgeOptions.forServer(server, nick).region("eu-west").relayId(nick)
                    .statsInterval(Duration.ofSeconds(5)));
            b.setStress(nick.equals("jvb1") ? 0.1 : 0.5);
            bridges.add(b);
        }
        SimBridge jvb1 = bridges.get(0);
        SimBridge jvb2 = bridges.get(1);
        daemon = Main.Daemon.start(DaemonFixture.configHolder(dir, DaemonFixture.jicofoConf(server, 0)
                + "jicofo.bridge.health-checks { interval = 10 seconds, retry-delay = 5 seconds }\n"
                + "focus.health.timeout = 5 seconds\n"), Clock.systemUTC());
        Rest rest = new Rest(daemon.injector().getInstance(HttpApi.class).port(), DaemonFixture.TOKEN);
        await("bridges").atMost(Duration.ofSeconds(30)).until(() -> rest.bridgeNicks().equals(Set.of("jvb1", "jvb2")));
        await("healthy").atMost(Duration.ofSeconds(10)).until(() -> rest.get("/about/health").status() == 200);

        String focusJid = "focus@" + server.authDomain() + "/focus";
        String room = "fuzzcall@" + server.conferenceMucDomain();
        for (String ep : List.of("a1a1a1a1", "b2b2b2b2", "c3c3c3c3")) {
            SimParticipant p = SimParticipant.anonymous(server, ep, "eu-west");
            participants.add(p);
            FocusReply reply = p.requestConference(focusJid, room, Map.of(), Duration.ofSeconds(20));
            assertTrue(reply.isResult() && reply.ready(), reply::toString);
            p.join(room);
        }
        CallAssertions call = CallAssertions.call(room).on(jvb1, participants).andNothingOn(jvb2);
        call.await();
        List<String> sids = participants.stream().map(p -> p.session().sid()).toList();

        // a client alone in a room with the focus: IQs to the focus's occupant JID, presence junk in the room
        String fuzzRoom = "fuzzroom@" + server.conferenceMucDomain();
        FuzzClient inRoom = client(server);
        RawIQ request = new RawIQ("conference", SimParticipant.FOCUS_NS, Map.of("room", fuzzRoom), "");
        request.setType(IQ.Type.set);
        request.setTo(JidCreate.from(focusJid));
        IQ ready = inRoom.sendIqRequestAndWaitForResponse(request);
        assertEquals(IQ.Type.result, ready.getType(), ready::toString);
        Jid self = JidCreate.from(fuzzRoom + "/fuzzer");
        try (StanzaCollector joined = inRoom.createStanzaCollectorAndSend(new AndFilter(StanzaTypeFilter.PRESENCE,
                FromMatchesFilter.createFull(self)), inRoom.getStanzaFactory().buildPresenceStanza().to(self)
                .addExtension(new RawExtension("x", "http://jabber.org/protocol/muc",
                        "<x xmlns='http://jabber.org/protocol/muc'/>")).build())) {
            assertTrue(joined.nextResult(10_000) != null, "joined " + fuzzRoom);
        }

        // ------------------------------------------------------------ watching the focus
        XmppService xmpp = daemon.injector().getInstance(XmppService.class);
        List<String> connectionEvents = new CopyOnWriteArrayList<>();
        List<XmppConnectionManager> managers = java.util.stream.Stream.of(xmpp.client(), xmpp.service()).distinct()
                .toList();
        for (XmppConnectionManager m : managers) {
            m.addListener(new XmppConnectionListener() {
                @Override public void disconnected(XmppConnectionManager mgr, Exception cause) {
                    connectionEvents.add(mgr.name() + " disconnected: " + cause);
                }

                @Override public void reconnected(XmppConnectionManager mgr, XMPPTCPConnection c, boolean resumed) {
                    connectionEvents.add(mgr.name() + " reconnected");
                }
            });
        }
        long lossesBefore = managers.stream().mapToLong(XmppConnectionManager::losses).sum();
        // every ERROR the focus logs while it is fuzzed is a finding (an exception it did not expect)
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<String> errors = new CopyOnWriteArrayList<>();
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> errorLog = new ch.qos.logback.core
                .AppenderBase<>() {
            @Override protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)
                        && e.getLoggerName().startsWith("io.focus.") && !e.getLoggerName().startsWith("io.focus.sim")) {
                    errors.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName() + ": "
                            + e.getThrowableProxy().getMessage()));
                }
            }
        };
        errorLog.start();
        root.addAppender(errorLog);
        BridgeRegistry registry = daemon.injector().getInstance(BridgeRegistry.class);
        Map<Integer, AtomicInteger> health = new ConcurrentHashMap<>();
        List<String> bridgeTrouble = new CopyOnWriteArrayList<>();
        pace = Executors.newScheduledThreadPool(2);
        pace.scheduleAtFixedRate(() -> {
            health.computeIfAbsent(rest.get("/about/health").status(), k -> new AtomicInteger()).incrementAndGet();
            for (String nick : List.of("jvb1", "jvb2")) {
                BridgeState b = registry.snapshot().find(nick);
                if (b == null || !b.operational()) {
                    bridgeTrouble.add(nick + ": " + b);
                }
            }
        }, 0, 200, TimeUnit.MILLISECONDS);

        // ------------------------------------------------------------ the senders
        HostileStanzas.Target target = new HostileStanzas.Target(focusJid, server.conferenceMucDomain(), room,
                fuzzRoom, sids);
        record Plan(String name, XMPPTCPConnection c, Route route, String to, double rate, int window) { }
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            plans.add(new Plan("c" + i, client(server), Route.DIRECT, focusJid, CLIENT_RATE, 32));
        }
        plans.add(new Plan("room-iq", inRoom, Route.OCCUPANT, fuzzRoom + "/focus", 4, 16));
        plans.add(new Plan("room-presence", inRoom, Route.ROOM_PRESENCE, fuzzRoom + "/focus", 2, 1));
        // the bridge's own traffic (stats, health-check answers) queues behind what it sends: a sane share
        plans.add(new Plan("jvb2-brewery", jvb2.connection(), Route.OCCUPANT, server.breweryJid() + "/focus", 15, 16));
        plans.add(new Plan("jvb2-direct", jvb2.connection(), Route.DIRECT, focusJid, 4, 8));
        plans.add(new Plan("flooder", client(server), Route.DIRECT, focusJid, FLOOD_RATE, 128));
        double rates = plans.stream().mapToDouble(Plan::rate).sum();
        int assigned = 0;
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            int quota = i == plans.size() - 1 ? total - assigned : (int) Math.round(total * p.rate() / rates);
            assigned += quota;
            FuzzSender s = new FuzzSender(p.name(), p.c(), p.route(), p.to(),
                    new HostileStanzas(seed * 31 + i, target), quota, p.window());
            senders.add(s);
        }
        long started = System.nanoTime();
        for (int i = 0; i < senders.size(); i++) {
            FuzzSender s = senders.get(i);
            pace.scheduleAtFixedRate(s::tick, i * 3L, (long) (1_000_000 / plans.get(i).rate()), TimeUnit.MICROSECONDS);
        }
        // the waits below end in the assertions further down, after the figures are printed
        Duration budget = Duration.ofSeconds(Math.max(60, (long) (3 * total / rates)));
        waitUntil(await("all sent").atMost(budget),
                () -> senders.stream().allMatch(FuzzSender::doneSending));
        long sentAt = System.nanoTime();
        waitUntil(await("every request answered").atMost(Duration.ofSeconds(30)),
                () -> senders.stream().mapToInt(FuzzSender::outstanding).sum() == 0);
        // and no second answer to any of them for two seconds
        int requests = senders.stream().mapToInt(FuzzSender::requests).sum();
        waitUntil(await("no duplicate").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)),
                () -> senders.stream().mapToInt(FuzzSender::replies).sum() == requests);
        long doneAt = System.nanoTime();
        pace.shutdownNow();
        root.detachAppender(errorLog);
        pace.awaitTermination(5, TimeUnit.SECONDS);

        // ------------------------------------------------------------ figures
        int sent = senders.stream().mapToInt(FuzzSender::sent).sum();
        int replies = senders.stream().mapToInt(FuzzSender::replies).sum();
        Map<String, Integer> kinds = merge(senders.stream().map(FuzzSender::sentByKind).toList());
        Map<String, Integer> answers = merge(senders.stream().map(FuzzSender::answers).toList());
        CollectorRegistry metrics = daemon.injector().getInstance(CollectorRegistry.class);
        Map<String, Double> rejected = new TreeMap<>();
        for (String reason : List.of("unparseable", "unknown-iq", "too-large", "rate-limited")) {
            Double v = metrics.getSampleValue("focus_stanzas_rejected_total", new String[] {"reason"},
                    new String[] {reason});
            rejected.put(reason, v == null ? 0 : v);
        }
        long losses = managers.stream().mapToLong(XmppConnectionManager::losses).sum() - lossesBefore;
        System.out.printf("fuzz: seed %d: sent %d stanzas (%d IQ requests, %.1f MB) in %.1f s; %d replies, all in"
                        + " %.1f s after the first stanza; focus connection losses %d, events %s; /about/health %s;"
                        + " rejected %s; stanzas the fuzz clients could not parse %d (the room reflects the in-room"
                        + " client's junk presence to it)%n", seed, sent, requests,
                senders.stream().mapToLong(FuzzSender::bytes).sum() / 1e6, (sentAt - started) / 1e9, replies,
                (doneAt - started) / 1e9, losses, connectionEvents, health, rejected,
                clients.stream().mapToInt(c -> c.unparseable.get()).sum());
        System.out.println("fuzz: sent by kind " + kinds);
        System.out.println("fuzz: answers " + answers);
        senders.forEach(s -> System.out.printf("fuzz:   %-14s sent %5d, requests %5d, replies %5d%n", s.name,
                s.sent(), s.requests(), s.replies()));

        // ------------------------------------------------------------ assertions
        for (FuzzSender s : senders) {
            assertNull(s.sendFailure(), () -> s.name + " could not send (Prosody closed its stream?)");
            assertTrue(s.connection.isConnected() && s.connection.isAuthenticated(),
                    () -> s.name + " lost its own connection: the test sent something Prosody refuses");
            assertEquals(Map.of(), s.missing(), () -> s.name + ": requests without a reply");
            assertEquals(Map.of(), s.duplicates(), () -> s.name + ": requests answered more than once");
            assertEquals(0, s.malformedReplies(), () -> s.name + ": error replies without a condition");
        }
        assertTrue(sent >= total, "sent " + sent + " of " + total);
        assertEquals(requests, replies);
        assertEquals(List.of(), connectionEvents, "the focus's XMPP connections were never lost");
        assertEquals(List.of(), errors, "the focus logged no ERROR");
        assertEquals(0, losses);
        assertTrue(xmpp.clientConnected());
        assertEquals(Set.of(200), health.keySet(), "/about/health at every sample: " + health);
        assertTrue(health.get(200).get() >= 5, "sampled " + health);
        assertEquals(List.of(), bridgeTrouble, "both bridges operational at every sample");
        for (String nick : List.of("jvb1", "jvb2")) {
            BridgeState b = registry.snapshot().find(nick);
            assertTrue(b.operational(), b::toString);
            assertNull(b.lastFailure(), () -> nick + " was failed: " + b.lastFailureReason());
        }
        assertFalse(daemon.injector().getInstance(HealthService.class).doctor().inPanic());
        // the far end: the call is still complete
        call.await();
        assertTrue(rejected.get("too-large") > 0 && rejected.get("rate-limited") > 0
                && rejected.get("unparseable") > 0 && rejected.get("unknown-iq") > 0, rejected::toString);
    }

    /** Waits (polling every 200 ms) until {@code condition} or the wait's end; false then, for the assertions to say why. */
    private static boolean waitUntil(org.awaitility.core.ConditionFactory wait, java.util.concurrent.Callable<Boolean> condition) {
        try {
            wait.pollInterval(Duration.ofMillis(200)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("fuzz: " + e.getMessage());
            return false;
        }
    }

    private FuzzClient client(ProsodyServer server) throws Exception {
        FuzzClient c = new FuzzClient(server.anonymousConfig().build());
        c.setReplyTimeout(10_000);
        c.connect().login();
        clients.add(c);
        return c;
    }

    private static Map<String, Integer> merge(List<Map<String, Integer>> maps) {
        return maps.stream().flatMap(m -> m.entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Integer::sum, TreeMap::new));
    }
}
