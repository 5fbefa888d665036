package io.focus.app.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.focus.core.selection.Decision;
import io.focus.core.selection.Reason;
import io.focus.core.selection.SelectionRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last N selection decisions with their reasons, for {@code GET /debug/selections}. The conference code calls
 * {@link #record} after every selection; that is O(1) and keeps the {@link Reason} as data (text only on read).
 * Size: {@code focus.debug.selection-log-size} (read at start).
 */
@Singleton
public final class SelectionLog {
    /**
     * One decision.
     *
     * @param bridgeId null when no bridge was found
     */
    public record Entry(Instant at, String conference, String participantRegion, boolean visitor,
                        String bridgeId, String bridgeNick, Reason reason) {}

    private final Clock clock;
    private final Entry[] ring;
    private long next;

    @Inject
    public SelectionLog(Clock clock, Config config) {
        this(clock, config.getInt("focus.debug.selection-log-size"));  // default in focus-app's reference.conf
    }

    public SelectionLog(Clock clock, int size) {
        this.clock = clock;
        this.ring = new Entry[Math.max(1, size)];
    }

    public void record(SelectionRequest request, Decision decision) {
        Entry e = new Entry(clock.instant(), request.conferenceId(), request.participant().region(),
                request.participant().visitor(),
                decision.bridge() == null ? null : decision.bridge().id(),
                decision.bridge() == null ? null : decision.bridge().nick(), decision.reason());
        synchronized (this) {
            ring[(int) (next % ring.length)] = e;
            next++;
        }
    }

    /** Newest first, at most {@code limit}. */
    public synchronized List<Entry> recent(int limit) {
        int n = (int) Math.min(Math.min(next, ring.length), Math.max(0, limit));
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ring[(int) ((next - 1 - i) % ring.length)]);
        }
        return out;
    }

    public int capacity() { return ring.length; }
}
