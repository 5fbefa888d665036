package io.focus.conference;

import io.focus.core.loop.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /**
     * After the connection is back, the longest time occupants joining a conference are held until each of its
     * bridges has shown stats again (is back in the brewery as the focus sees it: Colibri2 reaches it); the bridges
     * come back on their own schedule, and a request sent before would fail them. Then they are let in regardless.
     */
    static final Duration BRIDGE_WAIT = Duration.ofSeconds(10);
    static final Duration BRIDGE_POLL = Duration.ofMillis(50);
    /** The privileges one demotion takes arrive as separate callbacks within this time. */
    static final Duration DEMOTION_COALESCE = Duration.ofMillis(100);

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

    /** What the conference's room reports, posted to the loop. */
    RoomListener listenerFor(Conference c) {
        return new Events(c);
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
                    st.backAt = ctx.clock().instant();
                    rejoin(c, st, resumed, 1);
                }
            }
        });
    }

    private void rejoin(Conference c, State st, boolean resumed, int attempt) {
        CompletableFuture<RoomJoin> f;
        try {
            f = c.room().join();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((join, e) -> ctx.loop().execute(() -> {
            if (c.ended() || states.get(c) != st) {
                return;
            }
            if (e != null) {
                if (attempt < REJOIN_ATTEMPTS) {
                    Duration delay = REJOIN_BACKOFF.multipliedBy(1L << (attempt - 1));
                    log.info("Room {}: joining again failed ({}); attempt {} in {} ms", c.roomJid(), e.toString(),
                            attempt + 1, delay.toMillis());
                    ctx.loop().schedule(() -> {
                        if (!c.ended() && states.get(c) == st) {
                            rejoin(c, st, resumed, attempt + 1);
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
        if (join.created()) {
            log.warn("Room {}: joined again {} ms after the XMPP connection loss; the room was gone (the server "
                    + "restarted) and is created again; {} participant(s) away, kept in the bridge conference for {}",
                    c.roomJid(), ms, gone.size() + st.away.size(), settings.rejoinTimeout());
            gone.forEach(n -> markAway(c, st, n));
        } else {
            log.info("Room {}: joined again {} ms after the XMPP connection loss (stream resumed: {}); {} "
                    + "participant(s) still in it, {} left meanwhile", c.roomJid(), ms, resumed,
                    join.occupants().size(), gone.size());
            gone.forEach(c::onOccupantLeft);
        }
        back.complete(null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Away participants

    private void markAway(Conference c, State st, String nick) {
        if (c.view().participant(nick) == null) {
            return;
        }
        if (st.away.putIfAbsent(nick, ctx.clock().instant().plus(settings.rejoinTimeout())) == null) {
            c.sessionLost(nick);
        }
        if (st.awayTimer == null) {
            st.awayTimer = ctx.loop().schedule(() -> expireAway(c, st), settings.rejoinTimeout());
        }
    }

    private void expireAway(Conference c, State st) {
        st.awayTimer = null;
        if (c.ended() || states.get(c) != st) {
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
            due.forEach(c::onOccupantLeft);
        }
        st.away.values().stream().min(Instant::compareTo).ifPresent(next -> st.awayTimer = ctx.loop().schedule(
                () -> expireAway(c, st), Duration.between(now, next).plusMillis(1)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Occupants joining

    private void joined(Conference c, State st, Occupant o) {
        if (holding(c, st)) {
            st.held.removeIf(h -> h.nick().equals(o.nick()));
            st.held.add(o);
            if (st.holdTimer == null) {
                st.holdTimer = ctx.loop().schedule(() -> releaseHeld(c, st), BRIDGE_POLL);
            }
            return;
        }
        String before = o.realJid() == null ? null : st.realJids.put(o.nick(), o.realJid());
        boolean known = c.view().participant(o.nick()) != null;
        boolean newSession = before != null && !before.equals(o.realJid());
        if (known && (st.away.containsKey(o.nick()) || newSession)) {
            returned(c, st, o);
        } else {
            c.onOccupantJoined(o);
        }
    }

    /** Whether occupants of the conference wait for its bridges (see {@link #BRIDGE_WAIT}). */
    private boolean holding(Conference c, State st) {
        if (st.backAt == null) {
            return false;
        }
        Instant now = ctx.clock().instant();
        boolean ready = c.view().bridges().stream().allMatch(b -> {
            var state = ctx.bridges().snapshot().get(b.bridgeId());
            return state == null || state.lastStatsAt() == null || state.lastStatsAt().isAfter(st.backAt);
        });
        if (!ready && now.isBefore(st.backAt.plus(BRIDGE_WAIT))) {
            return true;
        }
        if (!ready) {
            log.warn("Room {}: its bridges {} did not show stats within {} of the connection coming back; placing "
                    + "participants anyway", c.roomJid(), bridges(c), BRIDGE_WAIT);
        }
        st.backAt = null;
        return false;
    }

    private void releaseHeld(Conference c, State st) {
        st.holdTimer = null;
        if (c.ended() || states.get(c) != st) {
            return;
        }
        if (holding(c, st)) {
            st.holdTimer = ctx.loop().schedule(() -> releaseHeld(c, st), BRIDGE_POLL);
            return;
        }
        List<Occupant> held = new ArrayList<>(st.held);
        st.held.clear();
        held.forEach(o -> joined(c, st, o));
    }

    private void returned(Conference c, State st, Occupant o) {
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

    private void end(Conference c, String why) {
        log.warn("Room {}: {}: ending the conference, expired on {}", c.roomJid(), why, bridges(c));
        c.end(why);
    }

    private static String bridges(Conference c) {
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
        if (st.holdTimer != null) {
            st.holdTimer.cancel();
            st.holdTimer = null;
        }
    }

    /** One conference's recovery state (loop only). */
    private static final class State {
        /** While out of the room: completes when the focus is back in it. */
        CompletableFuture<Void> inRoom;
        Instant lostAt;
        /** The connection came back at; occupants wait for the bridges while set ({@link #holding}). */
        Instant backAt;
        /** Occupants that joined while held, in order. */
        final List<Occupant> held = new ArrayList<>();
        EventLoop.Cancellable holdTimer;
        /** Nick → the real JID its presence showed: another one means a new client session. */
        final Map<String, String> realJids = new HashMap<>();
        /** Away participants → until when they are kept. */
        final Map<String, Instant> away = new LinkedHashMap<>();
        EventLoop.Cancellable awayTimer;
        EventLoop.Cancellable restoreTimer;
        boolean droppedLogged;
        final Set<String> demotions = new HashSet<>();
        final Set<String> demotedNow = new java.util.TreeSet<>();
    }

    /** The room's reports, on the loop. */
    private final class Events implements RoomListener {
        private final Conference c;

        Events(Conference c) { this.c = c; }

        @Override public void occupantJoined(Occupant o) {
            ctx.loop().execute(() -> {
                if (!c.ended()) {
                    joined(c, state(c), o);
                }
            });
        }

        @Override public void occupantChanged(Occupant o) {
            ctx.loop().execute(() -> c.onOccupantChanged(o));
        }

        @Override public void occupantLeft(String nick) {
            ctx.loop().execute(() -> {
                State st = states.get(c);
                if (st != null) {
                    st.realJids.remove(nick);
                    st.away.remove(nick);
                    if (st.held.removeIf(h -> h.nick().equals(nick)) && c.view().participant(nick) == null) {
                        return;
                    }
                }
                c.onOccupantLeft(nick);
            });
        }

        @Override public void occupantDropped(String nick, String why) {
            ctx.loop().execute(() -> {
                if (c.ended() || c.view().participant(nick) == null) {
                    return;
                }
                State st = state(c);
                if (!st.droppedLogged) {
                    st.droppedLogged = true;
                    log.warn("Room {}: the server is taking participants out ({}): keeping them for {} while they "
                            + "come back", c.roomJid(), why, settings.rejoinTimeout());
                }
                markAway(c, st, nick);
            });
        }

        @Override public void focusRemoved(RoomExit exit) {
            ctx.loop().execute(() -> {
                if (!c.ended()) {
                    end(c, exit.describe());
                }
            });
        }

        /** One demotion comes as several callbacks (an owner made member also loses the moderator role): one line. */
        @Override public void focusDemoted(String privilege) {
            ctx.loop().execute(() -> {
                State st = state(c);
                if (c.ended() || !st.demotions.add(privilege)) {
                    return;
                }
                st.demotedNow.add(privilege);
                if (st.demotedNow.size() == 1) {
                    ctx.loop().schedule(() -> {
                        if (!c.ended()) {
                            log.warn("Room {}: the focus was demoted (lost {}): it can no longer make participants "
                                    + "owners; the conference goes on", c.roomJid(), String.join(", ", st.demotedNow));
                        }
                        st.demotedNow.clear();
                    }, DEMOTION_COALESCE);
                }
            });
        }
    }
}
