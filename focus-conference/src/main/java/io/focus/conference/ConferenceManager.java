package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.Bridges;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import io.focus.core.selection.BridgeSelector;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All conferences of the focus: creates one on request, finds and ends them, feeds them bridge events, and runs the
 * admin moves and the focus-side drain. Everything that changes conference state runs on the one {@link EventLoop};
 * the public methods may be called from any thread and return futures.
 */
public final class ConferenceManager implements BridgeEventListener, ConferenceControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConferenceManager.class);

    private final ConferenceContext ctx;
    private final ConferenceRoomFactory rooms;
    private final RoomRecovery recovery;
    /** Written on the loop only; read anywhere (views are immutable). */
    private final Map<String, Conference> conferences = new ConcurrentHashMap<>();
    private final BridgeMoves moves;
    private volatile boolean started;

    private ConferenceManager(Builder b) {
        ConferenceMetrics metrics = new ConferenceMetrics(b.registry);
        // The ledger lets a burst of placements see its own effect before the registry applies the feedback.
        PlacementLedger ledger = new PlacementLedger(b.clock, b.settings.pendingPlacementWindow());
        this.ctx = new ConferenceContext(b.settings, b.bridges, b.selector, b.backend, b.signaller,
                ledger.wrap(b.feedback), b.loop, b.clock, metrics, b.pinnedVersion, ledger,
                new RefusedRequests(b.registry, b.clock), new OwedExpiries(b.backend, b.bridges, b.loop, b.clock,
                        metrics), b.journal);
        this.rooms = b.rooms;
        this.recovery = new RoomRecovery(ctx, b.recovery, conferences::values);
        this.moves = new BridgeMoves(ctx, conferences);
        b.signaller.attach(this);
    }

    public static Builder builder() { return new Builder(); }

    /** Starts listening to bridge events. */
    public ConferenceManager start() {
        if (!started) {
            started = true;
            ctx.bridges().addListener(this);
        }
        return this;
    }

    @Override public void close() {
        ctx.bridges().removeListener(this);
        CompletableFuture<Void> done = ctx.loop().submit(() -> {
            for (Conference c : new ArrayList<>(conferences.values())) {
                c.end("focus shutting down");
            }
            moves.cancelAll();
            ctx.expiries().stop();
            return null;
        });
        try {
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Conferences did not end cleanly on close: {}", e.toString());
        }
    }

    public ConferenceSettings settings() { return ctx.settings(); }

    /** The conferences' clock (the request handler's log throttle reads it too). */
    Clock clock() { return ctx.clock(); }

    // ---------------------------------------------------------------------------------------------------------
    // Requests

    /**
     * A conference request (the focus IQ or {@code POST /conference-request/v1}). Creates the conference if it does
     * not exist and joins the room; the future completes when the focus is in the room.
     *
     * @param room the room's bare JID
     * @param properties the request's properties ({@code rtcstatsEnabled}, ...)
     * @return fails with {@link ConferenceRequestException} for a bad request (nothing changed), or when the room
     *     could not be joined
     */
    public CompletableFuture<ConferenceRequestResult> requestConference(String room, Map<String, String> properties) {
        return requestConference(room, properties, null);
    }

    /**
     * As {@link #requestConference(String, Map)}, from a known requester. With authentication enabled
     * ({@link AuthenticationSettings}), only a requester of the authenticated domain may create the conference;
     * anybody else (a guest, or an unknown requester) may only request one that exists, and is refused with
     * {@link ConferenceRequestException.Kind#NOT_AUTHORIZED} otherwise (nothing is created).
     *
     * @param requesterJid the requester's JID (already unwrapped from the client proxy), or null when unknown
     */
    public CompletableFuture<ConferenceRequestResult> requestConference(String room, Map<String, String> properties,
                                                                        String requesterJid) {
        String roomJid;
        try {
            roomJid = validateRoom(room);
        } catch (ConferenceRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, String> props = properties == null ? Map.of() : Map.copyOf(properties);
        CompletableFuture<Requested> conf = ctx.loop().submit(() -> {
            ctx.metrics().conferenceRequests.inc();
            Conference c = conferences.get(roomJid);
            if (c != null && !c.ended()) {
                c.requestedAgain();
                // "ready" only once the focus is in the room: after a connection loss, once it is back in it
                return new Requested(c, recovery.inRoom(c));
            }
            AuthenticationSettings auth = ctx.settings().authentication();
            if (auth.enabled() && !auth.isAuthenticated(requesterJid)) {
                log.info("[room={}] not created: {} is not a user of the authenticated domain {}", roomJid,
                        requesterJid, auth.domain());
                throw new ConferenceRequestException(ConferenceRequestException.Kind.NOT_AUTHORIZED,
                        "not authorized user domain");
            }
            ctx.metrics().conferenceRequestsNew.inc();
            boolean rtcstats = !"false".equalsIgnoreCase(props.getOrDefault("rtcstatsEnabled", "true"));
            c = create(roomJid, null, rtcstats);
            c.start(rooms, recovery.listenerFor(c));
            return new Requested(c, recovery.inRoom(c));
        });
        return conf.thenCompose(r -> r.inRoom()
                .handle((v, e) -> {
                    Conference c = r.conference();
                    if (e != null) {
                        throw new ConferenceRequestException(ConferenceRequestException.Kind.UNAVAILABLE,
                                "could not join " + roomJid + ": " + e.getMessage());
                    }
                    return new ConferenceRequestResult(roomJid, true, c.spec().meetingId());
                }));
    }

    private record Requested(Conference conference, CompletableFuture<Void> inRoom) {}

    /** Loop: a new conference (not started); {@code meetingId} null for a new one. */
    private Conference create(String roomJid, String meetingId, boolean rtcstats) {
        ctx.metrics().conferencesCreated.inc();
        Conference c = meetingId == null ? new Conference(ctx, roomJid, rtcstats, this::onConferenceEnded)
                : new Conference(ctx, roomJid, meetingId, rtcstats, this::onConferenceEnded);
        conferences.put(roomJid, c);
        log.info("[room={} meeting_id={}] conference created", roomJid, c.spec().meetingId());
        return c;
    }

    // ---------------------------------------------------------------------------------------------------------
    // XMPP trouble (RoomRecovery) and a restarted focus (ConferenceRestore)

    /**
     * The client connection was lost. Call on the connection's own thread, before it reconnects
     * ({@link RoomConnectionListener} does): every room forgets its membership at once.
     */
    public void roomsLost(String cause) {
        recovery.connectionLost(cause);
    }

    /** The client connection is back: every room is joined again. */
    public void roomsBack(boolean resumed) {
        recovery.connectionBack(resumed);
    }

    /**
     * Takes back the conferences a previous focus process saved ({@link ConferenceStateStore}): joins their rooms,
     * re-uses one bridge conference of each and expires the others ({@link ConferenceRestore}).
     *
     * @return how many conferences were taken back
     */
    public CompletableFuture<Integer> restore(List<SavedConference> saved) {
        return ctx.loop().submit(() -> new ConferenceRestore(ctx, recovery).restore(saved, (room, meetingId) -> {
            Conference c = conferences.get(room);
            if (c != null && !c.ended()) {
                return null;
            }
            c = create(room, meetingId, true);
            return c;
        }, c -> c.start(rooms, recovery.listenerFor(c))));
    }

    /** @return the normalised (lower-case) room JID */
    String validateRoom(String room) {
        if (room == null || room.isBlank()) {
            throw new ConferenceRequestException(ConferenceRequestException.Kind.BAD_REQUEST, "no room given");
        }
        String r = room.trim().toLowerCase();
        int at = r.indexOf('@');
        if (at <= 0 || at == r.length() - 1 || r.indexOf('/') >= 0 || r.indexOf('@', at + 1) >= 0
                || r.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '"' || ch == '<' || ch == '>')) {
            throw new ConferenceRequestException(ConferenceRequestException.Kind.BAD_REQUEST,
                    "not a room JID: " + room);
        }
        try {
            // what the room's MUC join will need (a localpart of at most 1023 bytes, none of "&'/:<>@ ...)
            org.jxmpp.jid.impl.JidCreate.entityBareFrom(r);
        } catch (org.jxmpp.stringprep.XmppStringprepException | IllegalArgumentException e) {
            throw new ConferenceRequestException(ConferenceRequestException.Kind.BAD_REQUEST,
                    "not a room JID: " + room);
        }
        String domain = r.substring(at + 1);
        String allowed = ctx.settings().conferenceMucDomain();
        if (allowed != null && !allowed.equals(domain)) {
            throw new ConferenceRequestException(ConferenceRequestException.Kind.NOT_ACCEPTABLE,
                    "room " + room + " is not on the conference MUC " + allowed);
        }
        return r;
    }

    private void onConferenceEnded(Conference c) {
        conferences.remove(c.roomJid(), c);
        recovery.forget(c);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /** Every conference's latest view; safe from any thread. */
    public ConferenceSnapshot snapshot() {
        List<ConferenceView> views = new ArrayList<>();
        for (Conference c : conferences.values()) {
            views.add(c.view());
        }
        views.sort((a, b) -> a.roomJid().compareTo(b.roomJid()));
        return new ConferenceSnapshot(views);
    }

    /** What a next focus process needs to take the live conferences back ({@link ConferenceStateStore}). */
    public List<SavedConference> toSave() {
        List<SavedConference> out = new ArrayList<>();
        for (ConferenceView v : snapshot().conferences()) {
            if (!v.ended()) {
                out.add(SavedConference.of(v));
            }
        }
        return out;
    }

    public ConferenceView conference(String roomJid) {
        Conference c = roomJid == null ? null : conferences.get(roomJid.toLowerCase());
        return c == null ? null : c.view();
    }

    public int conferenceCount() { return conferences.size(); }

    /** Since start (for /stats: {@code total_conferences_created}). */
    public long totalConferencesCreated() { return (long) ctx.metrics().conferencesCreated.get(); }

    /** Participants that ever joined, since start ({@code total_participants}). */
    public long totalParticipants() { return (long) ctx.metrics().participants.get(); }

    /** Jicofo's {@code bridge_failures.participants_moved} (failover and admin moves). */
    public long participantsMoved() { return (long) ctx.metrics().participantsMoved.get(); }

    /** Jicofo's {@code bridge_failures.bridges_removed}. */
    public long bridgesRemoved() { return (long) ctx.metrics().bridgesRemoved.get(); }

    /** Ends a conference (expires it on its bridges, leaves the room); false when there is none. */
    public CompletableFuture<Boolean> endConference(String roomJid) {
        return ctx.loop().submit(() -> {
            Conference c = conferences.get(roomJid.toLowerCase());
            if (c == null) {
                return false;
            }
            c.end("ended by request");
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the signalling layer (ConferenceControl): on the control thread

    @Override public void execute(Runnable task) { ctx.loop().execute(task); }

    @Override public EventLoop.Cancellable schedule(Runnable task, Duration delay) {
        return ctx.loop().schedule(task, delay);
    }

    @Override public boolean participantMedia(String roomJid, String endpointId, IceUdpTransport transport,
                                              Sources sources) {
        Conference c = live(roomJid);
        return c != null && c.participantMedia(endpointId, transport, sources);
    }

    @Override public boolean restartParticipant(String roomJid, String endpointId, String reason) {
        Conference c = live(roomJid);
        return c != null && c.restartParticipant(endpointId, reason);
    }

    @Override public boolean releaseParticipant(String roomJid, String endpointId, String reason) {
        Conference c = live(roomJid);
        return c != null && c.releaseParticipant(endpointId, reason);
    }

    private Conference live(String roomJid) {
        Conference c = roomJid == null ? null : conferences.get(roomJid.toLowerCase());
        return c == null || c.ended() ? null : c;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bridge events

    /** Called on the registry's thread: posts to the control loop. */
    @Override public void onBridgeEvent(BridgeEvent event) {
        ctx.loop().execute(() -> {
            log.debug("Bridge event {} {} ({})", event.type(), event.bridge().nick(), event.reason());
            for (Conference c : new ArrayList<>(conferences.values())) {
                c.onBridgeEvent(event);
            }
            // after the conferences: the expiries they send as they move off the bridge are tracked (and, for a
            // bridge that left or restarted, dropped at once)
            ctx.expiries().onBridgeEvent(event);
            if (event.type() == BridgeEvent.Type.REMOVED || event.type() == BridgeEvent.Type.RESTARTED) {
                ctx.refusals().forget(event.bridge().id());
            }
            if (event.type() == BridgeEvent.Type.REMOVED) {
                ctx.ledger().forget(event.bridge().id());
                moves.bridgeRemoved(event.bridge().id());
                forgetSeries(event.bridge().nick());
            }
        });
    }

    /**
     * The conferences moved everyone off the removed bridge above (counted under its nick): its series go now,
     * unless a bridge with the same nick is present again (it rejoined, or another brewery has one), which keeps it.
     */
    private void forgetSeries(String nick) {
        if (ctx.bridges().snapshot().bridges().stream().noneMatch(b -> b.nick().equals(nick))) {
            ctx.metrics().forgetBridge(nick);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Admin moves (Jicofo's /move-endpoints semantics, with the source bridge excluded): see BridgeMoves

    /** Moves one endpoint; with {@code bridge} given, only if the endpoint is on it. */
    public CompletableFuture<MoveResult> moveEndpoint(String roomJid, String endpointId, String bridge) {
        return moves.moveEndpoint(roomJid, endpointId, bridge);
    }

    /**
     * Moves {@code n} endpoints off a bridge, largest conference first (optionally only in one conference). A
     * conference that cannot spread to another bridge moves as a whole, so more than {@code n} may move.
     */
    public CompletableFuture<MoveResult> moveEndpoints(String bridge, String roomJid, int n) {
        return moves.moveEndpoints(bridge, roomJid, n, FailoverTrigger.ADMIN_MOVE, "admin move");
    }

    /**
     * {@link #moveEndpoints(String, String, int)} for the automatic load redistribution
     * ({@link FailoverTrigger#LOAD_REDISTRIBUTION}); the reason is logged with the moves.
     */
    CompletableFuture<MoveResult> redistribute(String bridge, int n, String reason) {
        return moves.moveEndpoints(bridge, null, n, FailoverTrigger.LOAD_REDISTRIBUTION, reason);
    }

    /** Moves {@code round(fraction × endpoints on the bridge)} endpoints off it. */
    public CompletableFuture<MoveResult> moveFraction(String bridge, double fraction) {
        return moves.moveFraction(bridge, fraction);
    }

    /**
     * Drains a bridge from the focus side (no new participants). With a rate, also moves its endpoints off
     * gradually: {@code endpointsPerStep} every {@code interval} until none are left or the drain is lifted.
     */
    public CompletableFuture<MoveResult> drain(String bridge, boolean drained, int endpointsPerStep, Duration interval) {
        return moves.drain(bridge, drained, endpointsPerStep, interval);
    }

    /** True while a gradual drain of the bridge is moving endpoints off it. */
    public boolean drainInProgress(String bridgeId) {
        return moves.drainInProgress(bridgeId);
    }

    // ---------------------------------------------------------------------------------------------------------

    public static final class Builder {
        private ConferenceSettings settings;
        private Bridges bridges;
        private BridgeSelector selector;
        private ColibriBackend backend;
        private ConferenceRoomFactory rooms;
        private ParticipantSignaller signaller;
        private BridgeFeedback feedback;
        private EventLoop loop;
        private Clock clock;
        private CollectorRegistry registry;
        private Function<String, String> pinnedVersion = room -> null;
        private RecoverySettings recovery = RecoverySettings.defaults();
        private AllocationJournal journal = AllocationJournal.NONE;

        public Builder settings(ConferenceSettings v) { settings = v; return this; }
        public Builder bridges(Bridges v) { bridges = v; return this; }
        public Builder selector(BridgeSelector v) { selector = v; return this; }
        public Builder backend(ColibriBackend v) { backend = v; return this; }
        public Builder rooms(ConferenceRoomFactory v) { rooms = v; return this; }
        /**
         * The signalling layer. Required: without one no participant is told its place, so tests and benchmarks
         * without Jingle say so with {@link ParticipantSignaller#NONE}.
         */
        public Builder signaller(ParticipantSignaller v) { signaller = v; return this; }
        /** The registry's endpoint counts and bridge state from allocations (required; {@link BridgeFeedback#NONE}: none). */
        public Builder feedback(BridgeFeedback v) { feedback = v; return this; }
        public Builder loop(EventLoop v) { loop = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder metrics(CollectorRegistry v) { registry = v; return this; }
        /** Optional: room JID → the version it is pinned to (REST /pin), or null. */
        public Builder pinnedVersion(Function<String, String> v) { pinnedVersion = v; return this; }
        /** Optional: how conferences come back after XMPP trouble (default: the reference settings). */
        public Builder recovery(RecoverySettings v) { recovery = v; return this; }
        /**
         * Optional: where each allocation is written down before it is sent (the {@link ConferenceStateStore} when
         * conferences are saved; default {@link AllocationJournal#NONE}).
         */
        public Builder journal(AllocationJournal v) { journal = Objects.requireNonNull(v, "journal"); return this; }

        public ConferenceManager build() {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(bridges, "bridges");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(rooms, "rooms");
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(signaller, "signaller (ParticipantSignaller.NONE for none)");
            Objects.requireNonNull(feedback, "feedback (BridgeFeedback.NONE for none)");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(registry, "metrics");
            return new ConferenceManager(this);
        }
    }

}
