package io.focus.app.testing;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeEventListener;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A unit seam for the app's tests: a registry whose bridges the test sets directly; events are delivered inline. */
public final class InMemoryBridges implements Bridges {
    private final Map<String, BridgeState> bridges = new LinkedHashMap<>();
    private final List<BridgeEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile BridgeSnapshot snapshot = BridgeSnapshot.empty();
    private long seq;

    public synchronized void put(BridgeState b) {
        boolean added = !bridges.containsKey(b.id());
        bridges.put(b.id(), b);
        publish();
        if (added) {
            fire(new BridgeEvent(BridgeEvent.Type.ADDED, b, "test"));
        }
    }

    public synchronized void remove(String id, String reason) {
        BridgeState b = bridges.remove(id);
        publish();
        if (b != null) {
            fire(new BridgeEvent(BridgeEvent.Type.REMOVED, b, reason));
        }
    }

    private void publish() {
        snapshot = new BridgeSnapshot(++seq, Instant.EPOCH.plusSeconds(seq), new ArrayList<>(bridges.values()));
    }

    private void fire(BridgeEvent e) {
        listeners.forEach(l -> l.onBridgeEvent(e));
    }

    @Override public BridgeSnapshot snapshot() { return snapshot; }
    @Override public void addListener(BridgeEventListener l) { listeners.add(l); }
    @Override public void removeListener(BridgeEventListener l) { listeners.remove(l); }

    @Override
    public synchronized boolean setDrainedByFocus(String idOrNick, boolean drained) {
        BridgeState b = snapshot.find(idOrNick);
        if (b == null) {
            return false;
        }
        bridges.put(b.id(), b.toBuilder().drainedByFocus(drained).build());
        publish();
        return true;
    }
}
