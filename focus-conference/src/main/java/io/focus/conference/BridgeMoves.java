package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin moves (Jicofo's {@code /move-endpoints} semantics, with the source bridge excluded) and the focus-side drain,
 * for {@link ConferenceManager}. The public methods may be called from any thread and run on the conference loop.
 */
final class BridgeMoves {
    private static final Logger log = LoggerFactory.getLogger(BridgeMoves.class);

    private final ConferenceContext ctx;
    /** The manager's conferences (written on the loop). */
    private final Map<String, Conference> conferences;
    private final Map<String, EventLoop.Cancellable> drainTasks = new ConcurrentHashMap<>();

    BridgeMoves(ConferenceContext ctx, Map<String, Conference> conferences) {
        this.ctx = ctx;
        this.conferences = conferences;
    }

    /** Loop: the focus stops. */
    void cancelDrains() {
        drainTasks.values().forEach(EventLoop.Cancellable::cancel);
        drainTasks.clear();
    }

    /** Loop: the bridge is gone: its drain ends. */
    void bridgeRemoved(String bridgeId) {
        EventLoop.Cancellable t = drainTasks.remove(bridgeId);
        if (t != null) {
            t.cancel();
        }
    }


    /** Moves one endpoint; with {@code bridge} given, only if the endpoint is on it. */
    CompletableFuture<MoveResult> moveEndpoint(String roomJid, String endpointId, String bridge) {
        return ctx.loop().submit(() -> {
            Conference c = roomJid == null ? null : conferences.get(roomJid.toLowerCase());
            if (c == null) {
                return MoveResult.notFound("Conference not found");
            }
            String bridgeId = null;
            if (bridge != null) {
                BridgeState b = ctx.bridges().snapshot().find(bridge);
                if (b == null) {
                    return MoveResult.notFound("Bridge not found");
                }
                bridgeId = b.id();
            }
            if (c.view().participant(endpointId) == null) {
                return MoveResult.notFound("Endpoint not found");
            }
            boolean moved = c.moveEndpoint(endpointId, bridgeId, "admin move");
            return moved ? MoveResult.moved(1, 1) : new MoveResult(true, 0, 0,
                    "endpoint not placed" + (bridgeId != null ? " on that bridge" : "") + " or cannot be moved");
        });
    }

    /**
     * Moves {@code n} endpoints off a bridge, largest conference first (optionally only in one conference). A
     * conference that cannot spread to another bridge moves as a whole, so more than {@code n} may move.
     */
    CompletableFuture<MoveResult> moveEndpoints(String bridge, String roomJid, int n, String reason) {
        if (n < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("numEndpoints must be >= 0"));
        }
        return ctx.loop().submit(() -> {
            BridgeState b = ctx.bridges().snapshot().find(bridge);
            if (b == null) {
                return MoveResult.notFound("Bridge not found");
            }
            if (roomJid != null && !conferences.containsKey(roomJid.toLowerCase())) {
                return MoveResult.notFound("Conference not found");
            }
            return moveOff(b, roomJid, n, reason);
        });
    }

    /** Moves {@code round(fraction × endpoints on the bridge)} endpoints off it. */
    CompletableFuture<MoveResult> moveFraction(String bridge, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("fraction must be in [0, 1]"));
        }
        return ctx.loop().submit(() -> {
            BridgeState b = ctx.bridges().snapshot().find(bridge);
            if (b == null) {
                return MoveResult.notFound("Bridge not found");
            }
            int total = conferences.values().stream().mapToInt(c -> c.placedOn(b.id())).sum();
            return moveOff(b, null, (int) Math.round(fraction * total), "admin move");
        });
    }

    private MoveResult moveOff(BridgeState b, String roomJid, int n, String reason) {
        List<Conference> candidates = new ArrayList<>();
        for (Conference c : conferences.values()) {
            if ((roomJid == null || c.roomJid().equals(roomJid.toLowerCase())) && c.placedOn(b.id()) > 0) {
                candidates.add(c);
            }
        }
        candidates.sort(Conference.largestOn(b.id()));
        int remaining = n;
        int moved = 0;
        int confs = 0;
        for (Conference c : candidates) {
            if (remaining <= 0) {
                break;
            }
            int k = c.moveFrom(b.id(), Math.min(remaining, c.placedOn(b.id())), reason, true);
            if (k > 0) {
                moved += k;
                remaining -= k;
                confs++;
            }
        }
        if (moved > 0) {
            log.info("Moved {} endpoint(s) of {} conference(s) off {} ({}): {}", moved, confs, b.nick(), b.id(), reason);
        }
        return MoveResult.moved(moved, confs);
    }

    /**
     * Drains a bridge from the focus side (no new participants). With a rate, also moves its endpoints off
     * gradually: {@code endpointsPerStep} every {@code interval} until none are left or the drain is lifted.
     */
    CompletableFuture<MoveResult> drain(String bridge, boolean drained, int endpointsPerStep, Duration interval) {
        return ctx.loop().submit(() -> {
            BridgeState b = ctx.bridges().snapshot().find(bridge);
            if (b == null || !ctx.bridges().setDrainedByFocus(b.id(), drained)) {
                return MoveResult.notFound("Bridge not found");
            }
            EventLoop.Cancellable old = drainTasks.remove(b.id());
            if (old != null) {
                old.cancel();
            }
            log.info("Bridge {} ({}) {} by the focus{}", b.nick(), b.id(), drained ? "drained" : "undrained",
                    drained && endpointsPerStep > 0 ? ", moving " + endpointsPerStep + " endpoint(s) off every "
                            + interval : "");
            if (drained && endpointsPerStep > 0 && interval != null && !interval.isZero()) {
                drainStep(b.id(), endpointsPerStep, interval, true);
            }
            return MoveResult.moved(0, 0);
        });
    }

    /**
     * @param first the step run by {@link #drain} itself: the registry applies the drain flag on its own thread, so
     *     the snapshot may not show it yet (later steps see it, and stop once it is lifted)
     */
    private void drainStep(String bridgeId, int n, Duration interval, boolean first) {
        BridgeState b = ctx.bridges().snapshot().get(bridgeId);
        if (b == null || (!first && !b.drainedByFocus())) {
            drainTasks.remove(bridgeId);
            return;
        }
        int left = conferences.values().stream().mapToInt(c -> c.placedOn(bridgeId)).sum();
        if (left == 0) {
            log.info("Bridge {} drained: no endpoints of this focus left on it", b.nick());
            drainTasks.remove(bridgeId);
            return;
        }
        moveOff(b, null, n, "drain");
        drainTasks.put(bridgeId, ctx.loop().schedule(() -> drainStep(bridgeId, n, interval, false), interval));
    }

    /** True while a gradual drain of the bridge is moving endpoints off it. */
    boolean drainInProgress(String bridgeId) {
        return drainTasks.containsKey(bridgeId);
    }
}
