package io.focus.conference;

import io.focus.core.loop.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every conference in its room through XMPP trouble, and ends it when the room is gone for good. Each event is
 * logged once, in a line that starts with {@code Room <jid>}:
 *
 * <ul>
 * <li><b>Connection lost</b> ({@link #connectionLost}): every room forgets its membership at once (on the connection's
 *     thread, before any reconnect), and conference requests wait until the focus is back in the room: the focus
 *     never answers "ready" for a room it is not in.</li>
 * <li><b>Connection back</b> ({@link #connectionBack}): every room is joined again at once, with the same
 *     configuration. If the room was still there (only the focus's link blinked), whoever is still in it keeps its
 *     session and is not re-signalled; whoever left meanwhile is removed; whoever came back from a new client session
 *     (another real JID) is re-signalled. If the room had to be created anew (Prosody restarted), every participant
 *     is <em>away</em>: its endpoint stays in the bridge conference for {@link RecoverySettings#rejoinTimeout}, and
 *     when its client is back in the room it gets a fresh endpoint there (the old one replaced in one request) and a
 *     fresh offer ({@link Conference#occupantReturned}). Whoever is not back in time is removed; a conference nobody
 *     came back to ends and is expired on its bridges.</li>
 * <li><b>Server shutting down</b>: participants the server takes out with a shutdown status are away, not gone.</li>
 * <li><b>Room destroyed, focus kicked, banned or removed</b>: the conference ends and is expired on its bridges (the
 *     clients take a focus that left as a failed conference and leave too).</li>
 * <li><b>Focus demoted</b> (ownership, admin or moderator revoked): logged; the conference goes on (only making
 *     participants owners needs the privilege).</li>
 * </ul>
 *
 * <p>A restarted focus that took a room back ({@link #restored}) keeps the bridge conferences it adopted for the same
 * time, then expires what nobody came back for ({@link Conference#dropStale}).
 *
 * <p>Everything but {@link #connectionLost}'s first step runs on the conference loop.
 */
final class RoomRecovery {
    private static final Logger log = LoggerFactory.getLogger(RoomRecovery.class);
    /** Joining a room again after a reconnect: attempts, and the first delay (doubling). */
    static final int REJOIN_ATTEMPTS = 5;
    static final Duration REJOIN_BACKOFF = Duration.ofMillis(250);

    private final ConferenceContext ctx;
    private final RecoverySettings settings;
    private final Supplier<Collection<Conference>> conferences;
    /** Loop only; by conference identity. */
    private final Map<Conference, State> states = new HashMap<>();

    RoomRecovery(ConferenceContext ctx, RecoverySettings settings, Supplier<Collection<Conference>> conferences) {
        this.ctx = ctx;
        this.settings = settings;
        this.conferences = conferences;
    }

    RecoverySettings settings() { return settings; }

    /** Loop: what the conference's room reports ({@link RoomEvents}: posted to the loop). */
    RoomListener listenerFor(Conference c) {
        RoomEvents e = new RoomEvents(ctx, this, c);
        state(c).events = e;
        return e;
    }

    /**
     * Loop: the future a conference request waits for. The join of a new conference; after a connection loss, the
     * join that brings the focus back into the room.
     */
    CompletableFuture<Void> inRoom(Conference c) {
        State st = states.get(c);
        return st != null && st.inRoom != null ? st.inRoom : c.joinedFuture();
    }

    /** Loop: the conference ended. */
    void forget(Conference c) {
        State st = states.remove(c);
        if (st != null) {
            cancel(st);
            if (st.inRoom != null) {
                st.inRoom.completeExceptionally(new IllegalStateException("the conference ended"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The connection

    /**
     * The focus's connection is gone. On the caller's thread (the connection manager's: nothing is reconnecting
     * yet) every room forgets its membership; then, on the loop, requests start waiting for the rejoin.
     */
    void connectionLost(String cause) {
        for (Conference c : conferences.get()) {
            ConferenceRoom r = c.room();
            if (r != null && !c.ended()) {
                try {
                    r.connectionLost();
                } catch (RuntimeException e) {
                    log.warn("Room {}: forgetting the membership failed: {}", c.roomJid(), e.toString());
                }
            }
        }
        ctx.loop().execute(() -> {
            for (Conference c : live()) {
                State st = state(c);
                if (st.inRoom == null || st.inRoom.isDone()) {
                    st.inRoom = new CompletableFuture<>();
                }
                st.lostAt = ctx.clock().instant();
                st.losses++;
                log.warn("Room {}: out of the room: the XMPP connection was lost ({}); joining again when it is back",
                        c.roomJid(), cause);
            }
        });
    }

    /** The connection is back (resumed or not): every room the focus was out of is joined again at once. */
    void connectionBack(boolean resumed) {
        ctx.loop().execute(() -> {
            for (Conference c : live()) {
                State st = states.get(c);
                if (st != null && st.inRoom != null && !st.inRoom.isDone()) {
                    if (st.events != null) {
                        st.events.connectionBack(ctx.clock().instant());
                    }
                    rejoin(c, st, resumed, 1, st.losses);
                }
            }
        });
    }

    /** @param losses the loss this rejoin follows: after another one, the next reconnect rejoins instead */
    private void rejoin(Conference c, State st, boolean resumed, int attempt, long losses) {
        CompletableFuture<RoomJoin> f;
        try {
            f = c.room().join();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((join, e) -> ctx.loop().execute(() -> {
            if (c.ended() || states.get(c) != st || st.losses != losses) {
                return;
            }
            if (e != null) {
                if (attempt < REJOIN_ATTEMPTS) {
                    Duration delay = REJOIN_BACKOFF.multipliedBy(1L << (attempt - 1));
                    log.info("Room {}: joining again failed ({}); attempt {} in {} ms", c.roomJid(), e.toString(),
                            attempt + 1, delay.toMillis());
                    ctx.loop().schedule(() -> {
                        if (!c.ended() && states.get(c) == st && st.losses == losses) {
                            rejoin(c, st, resumed, attempt + 1, losses);
                        }
                    }, delay);
                    return;
                }
                end(c, "could not join the room again after the XMPP connection loss (" + e + ")");
                return;
            }
            rejoined(c, st, join, resumed);
        }));
    }

    private void rejoined(Conference c, State st, RoomJoin join, boolean resumed) {
        List<String> gone = new ArrayList<>();
        for (ParticipantView p : c.view().participants()) {
            if (!join.occupants().contains(p.id()) && !st.away.containsKey(p.id())) {
                gone.add(p.id());
            }
        }
        long ms = st.lostAt == null ? 0 : Duration.between(st.lostAt, ctx.clock().instant()).toMillis();
        CompletableFuture<Void> back = st.inRoom;
        back.complete(null);
        // the time to come back counts from now: nobody could while the server or the focus was away
        Instant until = ctx.clock().instant().plus(settings.rejoinTimeout());
        st.away.replaceAll((nick, t) -> until);
        if (join.created()) {
            log.warn("Room {}: joined again {} ms after the XMPP connection loss; the room was gone (the server "
                    + "restarted) and is created again; {} participant(s) away, kept in the bridge conference for {}",
                    c.roomJid(), ms, gone.size() + st.away.size(), settings.rejoinTimeout());
            gone.forEach(n -> markAway(c, st, n));
        } else {
            log.info("Room {}: joined again {} ms after the XMPP connection loss (stream resumed: {}); {} "
                    + "participant(s) still in it, {} left meanwhile", c.roomJid(), ms, resumed,
                    join.occupants().size(), gone.size());
            gone.forEach(n -> c.handle(() -> c.onOccupantLeft(n)));
        }
        if (!st.away.isEmpty() && st.awayTimer == null) {
            st.awayTimer = ctx.loop().schedule(() -> expireAway(c, st), settings.rejoinTimeout());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Away participants

    /** Loop: the participant's client session is gone; it may come back. */
    void markAway(Conference c, String nick) {
        markAway(c, state(c), nick);
    }

    boolean isAway(Conference c, String nick) {
        State st = states.get(c);
        return st != null && st.away.containsKey(nick);
    }

    /** Loop: the participant left the room on its own. */
    void left(Conference c, String nick) {
        State st = states.get(c);
        if (st != null) {
            st.away.remove(nick);
        }
    }

    /**
     * While the focus is out of the room (the server going away) the clock does not run: it starts when the focus is
     * back in the room ({@link #rejoined}).
     */
    private void markAway(Conference c, State st, String nick) {
        if (c.view().participant(nick) == null) {
            return;
        }
        boolean out = st.inRoom != null && !st.inRoom.isDone();
        if (st.away.putIfAbsent(nick, out ? Instant.MAX : ctx.clock().instant().plus(settings.rejoinTimeout()))
                == null) {
            c.sessionLost(nick);
        }
        if (!out && st.awayTimer == null) {
            st.awayTimer = ctx.loop().schedule(() -> expireAway(c, st), settings.rejoinTimeout());
        }
    }

    private void expireAway(Conference c, State st) {
        st.awayTimer = null;
        if (c.ended() || states.get(c) != st || (st.inRoom != null && !st.inRoom.isDone())) {
            // out of the room: the clock starts again when the focus is back in it (rejoined)
            return;
        }
        Instant now = ctx.clock().instant();
        List<String> due = st.away.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey)
                .toList();
        if (!due.isEmpty()) {
            due.forEach(st.away::remove);
            boolean everyone = c.view().participants().stream().allMatch(p -> due.contains(p.id()));
            if (everyone) {
                end(c, "nobody came back within " + settings.rejoinTimeout() + " after the server dropped the room");
                return;
            }
            log.info("Room {}: {} not back within {}: removing them (their endpoints are expired)", c.roomJid(), due,
                    settings.rejoinTimeout());
            due.forEach(n -> c.handle(() -> c.onOccupantLeft(n)));
        }
        st.away.values().stream().filter(t -> !t.equals(Instant.MAX)).min(Instant::compareTo)
                .ifPresent(next -> st.awayTimer = ctx.loop().schedule(() -> expireAway(c, st),
                        Duration.between(now, next).plusMillis(1)));
    }

    /** Loop: the participant is back in the room from a new client session. */
    void returned(Conference c, Occupant o) {
        State st = state(c);
        st.away.remove(o.nick());
        if (st.away.isEmpty() && st.awayTimer != null) {
            st.awayTimer.cancel();
            st.awayTimer = null;
        }
        c.occupantReturned(o);
    }

    // ---------------------------------------------------------------------------------------------------------
    // A room taken back by a restarted focus

    /**
     * Loop: a conference a restarted focus took back (its adopted bridge conferences are in it). Once the focus is in
     * the room, nobody there is kept for {@link RecoverySettings#rejoinTimeout}; then what nobody came back for is
     * expired.
     */
    void restored(Conference c, int endpoints) {
        State st = state(c);
        c.awaitParticipants(settings.rejoinTimeout());
        c.joinedFuture().thenRun(() -> ctx.loop().execute(() -> {
            if (c.ended() || states.get(c) != st) {
                return;
            }
            log.info("Room {}: taken back from the previous focus process: {} of its {} participant(s) in the room",
                    c.roomJid(), c.view().participants().size(), endpoints);
            st.restoreTimer = ctx.loop().schedule(() -> {
                st.restoreTimer = null;
                if (c.ended() || states.get(c) != st) {
                    return;
                }
                List<String> expired = c.dropStale();
                if (!expired.isEmpty()) {
                    log.info("Room {}: nobody placed in the bridge conference(s) taken back on {} within {}: expired",
                            c.roomJid(), expired, settings.rejoinTimeout());
                }
            }, settings.rejoinTimeout());
        }));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Loop: ends the conference (expiring it on its bridges), logged once. */
    void end(Conference c, String why) {
        log.warn("Room {}: {}: ending the conference, expired on {}", c.roomJid(), why, bridges(c));
        c.end(why);
    }

    static String bridges(Conference c) {
        List<String> nicks = c.view().bridges().stream().map(ConferenceView.BridgeUse::nick).toList();
        return nicks.isEmpty() ? "no bridge" : String.join(", ", nicks);
    }

    private List<Conference> live() {
        return conferences.get().stream().filter(c -> !c.ended()).collect(Collectors.toList());
    }

    private State state(Conference c) {
        return states.computeIfAbsent(c, k -> new State());
    }

    private static void cancel(State st) {
        if (st.awayTimer != null) {
            st.awayTimer.cancel();
            st.awayTimer = null;
        }
        if (st.restoreTimer != null) {
            st.restoreTimer.cancel();
            st.restoreTimer = null;
        }
        if (st.events != null) {
            st.events.cancel();
        }
    }

    /** One conference's recovery state (loop only). */
    private static final class State {
        /** While out of the room: completes when the focus is back in it. */
        CompletableFuture<Void> inRoom;
        Instant lostAt;
        /** Connection losses seen: a rejoin that fails after a newer loss is not retried (the next one rejoins). */
        long losses;
        RoomEvents events;
        /** Away participants → until when they are kept. */
        final Map<String, Instant> away = new LinkedHashMap<>();
        EventLoop.Cancellable awayTimer;
        EventLoop.Cancellable restoreTimer;
    }
}
