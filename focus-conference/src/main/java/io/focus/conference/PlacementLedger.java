package io.focus.conference;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * This focus's own count of the endpoints it placed on each bridge, kept on the conference control loop (the only
 * thread that may touch it), so that a burst of placements sees its own effect before the registry does.
 *
 * <p>Why: conferences report placements to the registry through {@link BridgeFeedback}, and the registry applies
 * them on its own thread. Every selection in a burst (say, a mass move off a crashed bridge) would otherwise run on
 * the same stale snapshot, with no endpoint counts and no ramp-up correction for the placements just made, and
 * every moved conference would pile onto the same "least stressed" bridge. Jicofo does not have this problem
 * because its endpoint count is updated synchronously before the next selection.
 *
 * <p>{@link #snapshotFor} returns the snapshot to select on: for each bridge,
 * {@code pending = max(0, min(ledgerEndpoints - snapshotEndpoints, addsWithinTheWindow))} endpoints the registry's
 * snapshot does not show yet are added to its endpoint count and to its recently-added endpoints (so corrected
 * stress carries their ramp-up). The recency bound ({@code focus.conference.pending-placement-window}) keeps a
 * counting mismatch with the registry from inflating a bridge for longer than that window.
 */
final class PlacementLedger {
    private final Clock clock;
    private final Duration window;
    private final Map<String, Entry> entries = new HashMap<>();
    private long version;

    private BridgeSnapshot cachedBase;
    private BridgeSnapshot cachedResult;
    private long cachedVersion = -1;
    private Instant cachedValidUntil = Instant.MIN;

    PlacementLedger(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    /** This focus placed an endpoint on the bridge. */
    void endpointAdded(String bridgeId) {
        Entry e = entries.computeIfAbsent(bridgeId, k -> new Entry());
        e.endpoints++;
        e.recentAdds.addLast(clock.instant());
        version++;
    }

    /** This focus removed an endpoint from the bridge (never below zero, like the registry's count). */
    void endpointRemoved(String bridgeId) {
        Entry e = entries.get(bridgeId);
        if (e != null && e.endpoints > 0) {
            e.endpoints--;
            version++;
        }
    }

    /** The bridge left the registry: its count starts again from zero if it comes back. */
    void forget(String bridgeId) {
        if (entries.remove(bridgeId) != null) {
            version++;
        }
    }

    /**
     * Endpoints placed on the bridge that a snapshot showing {@code snapshotEndpoints} does not include yet, bounded
     * by the adds within the window; never negative.
     */
    int pending(String bridgeId, int snapshotEndpoints) {
        Entry e = entries.get(bridgeId);
        if (e == null) {
            return 0;
        }
        int recent = e.recent(clock.instant().minus(window));
        return Math.max(0, Math.min(e.endpoints - snapshotEndpoints, recent));
    }

    /**
     * The snapshot to select on: {@code base} itself when nothing is pending, else a copy (same sequence and time)
     * whose bridges carry the pending endpoints. The copy is cached until {@code base}, the ledger or the window
     * changes it.
     */
    BridgeSnapshot snapshotFor(BridgeSnapshot base) {
        Instant now = clock.instant();
        if (base == cachedBase && version == cachedVersion && !now.isAfter(cachedValidUntil)) {
            return cachedResult;
        }
        Instant cutoff = now.minus(window);
        Instant validUntil = Instant.MAX;
        Map<String, Integer> pending = new HashMap<>();
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> me = it.next();
            Entry e = me.getValue();
            int recent = e.recent(cutoff);
            if (recent == 0 && e.endpoints == 0) {
                it.remove();  // nothing to remember
                continue;
            }
            if (recent > 0) {
                Instant expires = e.recentAdds.peekFirst().plus(window);
                if (expires.isBefore(validUntil)) {
                    validUntil = expires;
                }
            }
            BridgeState b = base.get(me.getKey());
            if (b != null) {
                int p = Math.max(0, Math.min(e.endpoints - b.endpoints(), recent));
                if (p > 0) {
                    pending.put(b.id(), p);
                }
            }
        }
        BridgeSnapshot result = base;
        if (!pending.isEmpty()) {
            List<BridgeState> bridges = new ArrayList<>(base.size());
            for (BridgeState b : base.bridges()) {
                Integer p = pending.get(b.id());
                bridges.add(p == null ? b : b.toBuilder().endpoints(b.endpoints() + p)
                        .recentlyAddedEndpoints(b.recentlyAddedEndpoints() + p).build());
            }
            result = new BridgeSnapshot(base.sequence(), base.takenAt(), bridges);
        }
        cachedBase = base;
        cachedVersion = version;
        cachedValidUntil = validUntil;
        cachedResult = result;
        return result;
    }

    /** Wraps the registry's feedback so every endpoint added or removed also updates this ledger. */
    BridgeFeedback wrap(BridgeFeedback registry) {
        return new BridgeFeedback() {
            @Override public void endpointAdded(String id) {
                PlacementLedger.this.endpointAdded(id);
                registry.endpointAdded(id);
            }
            @Override public void endpointRemoved(String id) {
                PlacementLedger.this.endpointRemoved(id);
                registry.endpointRemoved(id);
            }
            @Override public void conferenceAdded(String id) { registry.conferenceAdded(id); }
            @Override public void conferenceRemoved(String id) { registry.conferenceRemoved(id); }
            @Override public void bridgeFailed(String id, String reason) { registry.bridgeFailed(id, reason); }
            @Override public void gracefulShutdown(String id) { registry.gracefulShutdown(id); }
            @Override public void bridgeRestarted(String id) { registry.bridgeRestarted(id); }
            @Override public void participantTrouble(String id, String participant) {
                registry.participantTrouble(id, participant);
            }
        };
    }

    private static final class Entry {
        int endpoints;
        final Deque<Instant> recentAdds = new ArrayDeque<>();

        /** Adds at or after {@code cutoff}; older ones are dropped. */
        int recent(Instant cutoff) {
            while (!recentAdds.isEmpty() && recentAdds.peekFirst().isBefore(cutoff)) {
                recentAdds.removeFirst();
            }
            return recentAdds.size();
        }
    }
}
