package io.focus.conference;

import io.focus.core.loop.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one conference's room reports, on the conference loop, with what {@link RoomRecovery} needs to know about it:
 * an occupant back from another real JID (a new client session) or from being away is a returning participant
 * ({@link Conference#occupantReturned}); after the connection came back, joining occupants wait for the conference's
 * bridges ({@link #BRIDGE_WAIT}); shutdown leaves make participants away; destroyed, kicked, banned or removed end
 * the conference; one demotion is one log line. Called on any thread; everything runs on the loop.
 */
final class RoomEvents implements RoomListener {
    private static final Logger log = LoggerFactory.getLogger(RoomEvents.class);
    /**
     * After the connection is back, the longest time occupants joining the conference are held until each of its
     * bridges has shown stats again (is back in the brewery as the focus sees it, so Colibri2 reaches it): the bridges
     * come back on their own schedule, and a request sent before would fail them. Then they are let in regardless.
     */
    static final Duration BRIDGE_WAIT = Duration.ofSeconds(10);
    static final Duration BRIDGE_POLL = Duration.ofMillis(50);
    /** The privileges one demotion takes arrive as separate callbacks within this time. */
    static final Duration DEMOTION_COALESCE = Duration.ofMillis(100);

    private final ConferenceContext ctx;
    private final RoomRecovery recovery;
    private final Conference c;
    // loop only
    /** Nick → the real JID its presence showed: another one means a new client session. */
    private final Map<String, String> realJids = new HashMap<>();
    /** The connection came back at; occupants wait for the bridges while set. */
    private Instant backAt;
    /** Occupants that joined while held, in order. */
    private final List<Occupant> held = new ArrayList<>();
    private EventLoop.Cancellable holdTimer;
    private boolean droppedLogged;
    private final Set<String> demotions = new HashSet<>();
    private final Set<String> demotedNow = new TreeSet<>();

    RoomEvents(ConferenceContext ctx, RoomRecovery recovery, Conference c) {
        this.ctx = ctx;
        this.recovery = recovery;
        this.c = c;
    }

    /** Loop: the connection is back; occupants joining now wait for the bridges. */
    void connectionBack(Instant at) {
        backAt = at;
    }

    /** Loop: the conference is gone. */
    void cancel() {
        if (holdTimer != null) {
            holdTimer.cancel();
            holdTimer = null;
        }
        held.clear();
    }

    @Override public void occupantJoined(Occupant o) {
        ctx.loop().execute(() -> {
            if (!c.ended()) {
                joined(o);
            }
        });
    }

    @Override public void occupantChanged(Occupant o) {
        ctx.loop().execute(() -> c.handle(() -> c.onOccupantChanged(o)));
    }

    @Override public void occupantLeft(String nick) {
        ctx.loop().execute(() -> {
            realJids.remove(nick);
            recovery.left(c, nick);
            if (held.removeIf(h -> h.nick().equals(nick)) && c.view().participant(nick) == null) {
                return;
            }
            c.handle(() -> c.onOccupantLeft(nick));
        });
    }

    @Override public void occupantDropped(String nick, String why) {
        ctx.loop().execute(() -> {
            if (c.ended() || c.view().participant(nick) == null) {
                return;
            }
            if (!droppedLogged) {
                droppedLogged = true;
                log.warn("Room {}: the server is taking participants out ({}): keeping them for {} while they come "
                        + "back", c.roomJid(), why, recovery.settings().rejoinTimeout());
            }
            recovery.markAway(c, nick);
        });
    }

    @Override public void focusRemoved(RoomExit exit) {
        ctx.loop().execute(() -> {
            if (!c.ended()) {
                recovery.end(c, exit.describe());
            }
        });
    }

    /** One demotion comes as several callbacks (an owner made member also loses the moderator role): one line. */
    @Override public void focusDemoted(String privilege) {
        ctx.loop().execute(() -> {
            if (c.ended() || !demotions.add(privilege)) {
                return;
            }
            demotedNow.add(privilege);
            if (demotedNow.size() == 1) {
                ctx.loop().schedule(() -> {
                    if (!c.ended()) {
                        log.warn("Room {}: the focus was demoted (lost {}): it can no longer make participants "
                                + "owners; the conference goes on", c.roomJid(), String.join(", ", demotedNow));
                    }
                    demotedNow.clear();
                }, DEMOTION_COALESCE);
            }
        });
    }

    private void joined(Occupant o) {
        if (holding()) {
            held.removeIf(h -> h.nick().equals(o.nick()));
            held.add(o);
            if (holdTimer == null) {
                holdTimer = ctx.loop().schedule(this::releaseHeld, BRIDGE_POLL);
            }
            return;
        }
        String before = o.realJid() == null ? null : realJids.put(o.nick(), o.realJid());
        boolean known = c.view().participant(o.nick()) != null;
        boolean newSession = before != null && !before.equals(o.realJid());
        if (known && (recovery.isAway(c, o.nick()) || newSession)) {
            recovery.returned(c, o);
        } else {
            c.handle(() -> c.onOccupantJoined(o));
        }
    }

    /** Whether occupants wait for the conference's bridges (see {@link #BRIDGE_WAIT}). */
    private boolean holding() {
        if (backAt == null) {
            return false;
        }
        boolean ready = c.view().bridges().stream().allMatch(b -> {
            var state = ctx.bridges().snapshot().get(b.bridgeId());
            return state == null || state.lastStatsAt() == null || state.lastStatsAt().isAfter(backAt);
        });
        if (!ready && ctx.clock().instant().isBefore(backAt.plus(BRIDGE_WAIT))) {
            return true;
        }
        if (!ready) {
            log.warn("Room {}: its bridges {} did not show stats within {} of the connection coming back; placing "
                    + "participants anyway", c.roomJid(), RoomRecovery.bridges(c), BRIDGE_WAIT);
        }
        backAt = null;
        return false;
    }

    private void releaseHeld() {
        holdTimer = null;
        if (c.ended()) {
            return;
        }
        if (holding()) {
            holdTimer = ctx.loop().schedule(this::releaseHeld, BRIDGE_POLL);
            return;
        }
        List<Occupant> now = new ArrayList<>(held);
        held.clear();
        now.forEach(this::joined);
    }
}
