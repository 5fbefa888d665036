package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link BridgeRegistry}'s readers see: after each task that changed something, a new immutable
 * {@link BridgeSnapshot} (a volatile read for everyone else), then the task's {@link BridgeEvent}s in order, each
 * carrying its bridge's state from that snapshot. Everything but {@link #snapshot()} and the listener list runs on the
 * registry's loop.
 */
final class SnapshotPublisher {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);

    private final RegistrySettings settings;
    private final List<BridgeEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile BridgeSnapshot snapshot = BridgeSnapshot.empty();
    private long sequence;
    // ---- registry loop only ----
    private final List<BridgeEvent> pending = new ArrayList<>();
    private boolean dirty;

    SnapshotPublisher(RegistrySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    BridgeSnapshot snapshot() { return snapshot; }

    void addListener(BridgeEventListener l) { listeners.add(Objects.requireNonNull(l)); }

    void removeListener(BridgeEventListener l) { listeners.remove(l); }

    /** The bridges' state changed: a new snapshot at the end of the task. */
    void changed() { dirty = true; }

    /** Queues an event; its state is taken from the snapshot published at the end of the task. */
    void event(BridgeEvent.Type type, BridgeEntry e, String reason) {
        pending.add(new BridgeEvent(type, BridgeState.builder(e.id).build(), reason));
    }

    /** Queues the event of a bridge that is gone, with its last state. */
    void removed(BridgeState last, String reason) {
        pending.add(new BridgeEvent(BridgeEvent.Type.REMOVED, last, reason));
    }

    /** At the end of each task: publishes a snapshot when something changed, then delivers the queued events. */
    void publishAndDeliver(Collection<BridgeEntry> entries, Instant now) {
        if (!dirty && pending.isEmpty()) {
            return;
        }
        BridgeSnapshot published = snapshot;
        if (dirty) {
            List<BridgeState> states = new ArrayList<>(entries.size());
            long nowMs = now.toEpochMilli();
            for (BridgeEntry e : entries) {
                BridgeState s = e.toState(now, settings);
                e.publishedRecent = e.rampup.count(nowMs);
                states.add(s);
            }
            published = new BridgeSnapshot(++sequence, now, states);
            snapshot = published;
            dirty = false;
        }
        if (pending.isEmpty()) {
            return;
        }
        List<BridgeEvent> events = new ArrayList<>(pending);
        pending.clear();
        for (BridgeEvent ev : events) {
            BridgeEvent out = ev;
            if (ev.type() != BridgeEvent.Type.REMOVED) {
                BridgeState current = published.get(ev.bridge().id());
                if (current != null) {
                    out = new BridgeEvent(ev.type(), current, ev.reason());
                }
            }
            for (BridgeEventListener l : listeners) {
                try {
                    l.onBridgeEvent(out);
                } catch (RuntimeException ex) {
                    log.error("Bridge event listener {} failed on {}", l, out.type(), ex);
                }
            }
        }
    }
}
