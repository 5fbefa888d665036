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
 * The moves asked for over REST (Jicofo's /move-endpoints semantics, with the source bridge excluded) and the
 * focus-side drain of a bridge, across the conferences of a {@link ConferenceManager}: largest conference first.
 * Each conference runs its row of the failover table ({@link FailoverTrigger#ADMIN_MOVE_ENDPOINT},
 * {@link FailoverTrigger#ADMIN_MOVE}, {@link FailoverTrigger#LOAD_REDISTRIBUTION}, {@link FailoverTrigger#FOCUS_DRAIN}). The public methods of the manager call
 * in from any thread; the work runs on the loop.
 */
final class BridgeMoves {
    private static final Logger log = LoggerFactory.getLogger(BridgeMoves.class);

    private final ConferenceContext ctx;
    private final Map<String, Conference> conferences;
    private final Map<String, EventLoop.Cancellable> drainTasks = new ConcurrentHashMap<>();

    BridgeMoves(ConferenceContext ctx, Map<String, Conference> conferences) {
        this.ctx = ctx;
        this.conferences = conferences;
    }

    /** See {@link ConferenceManager#moveEndpoint}. */
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
     * See {@link ConferenceManager#moveEndpoints}; {@code trigger} is {@link FailoverTrigger#ADMIN_MOVE} or
     * {@link FailoverTrigger#LOAD_REDISTRIBUTION}.
     */
    CompletableFuture<MoveResult> moveEndpoints(String bridge, String roomJid, int n, FailoverTrigger trigger,
                                                String reason) {
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
            return moveOff(b, roomJid, n, trigger, reason);
        });
    }

    /** See {@link ConferenceManager#moveFraction}. */
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
            return moveOff(b, null, (int) Math.round(fraction * total), FailoverTrigger.ADMIN_MOVE, "admin move");
        });
    }

    private MoveResult moveOff(BridgeState b, String roomJid, int n, FailoverTrigger trigger, String reason) {
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
            int k = c.moveFrom(trigger, b.id(), Math.min(remaining, c.placedOn(b.id())), reason);
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

    /** See {@link ConferenceManager#drain}. */
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
        moveOff(b, null, n, FailoverTrigger.FOCUS_DRAIN, "drain");
        drainTasks.put(bridgeId, ctx.loop().schedule(() -> drainStep(bridgeId, n, interval, false), interval));
    }

    /** True while a gradual drain of the bridge is moving endpoints off it. */
    boolean drainInProgress(String bridgeId) {
        return drainTasks.containsKey(bridgeId);
    }

    /** The bridge left: its drain (if any) stops. Loop only. */
    void bridgeRemoved(String bridgeId) {
        EventLoop.Cancellable t = drainTasks.remove(bridgeId);
        if (t != null) {
            t.cancel();
        }
    }

    /** The manager closes. Loop only. */
    void cancelAll() {
        drainTasks.values().forEach(EventLoop.Cancellable::cancel);
        drainTasks.clear();
    }
}
