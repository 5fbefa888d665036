package io.focus.sim.bridge;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;


import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.focus.sim.xml.RawIQ;
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

    /** Lifecycle state as the simulator sees it. */
    public enum State { NEW, JOINED, LEFT, HUNG, CRASHED, DISCONNECTED, STOPPED }

    private final SimBridgeOptions o;
    private final String nick;
    private final String brewery;
    private final ControlThread control;
    private final ColibriModel model;
    private final ColibriService colibri;
    private final BridgeIqHandlers iqs;
    private final BridgeSession session;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    // owned by the control thread (volatile for readers)
    private volatile State state = State.NEW;
    private volatile boolean hung;
    private volatile HealthMode healthMode = HealthMode.HEALTHY;
    private volatile ModelSnapshot snapshot = ModelSnapshot.EMPTY;
    private volatile Map<String, String> lastStats = Map.of();
    private final PublishedStats stats;
    private ScheduledFuture<?> statsTask;

    public SimBridge(SimBridgeOptions options) {
        this.o = Objects.requireNonNull(options);
        this.nick = Objects.requireNonNull(options.nick, "nick");
        this.brewery = options.breweryOrDefault();
        this.stats = new PublishedStats(options.region);
        this.control = new ControlThread(nick);
        this.model = new ColibriModel(options.relayIdOrDefault(), options.seed, options.mediaPort, options.wsPort);
        this.model.setSctpSupported(options.sctpSupported);
        this.model.setHostOnlyCandidate(options.hostOnlyCandidate);
        this.colibri = new ColibriService(model);
        this.iqs = new BridgeIqHandlers(control, options, brewery, () -> hung, this::answerHealthCheck,
                this::answerColibri);
        this.session = new BridgeSession(options, nick, brewery, control, iqs, this::onReauthenticated,
                e -> {
                    if (state != State.CRASHED && state != State.STOPPED) {
                        setState(State.DISCONNECTED, "connection lost: " + e);
                    }
                });
    }

    /** Creates, connects, logs in and joins (or starts publishing to pubsub); returns when the bridge is in. */
    public static SimBridge start(SimBridgeOptions options) {
        SimBridge b = new SimBridge(options);
        b.start();
        return b;
    }

    /** Connects, logs in, joins the brewery (or pubsub) and publishes the first stats; waits until done. */
    public void start() {
        control.call(() -> {
            connectAndJoin();
            statsTask = control.every(this::publishTick, o.statsInterval.toMillis());
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
    public String jid() { return session.jid(); }

    public State state() { return state; }

    /**
     * The bridge's XMPP connection (null before it connected), for tests that speak as this bridge beyond what it
     * simulates, e.g. a fuzz test sending junk from a bridge; what it sends that way is not part of its model.
     */
    public XMPPTCPConnection connection() { return session.connection(); }

    public String region() { return stats.region; }

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
    public List<String> requests() { return iqs.requests(); }

    /** How many health-check IQs arrived (answered or not). */
    public int healthChecks() { return iqs.healthChecks(); }

    /** The stats as last published. */
    public Map<String, String> lastPublishedStats() { return lastStats; }

    /** Receives one human-readable line per state change (for the CLI and demo). */
    public void addListener(Consumer<String> listener) { listeners.add(listener); }

    // ------------------------------------------------------------------ faults and stat flips

    /** Leaves the brewery cleanly (unavailable presence), staying connected. */
    public void leave() {
        control.call(() -> {
            session.leave();
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
        control.call(() -> {
            session.drop();
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
        control.call(() -> {
            session.drop();
            setState(State.CRASHED, "killed (connection dropped, session left hibernating)");
            return null;
        });
    }


    /** Stays connected and in the room but answers nothing and publishes nothing. */
    public void hang() {
        control.call(() -> {
            hung = true;
            setState(State.HUNG, "hung (connected, silent)");
            return null;
        });
    }

    /** Comes back after leave/crash/hang: reconnects if needed, rejoins, publishes stats. Keeps the model. */
    public void rejoin() {
        control.call(() -> {
            hung = false;
            if (session.isAuthenticated()) {
                join();
            } else {
                connectAndJoin();
            }
            return null;
        });
    }

    /** Forgets all conferences (a bridge restart as the focus sees it) and restarts {@code uptime}. */
    public void forgetConferences() {
        control.call(() -> {
            model.clear();
            stats.startedAt = Instant.now();
            snapshot = model.snapshot();
            publishNow();
            return null;
        });
    }

    public void setStress(double s) { change(() -> stats.stress = s); }
    public void setAverageParticipantStress(double s) { change(() -> stats.avgParticipantStress = s); }
    public void setRegion(String r) { change(() -> stats.region = r); }
    public void setDrain(boolean on) { change(() -> stats.drain = on); }
    public void setGracefulShutdown(boolean on) { change(() -> stats.gracefulShutdown = on); }
    public void setShuttingDown(boolean on) { change(() -> stats.shuttingDown = on); }
    /** The {@code healthy} stat (presence-based health); health-check IQs follow {@link #setHealthMode}. */
    public void setHealthy(boolean on) { change(() -> stats.healthyStat = on); }

    /** Overrides (or with null, removes) one stat in the published presence; any string, garbage included. */
    public void setStat(String name, String value) {
        change(() -> stats.overrides.put(name, value));
    }

    /** Removes an override set by {@link #setStat}. */
    public void clearStat(String name) {
        change(() -> stats.overrides.remove(name));
    }

    public void setHealthMode(HealthMode mode) {
        control.call(() -> {
            healthMode = Objects.requireNonNull(mode);
            emit("health mode " + mode);
            return null;
        });
    }

    public void setColibriFault(ColibriFault f) {
        control.call(() -> {
            colibri.setFault(f);
            emit("colibri fault " + f);
            return null;
        });
    }

    /** Whether conference creates are refused while {@code graceful_shutdown} is on (the real JVB does). Default true. */
    public void setRejectCreatesInGracefulShutdown(boolean on) {
        control.call(() -> {
            colibri.setRejectCreatesInGracefulShutdown(on);
            return null;
        });
    }

    /** Publishes the stats now (also done every interval and on every change). */
    public void publishStatsNow() {
        control.call(() -> {
            publishNow();
            return null;
        });
    }

    /** The stats as they would be published now. */
    public Map<String, String> currentStats() {
        return control.call(this::buildStats);
    }

    /** Leaves, disconnects and stops the control thread. */
    public void stop() {
        if (control.isShutdown()) {
            return;
        }
        try {
            control.call(() -> {
                if (statsTask != null) {
                    statsTask.cancel(false);
                }
                session.close(state == State.JOINED);
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
        session.connect();
        stats.startedAt = Instant.now();
        join();
    }

    /** The connection logged in again by itself (Smack's reconnection): back into the brewery if still wanted. */
    private void onReauthenticated() {
        if (state != State.DISCONNECTED || !session.wantsJoined()) {
            return;
        }
        try {
            join();
        } catch (Exception e) {
            log.warn("Sim bridge {} could not rejoin after reconnect: {}", nick, e.toString());
        }
    }

    // ------------------------------------------------------------------ stats

    private void change(Runnable r) {
        control.call(() -> {
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

    private Map<String, String> buildStats() {
        return stats.build(model, snapshot, o);
    }

    private void join() throws Exception {
        setState(State.JOINED, session.join());
        publishNow();
    }

    private void publishNow() {
        Map<String, String> stats = buildStats();
        if (hung || state != State.JOINED || !session.isAuthenticated()) {
            return;
        }
        try {
            session.publish(stats);
            lastStats = Map.copyOf(stats.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(LinkedHashMap<String, String>::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
        } catch (Exception e) {
            log.warn("Sim bridge {} could not publish stats: {}", nick, e.toString());
        }
    }

    // ------------------------------------------------------------------ answers (control thread)

    private IQ answerHealthCheck(IQ iq) {
        return switch (healthMode) {
            case HEALTHY -> IQ.createResultIQ(iq);
            case FAILING -> BridgeReplies.simpleError(iq, StanzaError.Condition.internal_server_error,
                    StanzaError.Type.CANCEL, "simulated health-check failure");
            case HUNG -> null;
        };
    }

    private IQ answerColibri(IQ iq, String xml) {
        IQ reply = colibri.handle(iq, xml, stats.gracefulShutdown);
        snapshot = colibri.snapshot();
        return reply;
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


}
