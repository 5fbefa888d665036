package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Decision;
import io.focus.core.selection.ExclusionSet;
import io.focus.core.selection.ParticipantProperties;
import io.focus.core.selection.SelectionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference (one room). All state is owned by the conference control loop: every public entry point must be
 * called on the loop ({@link ConferenceManager} posts room callbacks, bridge events and Colibri2 replies to it). The
 * immutable {@link #view()} is republished after every change and can be read from any thread.
 *
 * <p>Placement: once {@code min-participants} occupants are in the room, every participant is placed: selection
 * (with the conference's bridges, the participant's region, the pinned version and the participant's exclusions)
 * and then a Colibri2 allocation. Failures follow the table in {@link #onAllocationFailed}.
 */
final class Conference {
    private static final Logger log = LoggerFactory.getLogger(Conference.class);
    /** Adapted re-allocations (without SCTP, without create, after expiring a stale endpoint) per session. */
    static final int MAX_ADAPTATIONS = 2;

    private final ConferenceContext ctx;
    private final ConferenceSpec spec;
    private final String roomJid;
    private final Instant createdAt;
    private final Consumer<Conference> onEnded;
    private final LinkedHashMap<String, Participant> participants = new LinkedHashMap<>();
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final String logPrefix;
    private volatile ConferenceRoom room;
    private boolean ended;
    private boolean everJoined;
    private EventLoop.Cancellable initialTimer;
    private EventLoop.Cancellable singleParticipantTimer;
    private Participant owner;
    private int presenceBridgeCount = -1;
    private boolean presenceNoBridge;
    private volatile ConferenceView view;
    private final RelayMesh mesh;

    Conference(ConferenceContext ctx, String roomJid, boolean rtcstatsEnabled, Consumer<Conference> onEnded) {
        this(ctx, roomJid, UUID.randomUUID().toString(), rtcstatsEnabled, onEnded);
    }

    /** @param meetingId the meeting id (a restarted focus keeps the one its bridge conferences have) */
    Conference(ConferenceContext ctx, String roomJid, String meetingId, boolean rtcstatsEnabled,
               Consumer<Conference> onEnded) {
        this.ctx = ctx;
        this.roomJid = roomJid;
        this.spec = new ConferenceSpec(meetingId, roomJid, rtcstatsEnabled);
        this.createdAt = ctx.clock().instant();
        this.onEnded = onEnded;
        this.logPrefix = "[room=" + roomJid + " meeting_id=" + spec.meetingId() + "]";
        this.mesh = new RelayMesh(ctx, spec, logPrefix, new MeshHost());
        publish();
    }

    String roomJid() { return roomJid; }
    ConferenceSpec spec() { return spec; }
    ConferenceView view() { return view; }
    boolean ended() { return ended; }
    CompletableFuture<Void> joinedFuture() { return joined; }

    // ---------------------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Joins the room and starts the initial timeout.
     *
     * @param listener what the room reports ({@link RoomRecovery#listenerFor}: posts to the loop)
     */
    void start(ConferenceRoomFactory rooms, RoomListener listener) {
        room = rooms.create(roomJid, listener);
        scheduleInitialTimeout();
        CompletableFuture<?> join;
        try {
            join = room.join();
        } catch (RuntimeException e) {
            join = CompletableFuture.failedFuture(e);
        }
        join.whenComplete((v, e) -> ctx.loop().execute(() -> {
            if (e != null) {
                log.warn("{} could not join the room: {}", logPrefix, e.toString());
                joined.completeExceptionally(e);
                end("room join failed");
            } else if (!ended) {
                log.info("{} joined the room", logPrefix);
                joined.complete(null);
                publish();
            }
        }));
    }

    /** A repeated request for a conference nobody joined yet restarts the initial timeout (as Jicofo does). */
    void requestedAgain() {
        if (!everJoined && !ended) {
            scheduleInitialTimeout();
        }
    }

    private void scheduleInitialTimeout() {
        awaitParticipants(ctx.settings().initialTimeout());
    }

    /** Ends the conference if nobody is in it after {@code wait} (replaces the initial timeout). */
    void awaitParticipants(Duration wait) {
        cancel(initialTimer);
        initialTimer = ctx.loop().schedule(() -> {
            if (!ended && participants.isEmpty()) {
                log.info("{} nobody joined within {}, ending", logPrefix, wait);
                end("initial timeout");
            }
        }, wait);
    }

    /** Ends the conference: expires it on every bridge and leaves the room. */
    void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        cancel(initialTimer);
        cancel(singleParticipantTimer);
        Instant now = now();
        for (Participant p : participants.values()) {
            cancel(p.retryTimer);
            ctx.metrics().endpointSeconds.inc(seconds(p.joinedAt, now));
        }
        for (Session s : new ArrayList<>(sessions.values())) {
            removeSession(s, true);
        }
        participants.clear();
        ctx.metrics().conferenceSeconds.inc(seconds(createdAt, now));
        log.info("{} ended ({})", logPrefix, reason);
        if (room != null) {
            try {
                room.leave();
            } catch (RuntimeException e) {
                log.warn("{} leaving the room failed: {}", logPrefix, e.toString());
            }
        }
        joined.completeExceptionally(new IllegalStateException("conference ended: " + reason));
        publish();
        signal("onEnded", () -> ctx.signaller().onEnded(view));
        onEnded.accept(this);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Room occupants

    void onOccupantJoined(Occupant o) {
        if (ended) {
            return;
        }
        Participant existing = participants.get(o.nick());
        if (existing != null) {
            existing.occupant = o;
            publish();
            return;
        }
        everJoined = true;
        cancel(initialTimer);
        Participant p = new Participant(o, now());
        participants.put(o.nick(), p);
        ctx.metrics().participants.inc();
        log.info("{} participant {} joined (region={})", logPrefix, o.nick(), o.region());
        if (owner == null) {
            grantOwner(p);
        }
        if (participants.size() > 1) {
            cancel(singleParticipantTimer);
            singleParticipantTimer = null;
        }
        placeWaiting();
        if (participants.size() == 1) {
            scheduleSingleParticipantTimeout();
        }
        updatePresence();
        publish();
    }

    void onOccupantChanged(Occupant o) {
        Participant p = participants.get(o.nick());
        if (p != null && !ended) {
            p.occupant = o;
            publish();
        }
    }

    void onOccupantLeft(String nick) {
        Participant p = participants.remove(nick);
        if (p == null || ended) {
            return;
        }
        log.info("{} participant {} left", logPrefix, nick);
        ctx.metrics().endpointSeconds.inc(seconds(p.joinedAt, now()));
        cancel(p.retryTimer);
        p.gen++;
        Session s = p.session;
        if (s != null) {
            releaseFromSession(p, s);
        }
        final ParticipantView gone = p.view();
        signal("onRemoved", () -> ctx.signaller().onRemoved(view, gone, true));
        if (p == owner) {
            owner = null;
            participants.values().stream().findFirst().ifPresent(this::grantOwner);
        }
        if (participants.isEmpty()) {
            end("the last participant left");
            return;
        }
        if (participants.size() == 1) {
            scheduleSingleParticipantTimeout();
        }
        syncRelays();
        updatePresence();
        publish();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Recovery (the policy is RoomRecovery's and ConferenceRestore's; these are the conference's part of it)

    ConferenceRoom room() { return room; }

    /**
     * The participant's client session is gone but the participant may come back (the server restarted): its
     * signalling session is forgotten; its endpoint stays on the bridge until it is back or removed.
     */
    void sessionLost(String nick) {
        Participant p = participants.get(nick);
        if (p != null && !ended) {
            final ParticipantView lost = p.view();
            signal("onSessionLost", () -> ctx.signaller().onSessionLost(view, lost));
        }
    }

    /**
     * The participant is back in the room from a new client session (its old one is gone: the server restarted, or it
     * reconnected while the focus was out of the room). A placed one gets a fresh endpoint in the same bridge
     * conference, replacing the old one in one request (expire and create), and a fresh offer; one being placed keeps
     * its allocation in flight (its offer goes to the new session). Nobody else is re-signalled.
     */
    void occupantReturned(Occupant o) {
        Participant p = participants.get(o.nick());
        if (ended) {
            return;
        }
        if (p == null) {
            onOccupantJoined(o);
            return;
        }
        p.occupant = o;
        log.info("{} participant {} is back in the room from a new session", logPrefix, p.id());
        sessionLost(p.id());
        if (owner == p) {
            grantOwner(p);
        }
        Session s = p.session;
        if (p.state == ParticipantView.State.PLACED && s != null && sessions.get(s.bridge.id()) == s) {
            p.allocation = null;
            p.clearMedia();
            p.clearMove();
            p.toState(ParticipantView.State.PLACING, now());
            reallocate(p, s, "its new session", true);
        } else if (p.session == null && p.retryTimer == null) {
            p.released = false;
            p.toState(ParticipantView.State.WAITING, now());
            placeWaiting();
        }
        updatePresence();
        publish();
    }

    /**
     * A bridge conference with this meeting id that a previous focus process made (a restarted focus takes its rooms
     * back): used as the conference's own, without create; the first allocation there of each of {@code endpoints}
     * replaces the endpoint the previous process left (expire and create in one request).
     */
    void adoptBridge(BridgeState bridge, Set<String> endpoints) {
        if (ended || sessions.containsKey(bridge.id())) {
            return;
        }
        Session s = new Session(bridge);
        s.createSent = true;
        s.created = true;
        s.createAnswered = true;
        s.adopted = true;
        s.stale.addAll(endpoints);
        sessions.put(bridge.id(), s);
        ctx.feedback().conferenceAdded(bridge.id());
        publish();
    }

    /**
     * What adopted bridge conferences still hold of the previous process: endpoints nobody came back for are expired,
     * and an adopted bridge conference nobody was placed in is expired.
     *
     * @return the nicks of the bridges whose adopted conference was expired
     */
    List<String> dropStale() {
        List<String> expired = new ArrayList<>();
        for (Session s : new ArrayList<>(sessions.values())) {
            if (!s.adopted || ended) {
                continue;
            }
            s.adopted = false;
            if (s.members.isEmpty()) {
                expired.add(s.bridge.nick());
                removeSession(s, true);
                continue;
            }
            for (String id : s.stale) {
                if (s.members.stream().noneMatch(m -> m.id().equals(id))) {
                    ctx.backend().expireEndpoint(s.bridge, spec, id).exceptionally(e -> null);
                }
            }
            s.stale.clear();
        }
        syncRelays();
        updatePresence();
        publish();
        return expired;
    }

    private void grantOwner(Participant p) {
        owner = p;
        if (room != null) {
            try {
                room.grantOwnership(p.occupant);
            } catch (RuntimeException e) {
                log.warn("{} granting ownership to {} failed: {}", logPrefix, p.id(), e.toString());
            }
        }
    }

    private void scheduleSingleParticipantTimeout() {
        cancel(singleParticipantTimer);
        singleParticipantTimer = ctx.loop().schedule(() -> {
            singleParticipantTimer = null;
            if (ended || participants.size() != 1) {
                return;
            }
            Participant p = participants.values().iterator().next();
            if (p.session == null && p.state != ParticipantView.State.NO_BRIDGE) {
                return;
            }
            log.info("{} participant {} alone for {}, releasing its bridge allocation", logPrefix, p.id(),
                    ctx.settings().singleParticipantTimeout());
            cancel(p.retryTimer);
            p.gen++;
            if (p.session != null) {
                releaseFromSession(p, p.session);
            }
            p.toState(ParticipantView.State.WAITING, now());
            p.clearMove();
            signal("onRemoved", () -> ctx.signaller().onRemoved(view, p.view(), false));
            syncRelays();
            updatePresence();
            publish();
        }, ctx.settings().singleParticipantTimeout());
    }

    private void placeWaiting() {
        if (participants.size() < ctx.settings().minParticipants()) {
            return;
        }
        for (Participant p : new ArrayList<>(participants.values())) {
            if (p.state == ParticipantView.State.WAITING && p.retryTimer == null && !p.released) {
                place(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Placement

    private void place(Participant p) {
        if (ended || participants.get(p.id()) != p || p.released) {
            return;
        }
        if (p.state == ParticipantView.State.PLACING || p.state == ParticipantView.State.PLACED) {
            return;
        }
        cancel(p.retryTimer);
        p.retryTimer = null;
        // Not the registry's snapshot as is: it learns of our placements asynchronously, so in a burst it would not
        // show the ones just made (see PlacementLedger).
        BridgeSnapshot snapshot = ctx.ledger().snapshotFor(ctx.bridges().snapshot());
        SelectionRequest request = new SelectionRequest(snapshot, conferenceBridges(),
                new ParticipantProperties(p.occupant.region(), false), ctx.pinnedVersion().apply(roomJid),
                ExclusionSet.of(p.exclusions), roomJid);
        Decision decision;
        try {
            decision = ctx.selector().select(request);
        } catch (RuntimeException e) {
            log.error("{} selection failed for {}", logPrefix, p.id(), e);
            decision = null;
        }
        if (decision == null || !decision.found()) {
            waitForBridge(p, "no bridge available"
                    + (decision != null ? ": " + decision.reason() : "") + " (excluded " + p.exclusions + ")");
            return;
        }
        BridgeState bridge = decision.bridge();
        if (p.exclusions.contains(bridge.id())) {
            log.error("{} selector returned excluded bridge {} for {}; not using it", logPrefix, bridge.nick(), p.id());
            waitForBridge(p, "selector returned an excluded bridge");
            return;
        }
        Session s = sessions.get(bridge.id());
        if (s == null) {
            if (!sessions.isEmpty() && !canSpreadTo(bridge)) {
                p.blockedBySpread = true;
                waitForBridge(p, "conference cannot spread to " + bridge.nick()
                        + (ctx.settings().octoEnabled() ? " (a bridge has no relay id)" : " (octo disabled)"));
                return;
            }
            s = new Session(bridge);
            sessions.put(bridge.id(), s);
            ctx.feedback().conferenceAdded(bridge.id());
        }
        s.bridge = bridge;
        p.blockedBySpread = false;
        boolean create = !s.createSent;
        s.createSent = true;
        p.session = s;
        p.toState(ParticipantView.State.PLACING, now());
        s.members.add(p);
        s.recentAdds.addLast(now());
        p.counted = true;
        ctx.feedback().endpointAdded(bridge.id());
        long gen = ++p.gen;
        final Session session = s;
        log.debug("{} placing {} on {} ({}), create={}", logPrefix, p.id(), bridge.nick(), decision.reason(), create);
        CompletableFuture<Allocation> f;
        try {
            f = ctx.backend().allocate(bridge, spec, endpointSpec(p), create);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((a, e) -> ctx.loop().execute(() -> onAllocated(p, session, gen, create, a, e)));
        updatePresence();
        publish();
    }

    private boolean canSpreadTo(BridgeState bridge) {
        if (!ctx.settings().octoEnabled() || bridge.relayId() == null) {
            return false;
        }
        return sessions.values().stream().allMatch(s -> s.bridge.relayId() != null);
    }

    /** True when the conference can use another bridge besides the ones it has. */
    boolean canSpread() {
        return ctx.settings().octoEnabled() && sessions.values().stream().allMatch(s -> s.bridge.relayId() != null);
    }

    private Map<String, ConferenceBridgeProperties> conferenceBridges() {
        Map<String, ConferenceBridgeProperties> m = new LinkedHashMap<>();
        Instant cutoff = now().minus(ctx.settings().recentJoinWindow());
        for (Session s : sessions.values()) {
            while (!s.recentAdds.isEmpty() && s.recentAdds.peekFirst().isBefore(cutoff)) {
                s.recentAdds.removeFirst();
            }
            m.put(s.bridge.id(), new ConferenceBridgeProperties(s.members.size(), s.recentAdds.size(), false));
        }
        return m;
    }

    /**
     * The participant as an endpoint: for its allocation (on the bridge of its session; no SCTP when that bridge
     * refused SCTP before) or for the relays of the other bridges (which ignore the SCTP flag). While the participant
     * is being placed, what its allocation asked for is kept in {@code askedSctp} for the error policy.
     */
    private EndpointSpec endpointSpec(Participant p) {
        boolean sctp = ctx.settings().sctp() && (p.session == null || !ctx.refusals().noSctp(p.session.bridge.id()));
        if (p.state == ParticipantView.State.PLACING) {
            p.askedSctp = sctp;
        }
        EndpointSpec e = new EndpointSpec(p.id(), p.occupant.statsId(), false, sctp, p.sources);
        // the first allocation of an endpoint a previous focus process left in an adopted conference replaces it
        return p.state == ParticipantView.State.PLACING && p.session != null && p.session.stale.remove(p.id())
                ? e.replacing() : e;
    }

    /**
     * An allocation reply. One without the bridge's feedback sources that came before the reply to the conference
     * create (replies can be handled out of order) waits for it, so that its offer carries the sources the create
     * reply gave (see {@link Session#withFeedbackSources}), as Jicofo's offers all do.
     */
    private void onAllocated(Participant p, Session s, long gen, boolean create, Allocation a, Throwable e) {
        if (!create && e == null && a != null && (a.feedbackSources() == null || a.feedbackSources().isEmpty())
                && !s.createAnswered) {
            s.afterCreate.add(() -> allocated(p, s, gen, false, a, null));
            return;
        }
        allocated(p, s, gen, create, a, e);
        if (create) {
            s.createAnswered = true;
            List<Runnable> held = List.copyOf(s.afterCreate);
            s.afterCreate.clear();
            held.forEach(Runnable::run);
        }
    }

    private void allocated(Participant p, Session s, long gen, boolean create, Allocation a, Throwable e) {
        boolean current = !ended && participants.get(p.id()) == p && p.gen == gen && p.session == s
                && sessions.get(s.bridge.id()) == s;
        if (!current) {
            if (e == null && !ended && sessions.get(s.bridge.id()) == s && !s.members.contains(p)) {
                // Allocated after the participant left or moved: don't leave the endpoint behind on the bridge.
                log.debug("{} late allocation of {} on {}: expiring it", logPrefix, p.id(), s.bridge.nick());
                ctx.backend().expireEndpoint(s.bridge, spec, p.id());
            }
            if (e == null && create && sessions.get(s.bridge.id()) == s) {
                s.created = true;
            }
            return;
        }
        if (e != null) {
            onAllocationFailed(p, s, ColibriException.of(e));
            return;
        }
        if (create) {
            s.created = true;
        }
        BridgeState b = s.bridge;
        p.allocation = s.withFeedbackSources(a).withSession(b.nick(), b.region(), s.id);
        p.toState(ParticipantView.State.PLACED, now());
        p.failures = 0;
        p.exclusions.clear();
        if (p.moving) {
            log.info("[room={} meeting_id={} participant={}] moved from {} to {} ({})", roomJid, spec.meetingId(),
                    p.id(), p.movedFrom, b.nick(), p.moveReason);
        } else {
            log.info("[room={} meeting_id={} participant={}] placed on {} ({})", roomJid, spec.meetingId(), p.id(),
                    b.nick(), b.id());
        }
        syncRelays();
        updatePresence();
        publish();
        CompletionStage<Void> signalled;
        try {
            signalled = ctx.signaller().onPlaced(view, p.view(), p.allocation);
        } catch (RuntimeException ex) {
            log.error("{} signaller failed for {}", logPrefix, p.id(), ex);
            signalled = CompletableFuture.completedFuture(null);
        }
        signalled.whenComplete((v, ex) -> ctx.loop().execute(() -> {
            // Only an accepted offer completes a move; a failed or superseded signalling leaves it moving.
            if (ex == null && p.gen == gen && p.state == ParticipantView.State.PLACED && p.moving) {
                p.clearMove();
                publish();
            }
        }));
    }

    /**
     * What an allocation error means: the table is {@link AllocationErrorPolicy} (its rows for
     * {@link AllocationErrorPolicy.Request#ALLOCATE}). A refused request (a configuration mismatch such as SCTP) is
     * logged once per bridge, counted, and adapted (without SCTP, without create) or refused for this participant
     * only; only a timeout or a broken bridge is reported to the registry as failed. Where Jicofo would drop the
     * participant (bad-request, reason-less item-not-found) we retry elsewhere with the bridge excluded, within a
     * budget.
     */
    private void onAllocationFailed(Participant p, Session s, ColibriException ce) {
        BridgeState b = s.bridge;
        ctx.metrics().allocationFailures.labels(ce.kind() == ColibriException.Kind.ERROR
                ? ce.label() : ce.kind().name().toLowerCase()).inc();
        AllocationErrorPolicy.Decision d = AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.ALLOCATE, ce,
                p.askedSctp);
        if (d.refused()) {
            ctx.refusals().refused(b, AllocationErrorPolicy.Request.ALLOCATE, ce,
                    "participant " + p.id() + " of " + roomJid);
        } else {
            log.warn("[room={} meeting_id={} participant={}] allocation on {} ({}) failed: {} ({})", roomJid,
                    spec.meetingId(), p.id(), b.nick(), b.id(), ce.label(), ce.getMessage());
        }
        String reason = "allocation " + ce.label() + " on " + b.nick();
        switch (d.feedback()) {
            case FAILED -> ctx.feedback().bridgeFailed(b.id(), ce.kind() == ColibriException.Kind.TIMEOUT
                    ? "colibri2 allocation timeout" : ce.kind() == ColibriException.Kind.BAD_RESPONSE
                    ? "bad colibri2 response" : "colibri2 error " + ce.label());
            case RESTARTED -> ctx.feedback().bridgeRestarted(b.id());
            case GRACEFUL -> ctx.feedback().gracefulShutdown(b.id());
            case NONE -> { }
        }
        AllocationErrorPolicy.Action action = d.action();
        boolean adapt = action == AllocationErrorPolicy.Action.RETRY_WITHOUT_SCTP
                || action == AllocationErrorPolicy.Action.RETRY_WITHOUT_CREATE
                || action == AllocationErrorPolicy.Action.EXPIRE_AND_RETRY;
        if (adapt) {
            if (p.adaptedIn != s) {
                p.adaptedIn = s;
                p.adaptations = 0;
            }
            if (++p.adaptations > MAX_ADAPTATIONS) {
                log.info("{} {} still refused on {} after {} adapted request(s): placing it elsewhere", logPrefix,
                        p.id(), b.nick(), MAX_ADAPTATIONS);
                action = AllocationErrorPolicy.Action.PARTICIPANT_ELSEWHERE;
                adapt = false;
            }
        }
        if (!adapt) {
            // An adapted request is not a failed placement: it neither spends the budget nor backs off.
            p.failures++;
        }
        switch (action) {
            case MOVE_EVERYONE -> {
                // Nothing to expire on a bridge that lost the conference or that the MUC no longer reaches.
                boolean expire = d.feedback() == AllocationErrorPolicy.Feedback.GRACEFUL ? s.created
                        : !"item-not-found".equals(ce.condition());
                moveOff(s, d.feedback() == AllocationErrorPolicy.Feedback.RESTARTED
                        ? "conference_not_found on " + b.nick() + " (bridge restarted)" : reason, expire);
            }
            case PARTICIPANT_ELSEWHERE -> {
                detachForRetry(p, s);
                p.exclusions.add(b.id());
                retryLater(p);
            }
            case RETRY_LATER -> {
                detachForRetry(p, s);
                retryLater(p);
            }
            case RETRY_WITHOUT_SCTP -> {
                // The bridge created the conference all the same (real-call e-002/e-004), and the endpoint too
                // before it refused its transport: never send create again, and replace the endpoint.
                ctx.refusals().sctpRefused(b, AllocationErrorPolicy.Request.ALLOCATE, ce);
                s.created = true;
                reallocate(p, s, reason, true);
            }
            case RETRY_WITHOUT_CREATE -> {
                s.created = true;
                reallocate(p, s, reason, false);
            }
            case EXPIRE_AND_RETRY -> reallocate(p, s, reason, true);
            default -> throw new IllegalStateException("not an allocation action: " + d);
        }
    }

    /**
     * Allocates the participant again on the same session, never with create (the conference is there), after the
     * bridge refused the request as it was (at most {@link #MAX_ADAPTATIONS} times per session, then elsewhere).
     */
    private void reallocate(Participant p, Session s, String reason, boolean replace) {
        long gen = ++p.gen;
        EndpointSpec ep = replace ? endpointSpec(p).replacing() : endpointSpec(p);
        log.info("[room={} meeting_id={} participant={}] allocating again on {} (sctp={}, no create{}) after {}",
                roomJid, spec.meetingId(), p.id(), s.bridge.nick(), ep.sctp(),
                replace ? ", replacing its endpoint there in the same request" : "", reason);
        CompletableFuture<Allocation> f;
        try {
            f = ctx.backend().allocate(s.bridge, spec, ep, false);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((a, e) -> ctx.loop().execute(() -> onAllocated(p, s, gen, false, a, e)));
        publish();
    }

    /** Takes a participant whose own allocation failed off its session (nothing to expire for it). */
    private void detachForRetry(Participant p, Session s) {
        s.members.remove(p);
        uncount(p, s);
        p.session = null;
        p.allocation = null;
        p.clearMedia();
        p.toState(ParticipantView.State.WAITING, now());
        p.gen++;
        if (s.members.isEmpty()) {
            removeSession(s, s.created);
        }
        syncRelays();
        updatePresence();
        publish();
    }

    private void retryLater(Participant p) {
        if (p.failures >= ctx.settings().maxPlacementAttempts()) {
            waitForBridge(p, "gave up after " + p.failures + " failed allocations");
            return;
        }
        Duration delay = ctx.settings().backoff(p.failures);
        if (delay.isZero()) {
            place(p);
            return;
        }
        log.info("{} retrying {} in {} ms (failure {})", logPrefix, p.id(), delay.toMillis(), p.failures);
        p.retryTimer = ctx.loop().schedule(() -> {
            p.retryTimer = null;
            place(p);
        }, delay);
        publish();
    }

    private void waitForBridge(Participant p, String why) {
        boolean first = p.state != ParticipantView.State.NO_BRIDGE;
        p.toState(ParticipantView.State.NO_BRIDGE, now());
        if (first) {
            log.warn("[room={} meeting_id={} participant={}] cannot be placed: {}; waiting for a bridge", roomJid,
                    spec.meetingId(), p.id(), why);
        }
        updatePresence();
        publish();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failover and moves

    void onBridgeEvent(BridgeEvent event) {
        if (ended) {
            return;
        }
        BridgeState b = event.bridge();
        Session s = sessions.get(b.id());
        if (event.requiresMove()) {
            if (s != null) {
                boolean reachable = event.type() == BridgeEvent.Type.FAILED
                        || event.type() == BridgeEvent.Type.SHUTTING_DOWN;
                s.bridge = b;
                moveOff(s, event.type().name().toLowerCase().replace('_', '-') + ": " + event.reason(), reachable);
            }
            return;
        }
        if (s != null) {
            s.bridge = b;
        }
        if (event.type() == BridgeEvent.Type.ADDED || event.type() == BridgeEvent.Type.RECOVERED) {
            retryWaiting(b.id());
        }
    }

    /** Retries everyone waiting for a bridge; {@code cameBack} is no longer excluded for them. */
    void retryWaiting(String cameBack) {
        if (participants.size() < ctx.settings().minParticipants()) {
            return;
        }
        for (Participant p : new ArrayList<>(participants.values())) {
            if (p.state == ParticipantView.State.NO_BRIDGE) {
                if (cameBack != null) {
                    p.exclusions.remove(cameBack);
                }
                p.failures = 0;
                p.toState(ParticipantView.State.WAITING, now());
                place(p);
            }
        }
        updatePresence();
        publish();
    }

    /**
     * Takes every participant off the session's bridge and places them elsewhere, never back onto it.
     *
     * @param expireOnBridge the bridge may still be there: expire the conference on it
     */
    private void moveOff(Session s, String reason, boolean expireOnBridge) {
        if (sessions.get(s.bridge.id()) != s) {
            return;
        }
        List<Participant> members = new ArrayList<>(s.members);
        log.warn("{} removing bridge {} ({}) from the conference: {}; re-placing {} participant(s)", logPrefix,
                s.bridge.nick(), s.bridge.id(), reason, members.size());
        ctx.metrics().bridgesRemoved.inc();
        removeSession(s, expireOnBridge);
        for (Participant p : members) {
            p.exclusions.add(s.bridge.id());
            startMove(p, s.bridge, reason);
        }
        for (Participant p : members) {
            if (participants.get(p.id()) == p && p.state == ParticipantView.State.WAITING) {
                if (p.failures > 0) {
                    retryLater(p);
                } else {
                    place(p);
                }
            }
        }
        syncRelays();
        updatePresence();
        publish();
    }

    /** The participant lost its place on {@code from}; counts and signals the move when it had one. */
    private void startMove(Participant p, BridgeState from, String reason) {
        boolean hadPlace = p.state == ParticipantView.State.PLACED;
        p.session = null;
        p.allocation = null;
        p.clearMedia();
        p.gen++;
        p.toState(ParticipantView.State.WAITING, now());
        if (hadPlace || p.moving) {
            if (!p.moving || p.movedFrom == null) {
                p.movedFrom = from.nick();
            }
            p.moving = true;
            p.moveReason = reason;
            if (hadPlace) {
                ctx.metrics().participantsMoved.inc();
                ctx.metrics().participantsMovedFrom.labels(from.nick()).inc();
                log.info("[room={} meeting_id={} participant={}] moving off {} ({})", roomJid, spec.meetingId(),
                        p.id(), from.nick(), reason);
                final ParticipantView moving = p.view();
                signal("onMoving", () -> ctx.signaller().onMoving(view, moving, from.id(), reason));
            }
        }
    }

    /**
     * Admin move of up to {@code n} placed participants off a bridge (the bridge excluded). A conference that cannot
     * spread moves as a whole, or not at all when {@code wholeIfUnsplittable} is false.
     *
     * @return the number of participants moved
     */
    int moveFrom(String bridgeId, int n, String reason, boolean wholeIfUnsplittable) {
        Session s = sessions.get(bridgeId);
        if (s == null || n <= 0 || ended) {
            return 0;
        }
        List<Participant> placed = s.members.stream().filter(p -> p.state == ParticipantView.State.PLACED).toList();
        if (placed.isEmpty()) {
            return 0;
        }
        boolean whole = n >= s.members.size();
        if (!whole && !canSpread()) {
            if (!wholeIfUnsplittable) {
                log.info("{} not moving {} participant(s) off {}: the conference cannot spread (octo off or no "
                        + "relay id) and {} would stay", logPrefix, n, s.bridge.nick(), s.members.size() - n);
                return 0;
            }
            whole = true;
        }
        if (whole) {
            int count = placed.size();
            moveOff(s, reason, true);
            return count;
        }
        return moveChosen(s, placed.subList(0, Math.min(n, placed.size())), reason);
    }

    private int moveChosen(Session s, List<Participant> chosen, String reason) {
        chosen = List.copyOf(chosen);
        for (Participant p : chosen) {
            releaseFromSession(p, s);
            p.exclusions.add(s.bridge.id());
            startMove(p, s.bridge, reason);
        }
        for (Participant p : chosen) {
            place(p);
        }
        syncRelays();
        updatePresence();
        publish();
        return chosen.size();
    }

    /** Admin move of one participant; false when it is not placed (on that bridge) or cannot be moved. */
    boolean moveEndpoint(String endpointId, String bridgeId, String reason) {
        Participant p = participants.get(endpointId);
        if (p == null || p.session == null || p.state != ParticipantView.State.PLACED) {
            return false;
        }
        if (bridgeId != null && !bridgeId.equals(p.session.bridge.id())) {
            return false;
        }
        Session s = p.session;
        if (s.members.size() == 1) {
            moveOff(s, reason, true);
            return true;
        }
        if (!canSpread()) {
            log.info("{} not moving {} off {}: the conference cannot spread (octo off or no relay id)", logPrefix,
                    endpointId, s.bridge.nick());
            return false;
        }
        return moveChosen(s, List.of(p), reason) == 1;
    }

    /** Placed participants on the bridge. */
    int placedOn(String bridgeId) {
        Session s = sessions.get(bridgeId);
        return s == null ? 0 : (int) s.members.stream().filter(p -> p.state == ParticipantView.State.PLACED).count();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Signalling

    /** See {@link ConferenceControl#participantMedia}. */
    boolean participantMedia(String endpointId, IceUdpTransport transport, Sources sources) {
        Participant p = participants.get(endpointId);
        if (ended || p == null || p.session == null || p.state != ParticipantView.State.PLACED) {
            return false;
        }
        Session s = p.session;
        if (transport != null) {
            p.transport = transport;
        }
        p.sources = sources == null ? Sources.EMPTY : sources;
        long gen = p.gen;
        log.debug("{} {} signalled {} ssrc(s){}; updating {}", logPrefix, endpointId, p.sources.ssrcs().size(),
                transport != null ? " and its transport" : "", s.bridge.nick());
        CompletableFuture<Void> f;
        try {
            f = ctx.backend().updateEndpoint(s.bridge, spec, endpointId, p.occupant.statsId(), transport,
                    p.sources);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e != null) {
                ctx.loop().execute(() -> onEndpointUpdateFailed(p, s, gen, ColibriException.of(e)));
            }
        });
        Map<String, BridgeState> bridges = new LinkedHashMap<>();
        sessions.values().forEach(x -> bridges.put(x.bridge.id(), x.bridge));
        mesh.endpointSources(s.bridge.id(), endpointId, p.sources, bridges);
        publish();
        return true;
    }

    /**
     * The bridge refused a participant's transport/sources ({@link AllocationErrorPolicy}, rows for
     * {@link AllocationErrorPolicy.Request#UPDATE}): a timeout is only logged (as Jicofo); the conference gone from
     * the bridge moves everyone on it; any other error (a refused request such as {@code unknown_endpoint} is logged
     * once per bridge) re-places that participant. The bridge is never reported failed for an update.
     */
    private void onEndpointUpdateFailed(Participant p, Session s, long gen, ColibriException ce) {
        AllocationErrorPolicy.Decision d = AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.UPDATE, ce,
                false);
        if (d.refused()) {
            ctx.refusals().refused(s.bridge, AllocationErrorPolicy.Request.UPDATE, ce,
                    "participant " + p.id() + " of " + roomJid);
        } else {
            log.warn("[room={} meeting_id={} participant={}] endpoint update on {} ({}) failed: {}", roomJid,
                    spec.meetingId(), p.id(), s.bridge.nick(), s.bridge.id(), ce.label());
        }
        if (ended || p.gen != gen || p.session != s || sessions.get(s.bridge.id()) != s) {
            return;
        }
        switch (d.action()) {
            case LOG_ONLY -> { }
            case MOVE_EVERYONE -> {
                ctx.feedback().bridgeRestarted(s.bridge.id());
                moveOff(s, "conference_not_found on " + s.bridge.nick() + " (bridge restarted)", false);
            }
            case RESTART_PARTICIPANT ->
                    restartParticipant(p.id(), "endpoint update failed on " + s.bridge.nick() + ": " + ce.label());
            default -> throw new IllegalStateException("not an update action: " + d);
        }
    }

    /** See {@link ConferenceControl#restartParticipant}. */
    boolean restartParticipant(String endpointId, String reason) {
        Participant p = participants.get(endpointId);
        if (ended || p == null || p.session == null || p.state != ParticipantView.State.PLACED) {
            return false;
        }
        Session s = p.session;
        BridgeState from = s.bridge;
        // Another bridge only if the conference may use one (or the participant is alone on this one).
        boolean exclude = s.members.size() == 1 || canSpread();
        boolean newlyExcluded = exclude && p.exclusions.add(from.id());
        releaseFromSession(p, s);
        startMove(p, from, reason);
        place(p);
        if (p.state == ParticipantView.State.NO_BRIDGE && newlyExcluded) {
            // No other bridge: a fresh endpoint on the same bridge is still a restart (ICE restarts there).
            log.info("{} no other bridge for {}; restarting it on {}", logPrefix, endpointId, from.nick());
            p.exclusions.remove(from.id());
            p.toState(ParticipantView.State.WAITING, now());
            place(p);
        }
        syncRelays();
        updatePresence();
        publish();
        return true;
    }

    /** See {@link ConferenceControl#releaseParticipant}. */
    boolean releaseParticipant(String endpointId, String reason) {
        Participant p = participants.get(endpointId);
        if (ended || p == null) {
            return false;
        }
        cancel(p.retryTimer);
        p.retryTimer = null;
        p.gen++;
        if (p.session != null) {
            releaseFromSession(p, p.session);
        }
        p.released = true;
        p.clearMove();
        p.clearMedia();
        p.toState(ParticipantView.State.WAITING, now());
        log.warn("[room={} meeting_id={} participant={}] released from its bridge and not placed again: {}", roomJid,
                spec.meetingId(), endpointId, reason);
        final ParticipantView released = p.view();
        signal("onRemoved", () -> ctx.signaller().onRemoved(view, released, false));
        syncRelays();
        updatePresence();
        publish();
        return true;
    }

    /** Calls the signaller; its failures are logged, never thrown into the conference. */
    private void signal(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("{} signaller {} failed", logPrefix, what, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sessions and relays

    /** Removes a participant from its session: expires its endpoint, or the whole conference when it was the last. */
    private void releaseFromSession(Participant p, Session s) {
        s.members.remove(p);
        uncount(p, s);
        p.session = null;
        p.allocation = null;
        p.clearMedia();
        if (s.members.isEmpty()) {
            removeSession(s, true);
        } else if (s.createSent) {
            ctx.backend().expireEndpoint(s.bridge, spec, p.id()).exceptionally(e -> {
                log.info("{} expiring {} on {} failed: {}", logPrefix, p.id(), s.bridge.nick(),
                        ColibriException.of(e).label());
                return null;
            });
        }
    }

    private void uncount(Participant p, Session s) {
        if (p.counted) {
            p.counted = false;
            ctx.feedback().endpointRemoved(s.bridge.id());
        }
    }

    /** Drops the session: its members are detached (the caller re-places them), relays to it are expired. */
    private void removeSession(Session s, boolean expireOnBridge) {
        if (sessions.get(s.bridge.id()) != s) {
            return;
        }
        sessions.remove(s.bridge.id());
        for (Participant p : s.members) {
            uncount(p, s);
            if (p.session == s) {
                p.session = null;
                p.allocation = null;
                p.clearMedia();
            }
        }
        s.members.clear();
        if (expireOnBridge && s.createSent) {
            ctx.backend().expireConference(s.bridge, spec).exceptionally(e -> {
                log.info("{} expiring the conference on {} failed: {}", logPrefix, s.bridge.nick(),
                        ColibriException.of(e).label());
                return null;
            });
        }
        mesh.bridgeRemoved(s.bridge.id());
        ctx.feedback().conferenceRemoved(s.bridge.id());
        if (!ended) {
            ctx.loop().execute(this::retryBlockedBySpread);
        }
    }

    /** A bridge left the conference: participants that could not spread may fit now. */
    private void retryBlockedBySpread() {
        if (ended) {
            return;
        }
        for (Participant p : new ArrayList<>(participants.values())) {
            if (p.state == ParticipantView.State.NO_BRIDGE && p.blockedBySpread) {
                place(p);
            }
        }
    }

    /** Brings the relays in line with the sessions ({@link RelayMesh}). */
    private void syncRelays() {
        mesh.sync();
    }

    private Set<String> placedIds(Session s) {
        Set<String> ids = new LinkedHashSet<>();
        for (Participant p : s.members) {
            if (p.state == ParticipantView.State.PLACED) {
                ids.add(p.id());
            }
        }
        return ids;
    }

    /** What the relay mesh sees of this conference. */
    private final class MeshHost implements RelayMesh.Host {
        @Override public List<BridgeState> linkedBridges() {
            List<BridgeState> linked = new ArrayList<>();
            for (Session s : sessions.values()) {
                if (s.created && s.bridge.relayId() != null && ctx.settings().octoEnabled()) {
                    linked.add(s.bridge);
                }
            }
            return linked;
        }

        @Override public Set<String> placedOn(String bridgeId) {
            Session s = sessions.get(bridgeId);
            return s == null ? Set.of() : placedIds(s);
        }

        @Override public EndpointSpec endpointSpec(String endpointId) {
            return Conference.this.endpointSpec(participants.get(endpointId));
        }

        @Override public void conferenceLost(String bridgeId, String reason) {
            Session s = sessions.get(bridgeId);
            if (s != null) {
                moveOff(s, reason, false);
            }
        }

        @Override public void changed() {
            publish();
        }

        @Override public boolean ended() {
            return ended;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Presence and views

    private void updatePresence() {
        if (ended || room == null) {
            return;
        }
        int count = sessions.size();
        boolean noBridge = participants.values().stream().anyMatch(p -> p.state == ParticipantView.State.NO_BRIDGE);
        if (count != presenceBridgeCount || noBridge != presenceNoBridge) {
            presenceBridgeCount = count;
            presenceNoBridge = noBridge;
            try {
                room.updatePresence(count, noBridge);
            } catch (RuntimeException e) {
                log.warn("{} presence update failed: {}", logPrefix, e.toString());
            }
        }
    }

    private void publish() {
        List<ParticipantView> ps = new ArrayList<>(participants.size());
        for (Participant p : participants.values()) {
            ps.add(p.view());
        }
        List<ConferenceView.BridgeUse> bs = new ArrayList<>(sessions.size());
        for (Session s : sessions.values()) {
            Map<String, List<String>> relayEndpoints = mesh.relayEndpoints(s.bridge.id());
            bs.add(new ConferenceView.BridgeUse(s.bridge.id(), s.bridge.nick(), s.bridge.relayId(), s.id, s.created,
                    s.members.stream().map(Participant::id).toList(), List.copyOf(relayEndpoints.keySet()),
                    Map.copyOf(relayEndpoints), List.copyOf(mesh.failedRelays(s.bridge.id()))));
        }
        boolean noBridge = ps.stream().anyMatch(p -> p.state() == ParticipantView.State.NO_BRIDGE);
        view = new ConferenceView(roomJid, spec.meetingId(), createdAt, joined.isDone() && !joined.isCompletedExceptionally(),
                ended, List.copyOf(ps), List.copyOf(bs), noBridge);
    }

    private Instant now() { return ctx.clock().instant(); }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static void cancel(EventLoop.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    int participantCount() { return participants.size(); }

    static Comparator<Conference> largestOn(String bridgeId) {
        return Comparator.comparingInt((Conference c) -> c.placedOn(bridgeId)).reversed();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static final class Participant {
        Occupant occupant;
        ParticipantView.State state = ParticipantView.State.WAITING;
        Instant since;
        Session session;
        Allocation allocation;
        long gen;
        boolean counted;
        final Set<String> exclusions = new LinkedHashSet<>();
        int failures;
        boolean moving;
        /** Waiting because the conference could not spread to the bridge selection chose. */
        boolean blockedBySpread;
        String movedFrom;
        String moveReason;
        EventLoop.Cancellable retryTimer;
        /** What the participant signalled for its current place (null until it did). */
        IceUdpTransport transport;
        Sources sources;
        /** Taken off its bridge by the signalling layer; not placed again while it stays in the room. */
        boolean released;
        /** Whether its current allocation request asked for SCTP (see {@code endpointSpec}). */
        boolean askedSctp;
        /** The session its refused allocations were adapted in, and how many times. */
        Session adaptedIn;
        int adaptations;

        /** When it joined the room (for {@code jitsi_jicofo_endpoint_seconds}). */
        final Instant joinedAt;

        Participant(Occupant occupant, Instant now) {
            this.occupant = occupant;
            this.since = now;
            this.joinedAt = now;
        }

        String id() { return occupant.nick(); }

        void toState(ParticipantView.State s, Instant now) {
            if (state != s) {
                state = s;
                since = now;
            }
        }

        void clearMedia() {
            transport = null;
            sources = null;
        }

        void clearMove() {
            moving = false;
            movedFrom = null;
            moveReason = null;
        }

        ParticipantView view() {
            return new ParticipantView(id(), occupant.occupantJid(), occupant.region(), occupant.statsId(), state,
                    session != null ? session.bridge.id() : null, session != null ? session.bridge.nick() : null,
                    moving, movedFrom, moveReason, failures, Set.copyOf(exclusions), since, allocation,
                    occupant.capsNode(), transport != null, sources == null ? 0 : sources.ssrcs().size());
        }
    }

    private static final class Session {
        BridgeState bridge;
        final String id = UUID.randomUUID().toString();
        boolean createSent;
        boolean created;
        final LinkedHashSet<Participant> members = new LinkedHashSet<>();
        final Deque<Instant> recentAdds = new ArrayDeque<>();
        /** The bridge's feedback sources in this conference, from the first reply that carried them. */
        Sources feedbackSources;
        /** The reply (or failure) of the conference create was handled. */
        boolean createAnswered;
        /** Allocation replies without feedback sources that came before the create's reply. */
        final List<Runnable> afterCreate = new ArrayList<>();
        /** Made by a previous focus process and taken back ({@link #adoptBridge}) until {@link #dropStale}. */
        boolean adopted;
        /** Endpoints the previous process left here; each one's first allocation replaces it. */
        final Set<String> stale = new LinkedHashSet<>();

        Session(BridgeState bridge) { this.bridge = bridge; }

        /**
         * The allocation with the bridge's feedback sources of this conference: they belong to the conference on
         * the bridge, not to one endpoint, so an allocation reply without them (the real bridges repeat them in every
         * endpoint create reply, a-036..a-041; Jicofo offered them to every participant) gets the ones seen before.
         */
        Allocation withFeedbackSources(Allocation a) {
            if (a.feedbackSources() != null && !a.feedbackSources().isEmpty()) {
                feedbackSources = a.feedbackSources();
                return a;
            }
            return feedbackSources == null ? a : a.withFeedbackSources(feedbackSources);
        }
    }
}
