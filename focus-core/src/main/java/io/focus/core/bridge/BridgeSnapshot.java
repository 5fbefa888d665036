package io.focus.core.bridge;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All bridges the focus knows, as one immutable value. The registry publishes a new snapshot after every change;
 * readers hold on to one and never see it change under them.
 */
public final class BridgeSnapshot {
    private static final BridgeSnapshot EMPTY = new BridgeSnapshot(0, Instant.EPOCH, List.of());

    private final long sequence;
    private final Instant takenAt;
    private final List<BridgeState> bridges;
    private final Map<String, BridgeState> byId;

    public BridgeSnapshot(long sequence, Instant takenAt, List<BridgeState> bridges) {
        this.sequence = sequence;
        this.takenAt = takenAt;
        this.bridges = List.copyOf(bridges);
        Map<String, BridgeState> m = new LinkedHashMap<>();
        for (BridgeState b : this.bridges) {
            m.put(b.id(), b);
        }
        this.byId = Collections.unmodifiableMap(m);
    }

    public static BridgeSnapshot empty() { return EMPTY; }

    /** Increases by one with every published snapshot. */
    public long sequence() { return sequence; }
    public Instant takenAt() { return takenAt; }
    /** In the order bridges were added. */
    public List<BridgeState> bridges() { return bridges; }
    public BridgeState get(String id) { return byId.get(id); }
    public boolean contains(String id) { return byId.containsKey(id); }
    public int size() { return bridges.size(); }

    /** Finds a bridge by full id or by nick (as operators type it in the REST API). */
    public BridgeState find(String idOrNick) {
        BridgeState b = byId.get(idOrNick);
        if (b != null) {
            return b;
        }
        for (BridgeState s : bridges) {
            if (s.nick().equals(idOrNick)) {
                return s;
            }
        }
        return null;
    }

    public long operationalCount() {
        return bridges.stream().filter(BridgeState::operational).count();
    }
}
