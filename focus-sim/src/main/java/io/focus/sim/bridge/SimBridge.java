package io.focus.sim.bridge;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import io.focus.sim.xml.RawExtension;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Stanzas;
import io.focus.sim.xml.Xml;

/**
 * A simulated jitsi-videobridge: an XMPP client that joins the brewery MUC as {@code jvbN}, publishes a colibri
 * stats presence shaped like the real one, answers health checks and Colibri2 {@code conference-modify} from a
 * small model, and misbehaves on demand.
 *
 * <p>It registers no Smack providers and never depends on the class of an incoming IQ: handlers are registered by
 * element and namespace, the IQ is turned into text and parsed by {@link Xml}, and replies are {@link RawIQ}s
 * written from templates. So it works next to the focus in one JVM, whatever providers the focus registers.
 *
 * <p>All state is owned by one control thread per bridge; Smack's threads only enqueue work. Requests are handled
 * in arrival order (so one conference's requests are handled in order).
 */
public final class SimBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimBridge.class);
    public static final String HEALTH_NS = "http://jitsi.org/protocol/healthcheck";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** Lifecycle state as the simulator sees it. */
    public enum State { NEW, JOINED, LEFT, HUNG, CRASHED, DISCONNECTED, STOPPED }

    private final SimBridgeOptions o;
    private final String nick;
    private final String brewery;
    private final ScheduledExecutorService control;
    private final ColibriModel model;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    // owned by the control thread (volatile for readers)
    private volatile XMPPTCPConnection connection;
    private volatile State state = State.NEW;
    private volatile boolean wantJoined;
    private volatile boolean hung;
    private volatile HealthMode healthMode = HealthMode.HEALTHY;
    private volatile ModelSnapshot snapshot = ModelSnapshot.EMPTY;
    private volatile Map<String, String> lastStats = Map.of();
    private ColibriFault fault = ColibriFault.NONE;
    private int faultLeft;
    private boolean rejectCreatesInGracefulShutdown = true;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private double stress;
    private double avgParticipantStress = 0.01;
    private String region;
    private boolean drain;
    private boolean gracefulShutdown;
    private boolean shuttingDown;
    private boolean healthyStat = true;
    private Instant startedAt = Instant.now();
    private ScheduledFuture<?> statsTask;
    private LeafNode pubsubLeaf;

    public SimBridge(SimBridgeOptions options) {
        this.o = Objects.requireNonNull(options);
        this.nick = Objects.requireNonNull(options.nick, "nick");
        this.brewery = options.breweryOrDefault();
        this.region = options.region;
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-" + nick);
            t.setDaemon(true);
            return t;
        });
        this.model = new ColibriModel(options.relayIdOrDefault(), options.seed, options.mediaPort, options.wsPort);
        this.model.setSctpSupported(options.sctpSupported);
        this.model.setHostOnlyCandidate(options.hostOnlyCandidate);
    }

    /** Creates, connects, logs in and joins (or starts publishing to pubsub); returns when the bridge is in. */
    public static SimBridge start(SimBridgeOptions options) {
        SimBridge b = new SimBridge(options);
        b.start();
        return b;
    }

    /** Connects, logs in, joins the brewery (or pubsub) and publishes the first stats; waits until done. */
    public void start() {
        call(() -> {
            connectAndJoin();
            statsTask = control.scheduleAtFixedRate(this::publishTick, o.statsInterval.toMillis(),
                    o.statsInterval.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        });
    }

    // ------------------------------------------------------------------ identity and observation

    public String nick() { return nick; }

    /** The brewery room JID (lower case, as Prosody has it). */
    public String breweryJid() { return brewery; }

    /** {@code brewery/nick}: where the focus addresses IQs in brewery mode. */
    public String occupantJid() { return brewery + "/" + nick; }

    /** This bridge's own full JID (e.g. {@code jvb@auth.meet.test/jvb1-xyz}), null before connecting. */
    public String jid() {
        XMPPTCPConnection c = connection;
        EntityFullJid u = c == null ? null : c.getUser();
        return u == null ? null : u.toString();
    }

    public State state() { return state; }

    /**
     * The bridge's XMPP connection (null before it connected), for tests that speak as this bridge beyond what it
     * simulates, e.g. a fuzz test sending junk from a bridge; what it sends that way is not part of its model.
     */
    public XMPPTCPConnection connection() { return connection; }

    public String region() { return region; }

    /** The conferences, endpoints and relays this bridge holds now. */
    public ModelSnapshot model() { return snapshot; }

    /** The relay-id other bridges' relays towards this one carry (default: the nick). */
    public String relayId() { return o.relayIdOrDefault(); }

    /**
     * Local endpoint {@code endpointId} of {@code conference} (meeting-id or conference name) as the focus
     * described it to this bridge: the participant's ICE/DTLS transport and sources, and whether it is connected
     * (see {@link BridgeEndpoint}). Empty when the bridge has no such endpoint. A snapshot: poll it with Awaitility.
     */
    public Optional<BridgeEndpoint> endpoint(String conference, String endpointId) {
        return snapshot.endpoint(conference, endpointId);
    }

    /** Every local endpoint: meeting-id → endpoint id → state (a snapshot). */
    public Map<String, Map<String, BridgeEndpoint>> endpoints() {
        return snapshot.endpointDetails();
    }

    /** This bridge's relay {@code relayId} (the other bridge's {@link #relayId()}) in {@code conference}. */
    public Optional<BridgeRelay> relay(String conference, String relayId) {
        return snapshot.relay(conference, relayId);
    }

    /**
     * Whether local endpoint {@code endpointId} is connected and this bridge has every SSRC in {@code expected}
     * (sender endpoint id → SSRCs, e.g. the other participants' {@code ownSources().ssrcs()}) from a connected local
     * endpoint or a relay that received its transport. See {@link ModelSnapshot#expectedMedia}.
     */
    public boolean expectedMedia(String conference, String endpointId, Map<String, Set<Long>> expected) {
        return snapshot.expectedMedia(conference, endpointId, expected);
    }

    /** What of {@code expected} endpoint {@code endpointId} cannot receive here (empty = all); for messages. */
    public Map<String, Set<Long>> missingMedia(String conference, String endpointId, Map<String, Set<Long>> expected) {
        return snapshot.missingMedia(conference, endpointId, expected);
    }

    /**
     * Whether the relay between bridges {@code a} and {@code b} is connected in {@code conference} (meeting-id or
     * name): each one's relay towards the other received the other's transport.
     */
    public static boolean relayConnected(SimBridge a, SimBridge b, String conference) {
        return ModelSnapshot.relayConnected(a.model(), a.relayId(), b.model(), b.relayId(), conference);
    }

    /** Every {@code conference-modify} received (as XML text), in arrival order. */
    public List<String> requests() { return List.copyOf(requests); }

    /** How many health-check IQs arrived (answered or not). */
    public int healthChecks() { return healthChecks.get(); }

    /** The stats as last published. */
    public Map<String, String> lastPublishedStats() { return lastStats; }

    /** Receives one human-readable line per state change (for the CLI and demo). */
    public void addListener(Consumer<String> listener) { listeners.add(listener); }

    // ------------------------------------------------------------------ faults and stat flips

    /** Leaves the brewery cleanly (unavailable presence), staying connected. */
    public void leave() {
        call(() -> {
            wantJoined = false;
            if (o.mode == SimBridgeOptions.Mode.BREWERY && connection != null && connection.isConnected()) {
                Presence p = connection.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                        .to(JidCreate.from(occupantJid())).build();
                connection.sendStanza(p);
            }
            setState(State.LEFT, "left " + brewery);
            return null;
        });
    }

    /**
     * Closes the TCP socket abruptly: no unavailable presence from us; Prosody ends the session at once and reports
     * us gone. No reconnect. Only without stream management (with it, Prosody would hibernate the session: that is
     * {@link #kill()}).
     */
    public void crash() {
        if (o.streamManagement) {
            throw new IllegalStateException(nick + " uses stream management: a dropped connection hibernates in "
                    + "Prosody instead of ending at once; use kill()");
        }
        call(() -> {
            dropConnection();
            setState(State.CRASHED, "crashed (socket closed abruptly)");
            return null;
        });
    }

    /**
     * The bridge process is killed while stream management is on ({@link SimBridgeOptions#streamManagement}): the
     * TCP connection dies without a stream close, so Prosody keeps the session hibernating for its
     * {@code smacks_hibernation_time}: the bridge stays in the brewery and stanzas to it are queued, unanswered;
     * then Prosody ends the session and the brewery reports the bridge gone. No reconnect, no resumption.
     */
    public void kill() {
        if (!o.streamManagement) {
            throw new IllegalStateException(nick + " has no stream management: a dropped connection ends its session "
                    + "at once; use crash()");
        }
        call(() -> {
            dropConnection();
            setState(State.CRASHED, "killed (connection dropped, session left hibernating)");
            return null;
        });
    }

    private void dropConnection() {
        wantJoined = false;
        XMPPTCPConnection c = connection;
        if (c == null) {
            return;
        }
        ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
        Socket s = rawSocket(c);
        if (s != null) {
            try {
                s.setSoLinger(true, 0); // RST, like a killed process
            } catch (IOException ignored) {
                // best effort
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        } else {
            c.instantShutdown();
        }
    }

    /** Stays connected and in the room but answers nothing and publishes nothing. */
    public void hang() {
        call(() -> {
            hung = true;
            setState(State.HUNG, "hung (connected, silent)");
            return null;
        });
    }

    /** Comes back after leave/crash/hang: reconnects if needed, rejoins, publishes stats. Keeps the model. */
    public void rejoin() {
        call(() -> {
            hung = false;
            XMPPTCPConnection c = connection;
            if (c == null || !c.isAuthenticated()) {
                if (c != null) {
                    c.disconnect();
                }
                connectAndJoin();
            } else {
                wantJoined = true;
                join();
            }
            return null;
        });
    }

    /** Forgets all conferences (a bridge restart as the focus sees it) and restarts {@code uptime}. */
    public void forgetConferences() {
        call(() -> {
            model.clear();
            startedAt = Instant.now();
            snapshot = model.snapshot();
            publishNow();
            return null;
        });
    }

    public void setStress(double s) { change(() -> stress = s); }
    public void setAverageParticipantStress(double s) { change(() -> avgParticipantStress = s); }
    public void setRegion(String r) { change(() -> region = r); }
    public void setDrain(boolean on) { change(() -> drain = on); }
    public void setGracefulShutdown(boolean on) { change(() -> gracefulShutdown = on); }
    public void setShuttingDown(boolean on) { change(() -> shuttingDown = on); }
    /** The {@code healthy} stat (presence-based health); health-check IQs follow {@link #setHealthMode}. */
    public void setHealthy(boolean on) { change(() -> healthyStat = on); }

    /** Overrides (or with null, removes) one stat in the published presence; any string, garbage included. */
    public void setStat(String name, String value) {
        change(() -> overrides.put(name, value));
    }

    /** Removes an override set by {@link #setStat}. */
    public void clearStat(String name) {
        change(() -> overrides.remove(name));
    }

    public void setHealthMode(HealthMode mode) {
        call(() -> {
            healthMode = Objects.requireNonNull(mode);
            emit("health mode " + mode);
            return null;
        });
    }

    public void setColibriFault(ColibriFault f) {
        call(() -> {
            fault = Objects.requireNonNull(f);
            faultLeft = f.times();
            emit("colibri fault " + f);
            return null;
        });
    }

    /** Whether conference creates are refused while {@code graceful_shutdown} is on (the real JVB does). Default true. */
    public void setRejectCreatesInGracefulShutdown(boolean on) {
        call(() -> {
            rejectCreatesInGracefulShutdown = on;
            return null;
        });
    }

    /** Publishes the stats now (also done every interval and on every change). */
    public void publishStatsNow() {
        call(() -> {
            publishNow();
            return null;
        });
    }

    /** The stats as they would be published now. */
    public Map<String, String> currentStats() {
        return call(this::buildStats);
    }

    /** Leaves, disconnects and stops the control thread. */
    public void stop() {
        if (control.isShutdown()) {
            return;
        }
        try {
            call(() -> {
                wantJoined = false;
                if (statsTask != null) {
                    statsTask.cancel(false);
                }
                XMPPTCPConnection c = connection;
                if (c != null) {
                    ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
                    if (c.isConnected() && state == State.JOINED && o.mode == SimBridgeOptions.Mode.BREWERY) {
                        try {
                            c.sendStanza(c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                                    .to(JidCreate.from(occupantJid())).build());
                        } catch (Exception e) {
                            log.debug("{} unavailable on stop failed", nick, e);
                        }
                    }
                    c.disconnect();
                }
                setState(State.STOPPED, "stopped");
                return null;
            });
        } finally {
            control.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "SimBridge[" + nick + " " + jid() + " " + state + "]";
    }

    // ------------------------------------------------------------------ connection

    private void connectAndJoin() throws Exception {
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(o.loginDomainOrDefault())
                .setHostAddress(InetAddress.getByName(o.xmppHost))
                .setPort(o.xmppPort)
                .setUsernameAndPassword(o.user, o.password)
                .setResource(o.resource != null ? o.resource : nick + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
                .setSendPresence(false)
                .setConnectTimeout(10_000);
        if (o.tls) {
            b.setSecurityMode(SecurityMode.required).setCustomX509TrustManager(TRUST_ALL).setHostnameVerifier((h, s) -> true);
        } else {
            b.setSecurityMode(SecurityMode.disabled);
        }
        XMPPTCPConnection c = new XMPPTCPConnection(b.build());
        c.setUseStreamManagement(o.streamManagement);
        c.setUseStreamManagementResumption(o.streamManagement);
        c.setReplyTimeout(10_000);
        registerHandlers(c);
        c.addConnectionListener(new ConnectionListener() {
            @Override
            public void authenticated(XMPPConnection conn, boolean resumed) {
                if (conn == connection && state == State.DISCONNECTED) {
                    control.execute(() -> onReconnected(conn));
                }
            }

            @Override
            public void connectionClosedOnError(Exception e) {
                control.execute(() -> {
                    if (connection == c && state != State.CRASHED && state != State.STOPPED) {
                        setState(State.DISCONNECTED, "connection lost: " + e);
                    }
                });
            }
        });
        if (o.autoReconnect) {
            ReconnectionManager rm = ReconnectionManager.getInstanceFor(c);
            rm.setReconnectionPolicy(ReconnectionManager.ReconnectionPolicy.FIXED_DELAY);
            rm.setFixedDelay(1);
            rm.enableAutomaticReconnection();
        }
        connection = c;
        c.connect().login();
        log.info("Sim bridge {} logged in as {}", nick, c.getUser());
        startedAt = Instant.now();
        wantJoined = true;
        join();
    }

    private void onReconnected(XMPPConnection conn) {
        if (conn != connection || !wantJoined) {
            return;
        }
        try {
            join();
        } catch (Exception e) {
            log.warn("Sim bridge {} could not rejoin after reconnect: {}", nick, e.toString());
        }
    }

    private void join() throws Exception {
        XMPPTCPConnection c = connection;
        if (o.mode == SimBridgeOptions.Mode.PUBSUB) {
            PubSubManager mgr = PubSubManager.getInstanceFor(c, JidCreate.bareFrom(o.pubsubServiceOrDefault()));
            pubsubLeaf = mgr.getOrCreateLeafNode(o.pubsubNode);
            setState(State.JOINED, "publishing stats to " + o.pubsubNode + " on " + o.pubsubServiceOrDefault());
            publishNow();
            return;
        }
        Jid room = JidCreate.from(occupantJid());
        // the real JVB's first brewery presence has no stats; they follow right after
        Presence join = c.getStanzaFactory().buildPresenceStanza().to(room)
                .addExtension(new RawExtension("x", "http://jabber.org/protocol/muc",
                        "<x xmlns='http://jabber.org/protocol/muc'/>"))
                .build();
        try (StanzaCollector col = c.createStanzaCollectorAndSend(
                new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createFull(room)), join)) {
            Stanza reply = col.nextResult(10_000);
            if (reply == null) {
                throw new IOException(nick + ": no answer from " + brewery + " to the join");
            }
            if (reply.getError() != null) {
                throw new IOException(nick + ": could not join " + brewery + ": " + reply.getError());
            }
        }
        setState(State.JOINED, "joined " + brewery + " as " + nick + " (" + c.getUser() + ")");
        publishNow();
    }

    private static Socket rawSocket(XMPPTCPConnection c) {
        try {
            Field f = XMPPTCPConnection.class.getDeclaredField("socket");
            f.setAccessible(true);
            return (Socket) f.get(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ stats

    private void change(Runnable r) {
        call(() -> {
            r.run();
            publishNow();
            return null;
        });
    }

    private void publishTick() {
        try {
            publishNow();
        } catch (RuntimeException e) {
            log.warn("Sim bridge {} stats publish failed: {}", nick, e.toString());
        }
    }

    private void publishNow() {
        Map<String, String> stats = buildStats();
        XMPPTCPConnection c = connection;
        if (hung || state != State.JOINED || c == null || !c.isAuthenticated()) {
            return;
        }
        try {
            if (o.mode == SimBridgeOptions.Mode.PUBSUB) {
                pubsubLeaf.publish(new PayloadItem<>(String.valueOf(c.getUser()), StatsTemplate.extension(stats)));
            } else {
                c.sendStanza(c.getStanzaFactory().buildPresenceStanza().to(JidCreate.from(occupantJid()))
                        .addExtension(StatsTemplate.extension(stats)).build());
            }
            lastStats = Map.copyOf(stats.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(LinkedHashMap<String, String>::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
        } catch (Exception e) {
            log.warn("Sim bridge {} could not publish stats: {}", nick, e.toString());
        }
    }

    private Map<String, String> buildStats() {
        LinkedHashMap<String, String> s = StatsTemplate.defaults();
        int local = model.endpointCount();
        int relayed = model.relayedEndpointCount();
        s.put("stress_level", Double.toString(stress + local * o.stressPerEndpoint));
        s.put("average_participant_stress", Double.toString(avgParticipantStress));
        s.put("conferences", Integer.toString(model.conferenceCount()));
        s.put("octo_conferences", Integer.toString((int) snapshot.conferences().values().stream()
                .filter(c -> !c.relays().isEmpty()).count()));
        s.put("endpoints", Integer.toString(local + relayed));
        s.put("participants", Integer.toString(local + relayed));
        s.put("local_endpoints", Integer.toString(local));
        s.put("octo_endpoints", Integer.toString(relayed));
        s.put("largest_conference", Integer.toString(model.largestConference()));
        s.put("graceful_shutdown", Boolean.toString(gracefulShutdown));
        s.put("shutting_down", Boolean.toString(shuttingDown));
        s.put("drain", Boolean.toString(drain));
        s.put("current_timestamp", LocalDateTime.now().format(TS));
        s.put("relay_id", o.relayIdOrDefault());
        s.put("healthy", Boolean.toString(healthyStat));
        s.put("version", o.version);
        if (region != null) {
            s.put("region", region);
        } else {
            s.remove("region");
        }
        if (o.release != null) {
            s.put("release", o.release);
        }
        if (o.publishUptime) {
            s.put("uptime", Long.toString(Duration.between(startedAt, Instant.now()).toSeconds()));
        }
        s.putAll(overrides);
        return s;
    }

    // ------------------------------------------------------------------ IQ handling

    private void registerHandlers(XMPPTCPConnection c) {
        for (IQ.Type t : List.of(IQ.Type.get, IQ.Type.set)) {
            c.registerIQRequestHandler(new AbstractIqRequestHandler("conference-modify", ColibriModel.NS, t,
                    IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ iq) {
                    String xml = Stanzas.childXml(iq);
                    control.execute(() -> onColibri(c, iq, xml));
                    return null;
                }
            });
            c.registerIQRequestHandler(new AbstractIqRequestHandler("healthcheck", HEALTH_NS, t,
                    IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ iq) {
                    control.execute(() -> onHealthCheck(c, iq));
                    return null;
                }
            });
        }
    }

    private boolean allowed(IQ iq) {
        if (o.mode == SimBridgeOptions.Mode.PUBSUB) {
            return true;
        }
        Jid from = iq.getFrom();
        return from != null && from.asBareJid().toString().equalsIgnoreCase(brewery);
    }

    private void onHealthCheck(XMPPTCPConnection c, IQ iq) {
        healthChecks.incrementAndGet();
        try {
            if (hung) {
                return;
            }
            if (!allowed(iq)) {
                send(c, simpleError(iq, StanzaError.Condition.forbidden, StanzaError.Type.AUTH, null));
                return;
            }
            switch (healthMode) {
                case HEALTHY -> send(c, IQ.createResultIQ(iq));
                case FAILING -> send(c, simpleError(iq, StanzaError.Condition.internal_server_error,
                        StanzaError.Type.CANCEL, "simulated health-check failure"));
                case HUNG -> { }
            }
        } catch (RuntimeException e) {
            log.warn("Sim bridge {} health-check handling failed: {}", nick, e.toString());
        }
    }

    private void onColibri(XMPPTCPConnection c, IQ iq, String xml) {
        requests.add(xml);
        try {
            if (hung) {
                return;
            }
            if (!allowed(iq)) {
                send(c, simpleError(iq, StanzaError.Condition.forbidden, StanzaError.Type.AUTH, null));
                return;
            }
            Element req;
            try {
                req = Xml.parse(xml);
            } catch (IllegalArgumentException e) {
                send(c, simpleError(iq, StanzaError.Condition.bad_request, StanzaError.Type.MODIFY, e.getMessage()));
                return;
            }
            if (fault.kind() != ColibriFault.Kind.NONE && faultLeft != 0) {
                if (faultLeft > 0) {
                    faultLeft--;
                }
                ColibriFault f = fault;
                if (faultLeft == 0) {
                    fault = ColibriFault.NONE;
                }
                if (f.kind() == ColibriFault.Kind.ERROR) {
                    send(c, errorIq(iq, new ColibriReply.Error(f.condition(), f.text(), f.colibriReason(),
                            Xml.attributes(req))));
                }
                return;
            }
            ColibriReply reply = model.handle(req, gracefulShutdown && rejectCreatesInGracefulShutdown);
            snapshot = model.snapshot();
            if (reply instanceof ColibriReply.Result r) {
                send(c, resultIq(iq, r));
            } else if (reply instanceof ColibriReply.Error e) {
                send(c, errorIq(iq, e));
            }
        } catch (RuntimeException e) {
            log.warn("Sim bridge {} colibri handling failed: {}", nick, e.toString());
        }
    }

    /**
     * An error reply echoing the request's (empty) child element. Built from a template, not with
     * {@code IQ.createErrorResponse}, which re-serialises an {@code UnparsedIQ} request badly.
     */
    static IQ simpleError(IQ request, StanzaError.Condition condition, StanzaError.Type type, String text) {
        StanzaError.Builder err = StanzaError.getBuilder(condition).setType(type);
        if (text != null) {
            err.setDescriptiveEnText(text);
        }
        RawIQ res = new RawIQ(request.getChildElementName(), request.getChildElementNamespace(), Map.of(), "");
        res.setType(IQ.Type.error);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        res.setError(err.build());
        return res;
    }

    /** The result IQ for a {@code conference-modify}: {@code <conference-modified xmlns='jitsi:colibri2'>...}. */
    static IQ resultIq(IQ request, ColibriReply.Result r) {
        RawIQ res = new RawIQ("conference-modified", ColibriModel.NS, Map.of(), r.innerXml());
        res.setType(IQ.Type.result);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        return res;
    }

    /** The error IQ for a refused {@code conference-modify}, shaped like the real JVB's (see {@link ColibriReply.Error}). */
    static IQ errorIq(IQ request, ColibriReply.Error e) {
        StanzaError.Builder err = StanzaError.getBuilder(StanzaError.Condition.fromString(e.condition()))
                .setType(StanzaError.Type.CANCEL);
        if (e.text() != null) {
            err.setDescriptiveEnText(e.text());
        }
        if (e.colibriReason() != null) {
            err.addExtension(new RawExtension("error", ColibriModel.NS,
                    "<error xmlns='" + ColibriModel.NS + "' reason='" + Xml.esc(e.colibriReason()) + "'/>"));
        }
        if (e.extraXml() != null) {
            Element extra = Xml.parse(e.extraXml());
            err.addExtension(new RawExtension(extra.getLocalName(), extra.getNamespaceURI(), e.extraXml()));
        }
        RawIQ res = new RawIQ("conference-modify", ColibriModel.NS, e.echo(), "");
        res.setType(IQ.Type.error);
        res.setTo(request.getFrom());
        res.setStanzaId(request.getStanzaId());
        res.setError(err.build());
        return res;
    }

    private void send(XMPPTCPConnection c, IQ iq) {
        try {
            c.sendStanza(iq);
        } catch (Exception e) {
            log.warn("Sim bridge {} could not send reply to {}: {}", nick, iq.getTo(), e.toString());
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void setState(State s, String what) {
        state = s;
        emit(what);
    }

    private void emit(String what) {
        String line = nick + ": " + what;
        log.info("Sim bridge {}", line);
        for (Consumer<String> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                log.debug("listener failed", e);
            }
        }
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    private <T> T call(Task<T> task) {
        if (Thread.currentThread().getName().equals("sim-" + nick)) {
            try {
                return task.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(nick + ": " + e.getMessage(), e);
            }
        }
        Future<T> f = control.submit(task::run);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(nick + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(nick + ": control thread did not finish within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(nick + ": interrupted", e);
        }
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };

}
