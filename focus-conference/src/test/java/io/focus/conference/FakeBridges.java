package io.focus.conference;

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
import java.util.function.UnaryOperator;

/** A hand-written registry: tests set bridge states and fire events. */
final class FakeBridges implements Bridges {
    static final String BREWERY = "jvbbrewery@internal.auth.meet.test/";
    private final Map<String, BridgeState> bridges = new LinkedHashMap<>();
    private final List<BridgeEventListener> listeners = new CopyOnWriteArrayList<>();
    private long seq;

    static String id(String nick) { return BREWERY + nick; }

    /** Adds the bridge as given and fires ADDED. */
    void addExact(BridgeState b) {
        synchronized (this) {
            bridges.put(b.id(), b);
        }
        fire(BridgeEvent.Type.ADDED, b.id(), "joined");
    }

    BridgeState add(String nick, double stress, String region) {
        BridgeState b = BridgeState.builder(id(nick)).region(region).relayId(nick).reportedStress(stress)
                .version("2.3").build();
        addExact(b);
        return b;
    }

    synchronized BridgeState byNick(String nick) {
        return snapshot().find(nick);
    }

    synchronized void update(String nick, UnaryOperator<BridgeState.Builder> f) {
        BridgeState b = byNick(nick);
        bridges.put(b.id(), f.apply(b.toBuilder()).build());
    }

    void remove(String nick) {
        BridgeState b;
        synchronized (this) {
            b = bridges.remove(byNick(nick).id());
        }
        for (BridgeEventListener l : listeners) {
            l.onBridgeEvent(new BridgeEvent(BridgeEvent.Type.REMOVED, b, "left the brewery"));
        }
    }

    void fail(String nick) {
        update(nick, b -> b.health(BridgeState.Health.FAILED));
        fire(BridgeEvent.Type.FAILED, byNick(nick).id(), "health check: internal-server-error");
    }

    void fire(BridgeEvent.Type type, String id, String reason) {
        BridgeState b;
        synchronized (this) {
            b = bridges.get(id);
        }
        for (BridgeEventListener l : listeners) {
            l.onBridgeEvent(new BridgeEvent(type, b, reason));
        }
    }

    @Override public synchronized BridgeSnapshot snapshot() {
        return new BridgeSnapshot(++seq, Instant.EPOCH, new ArrayList<>(bridges.values()));
    }

    @Override public void addListener(BridgeEventListener l) { listeners.add(l); }
    @Override public void removeListener(BridgeEventListener l) { listeners.remove(l); }

    @Override public synchronized boolean setDrainedByFocus(String idOrNick, boolean drained) {
        BridgeState b = snapshot().find(idOrNick);
        if (b == null) {
            return false;
        }
        if (lagDrainFlag) {
            // as the real registry: accepted now, visible in the snapshot only when its thread gets to it
            laggedDrains.put(b.id(), drained);
            return true;
        }
        bridges.put(b.id(), b.toBuilder().drainedByFocus(drained).build());
        return true;
    }

    private boolean lagDrainFlag;
    private final java.util.Map<String, Boolean> laggedDrains = new java.util.LinkedHashMap<>();

    /** Drain flags set from now on show up in the snapshot only after {@link #applyLaggedDrains()}. */
    synchronized void lagDrainFlag(boolean lag) { lagDrainFlag = lag; }

    synchronized void applyLaggedDrains() {
        laggedDrains.forEach((id, d) -> bridges.put(id, bridges.get(id).toBuilder().drainedByFocus(d).build()));
        laggedDrains.clear();
    }
}
