package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference (one room): its participants and their state. The rest is done by collaborators that share this
 * state on the same loop: {@link ConferenceBridges} (the bridges it uses, the relays between them),
 * {@link Placement} (selection and allocation of one participant, with {@link AllocationFailures}), {@link Failover}
 * (the table {@link FailoverTrigger}), {@link ConferenceSignalling} (the glue to the signalling layer) and
 * {@link ConferenceTimeouts}; {@link RoomPresence} keeps the room's owner and the focus's presence.
 *
 * <p>All state is owned by the conference control loop, one message at a time: every task of the conference (room
 * callbacks, Colibri2 replies, timers, and the calls of {@link ConferenceManager}) runs through {@link #handle}, and
 * the end of each message is the one place that brings the room's presence up to date and publishes the immutable
 * {@link #view()} (readable from any thread), then, when the conference ended in it, tells the signaller and the
 * manager.
 */
final class Conference {
    private static final Logger log = LoggerFactory.getLogger(Conference.class);

    private final ConferenceContext ctx;
    private final ConferenceSpec spec;
    private final String roomJid;
    private final Instant createdAt;
    private final Consumer<Conference> onEnded;
    private final LinkedHashMap<String, Participant> participants = new LinkedHashMap<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final String logPrefix;
    private final ConferenceBridges bridges;
    private final Placement placement;
    private final Failover failover;
    private final ConferenceSignalling signalling;
    private final ConferenceTimeouts timeouts;
    private final ConferenceRecovery recovery;
    private final RoomPresence presence;
    private volatile ConferenceRoom room;
    private boolean ended;
    private boolean endAnnounced;
    private boolean everJoined;
    /** Nesting of {@link #handle}: a message may call into the conference again (the signaller does). */
    private int depth;
    private volatile ConferenceView view;

    Conference(ConferenceContext shared, String roomJid, boolean rtcstatsEnabled, Consumer<Conference> onEnded) {
        this(shared, roomJid, UUID.randomUUID().toString(), rtcstatsEnabled, onEnded);
    }

    /** @param meetingId the meeting id (a restarted focus keeps the one its bridge conferences have) */
    Conference(ConferenceContext shared, String roomJid, String meetingId, boolean rtcstatsEnabled,
               Consumer<Conference> onEnded) {
        this.ctx = shared.withLoop(new OwnLoop(shared.loop()));
        this.roomJid = roomJid;
        this.spec = new ConferenceSpec(meetingId, roomJid, rtcstatsEnabled);
        this.createdAt = ctx.clock().instant();
        this.onEnded = onEnded;
        this.logPrefix = "[room=" + roomJid + " meeting_id=" + spec.meetingId() + "]";
        this.bridges = new ConferenceBridges(this);
        this.placement = new Placement(this);
        this.failover = new Failover(this);
        this.signalling = new ConferenceSignalling(this);
        this.timeouts = new ConferenceTimeouts(this);
        this.recovery = new ConferenceRecovery(this);
        this.presence = new RoomPresence(this);
        handle(() -> { });  // the first view
    }

    String roomJid() { return roomJid; }
    ConferenceSpec spec() { return spec; }
    ConferenceView view() { return view; }
    boolean ended() { return ended; }
    CompletableFuture<Void> joinedFuture() { return joined; }

    // ---------------------------------------------------------------------------------------------------------
    // Messages

    /** Runs one message of the conference; the outermost one ends with {@link #settle}. */
    void handle(Runnable message) {
        handled(() -> {
            message.run();
            return null;
        });
    }

    private <T> T handled(Supplier<T> message) {
        depth++;
        try {
            return message.get();
        } finally {
            if (--depth == 0) {
                settle();
            }
        }
    }

    /** The one place the conference publishes: presence and view after every message; then, once, the end. */
    private void settle() {
        updatePresence();
        view = buildView();
        if (ended && !endAnnounced) {
            endAnnounced = true;
            signalling.ended();
            onEnded.accept(this);
        }
    }

    /** The shared loop, with every task of this conference run as one of its messages. */
    private final class OwnLoop implements EventLoop {
        private final EventLoop loop;

        OwnLoop(EventLoop loop) { this.loop = loop; }

        @Override public void execute(Runnable task) { loop.execute(() -> handle(task)); }

        @Override public Cancellable schedule(Runnable task, Duration delay) {
            return loop.schedule(() -> handle(task), delay);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Joins the room and starts the initial timeout.
     *
     * @param listener what the room reports ({@link RoomRecovery#listenerFor}: each report a message of this
     *     conference, through {@link #handle})
     */
    void start(ConferenceRoomFactory rooms, RoomListener listener) {
        handle(() -> {
            timeouts.startInitial();
            CompletableFuture<?> join;
            try {
                // a room that cannot even be created fails the join and ends the conference like one that cannot
                // be joined: it must not stay registered, never joined, holding every later request for the room
                room = rooms.create(roomJid, listener);
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
                }
            }));
        });
    }

    /** A repeated request for a conference nobody joined yet restarts the initial timeout (as Jicofo does). */
    void requestedAgain() {
        handle(() -> {
            if (!everJoined && !ended) {
                timeouts.startInitial();
            }
        });
    }

    /** Ends the conference: expires it on every bridge and leaves the room. */
    void end(String reason) {
        handle(() -> {
            if (ended) {
                return;
            }
            ended = true;
            timeouts.cancelAll();
            Instant now = now();
            for (Participant p : participants.values()) {
                p.cancelRetry();
                ctx.metrics().endpointSeconds.inc(seconds(p.joinedAt, now));
            }
            bridges.removeAll();
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
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Room occupants (their callbacks come through the conference's loop)

    void onOccupantJoined(Occupant o) {
        if (ended) {
            return;
        }
        Participant existing = participants.get(o.nick());
        if (existing != null) {
            existing.occupant = o;
            return;
        }
        everJoined = true;
        timeouts.cancelInitial();
        Participant p = new Participant(o, now());
        participants.put(o.nick(), p);
        ctx.metrics().participants.inc();
        log.info("{} participant {} joined (region={})", logPrefix, o.nick(), o.region());
        presence.joined(p);
        if (participants.size() > 1) {
            timeouts.cancelSingleParticipant();
        }
        placement.placeWaiting();
        if (participants.size() == 1) {
            timeouts.startSingleParticipant();
        }
    }

    void onOccupantChanged(Occupant o) {
        Participant p = participants.get(o.nick());
        if (p != null && !ended) {
            p.occupant = o;
        }
    }

    void onOccupantLeft(String nick) {
        Participant p = participants.remove(nick);
        if (p == null || ended) {
            return;
        }
        log.info("{} participant {} left", logPrefix, nick);
        ctx.metrics().endpointSeconds.inc(seconds(p.joinedAt, now()));
        p.cancelRetry();
        p.gen++;
        if (p.session != null) {
            bridges.release(p, p.session);
        }
        signalling.removed(p, true);
        presence.left(p, participants.values());
        if (participants.isEmpty()) {
            end("the last participant left");
            return;
        }
        if (participants.size() == 1) {
            timeouts.startSingleParticipant();
        }
        bridges.syncRelays();
    }

    // ---------------------------------------------------------------------------------------------------------
    // XMPP trouble and restarts (the policy is RoomRecovery's and ConferenceRestore's; see ConferenceRecovery)

    ConferenceRoom room() { return room; }

    /** The participant's client session is gone but it may come back (the server restarted). */
    void sessionLost(String nick) { handle(() -> recovery.sessionLost(nick)); }

    /** The participant is back in the room from a new client session ({@link ConferenceRecovery#returned}). */
    void occupantReturned(Occupant o) { handle(() -> recovery.returned(o)); }

    /** A bridge conference a previous focus process made with this meeting id ({@link ConferenceBridges#adopt}). */
    void adoptBridge(BridgeState bridge, Set<String> endpoints) { handle(() -> bridges.adopt(bridge, endpoints)); }

    /** Expires what nobody came back for in adopted bridge conferences ({@link ConferenceBridges#dropStale}). */
    List<String> dropStale() { return handled(bridges::dropStale); }

    /** Ends the conference if nobody is in it after {@code wait} (in place of the initial timeout). */
    void awaitParticipants(Duration wait) { handle(() -> timeouts.startInitial(wait)); }

    /** A room created anew forgot who its owner was: the owner, back, is made owner again. */
    void ownerBack(Participant p) { presence.ownerBack(p); }

    /** Takes the participant off its bridge; it stays in the room, waiting (the caller says why). */
    void unplace(Participant p) {
        p.cancelRetry();
        p.gen++;
        if (p.session != null) {
            bridges.release(p, p.session);
        }
        p.toState(ParticipantView.State.WAITING, now());
        p.clearMove();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the manager and the signalling layer ask (see ConferenceManager, ConferenceControl)

    void onBridgeEvent(BridgeEvent event) {
        handle(() -> failover.onBridgeEvent(event));
    }

    boolean participantMedia(String endpointId, IceUdpTransport transport, Sources sources) {
        return handled(() -> signalling.participantMedia(endpointId, transport, sources));
    }

    /** The participant's client reported ICE failure or asked for a restart ({@link FailoverTrigger#CLIENT_RESTART}). */
    boolean restartParticipant(String endpointId, String reason) {
        return handled(() -> failover.restart(FailoverTrigger.CLIENT_RESTART, endpointId, reason));
    }

    boolean releaseParticipant(String endpointId, String reason) {
        return handled(() -> signalling.releaseParticipant(endpointId, reason));
    }

    /** Moves up to {@code n} placed participants off the bridge ({@link FailoverTrigger#ADMIN_MOVE} or a drain). */
    int moveFrom(FailoverTrigger trigger, String bridgeId, int n, String reason) {
        return handled(() -> failover.moveFrom(trigger, bridgeId, n, reason));
    }

    /** {@link FailoverTrigger#ADMIN_MOVE_ENDPOINT}. */
    boolean moveEndpoint(String endpointId, String bridgeId, String reason) {
        return handled(() -> failover.moveEndpoint(endpointId, bridgeId, reason));
    }

    /** Placed participants on the bridge. */
    int placedOn(String bridgeId) { return bridges.placedOn(bridgeId); }

    int participantCount() { return participants.size(); }

    static Comparator<Conference> largestOn(String bridgeId) {
        return Comparator.comparingInt((Conference c) -> c.placedOn(bridgeId)).reversed();
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the collaborators (on the loop)

    ConferenceContext ctx() { return ctx; }
    String logPrefix() { return logPrefix; }

    String logPrefix(Participant p) {
        return "[room=" + roomJid + " meeting_id=" + spec.meetingId() + " participant=" + p.id() + "]";
    }

    Participant participant(String id) { return id == null ? null : participants.get(id); }

    /** The participants in join order (a copy: placing one may change the others). */
    List<Participant> participants() { return new ArrayList<>(participants.values()); }

    ConferenceBridges bridges() { return bridges; }
    Placement placement() { return placement; }
    Failover failover() { return failover; }
    ConferenceSignalling signalling() { return signalling; }
    Instant now() { return ctx.clock().instant(); }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Presence and view (settle() only)

    /**
     * The focus's presence ({@link RoomPresence}), only once somebody joined (the room's own first presence says what
     * the focus supports).
     */
    private void updatePresence() {
        if (!ended && room != null && everJoined) {
            presence.update(room, bridges.count(),
                    participants.values().stream().anyMatch(p -> p.is(ParticipantView.State.NO_BRIDGE)));
        }
    }

    private ConferenceView buildView() {
        List<ParticipantView> ps = participants.values().stream().map(Participant::view).toList();
        boolean noBridge = ps.stream().anyMatch(p -> p.state() == ParticipantView.State.NO_BRIDGE);
        return new ConferenceView(roomJid, spec.meetingId(), createdAt,
                joined.isDone() && !joined.isCompletedExceptionally(), ended, ps, bridges.views(), noBridge);
    }
}
