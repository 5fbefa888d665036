package io.focus.health.registry;

import io.focus.core.bridge.SuspectSignal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * One bridge's suspicion state inside the {@link BridgeRegistry} (its control thread only): the flag and what raised
 * it, the participants that reported trouble on the bridge recently, and the gaps between its last stats.
 */
final class Suspicion {
    /** How many recent gaps between two stats make up the interval a bridge has shown (the longest of them). */
    static final int GAPS = 3;
    /** Gaps shorter than this (a presence sent right after another, e.g. on a change) do not count as an interval. */
    static final Duration MIN_GAP = Duration.ofMillis(500);

    private record Trouble(String participant, Instant at) {}

    private boolean suspect;
    private SuspectSignal signal;
    private String reason;
    private Instant since;
    private final Deque<Trouble> troubles = new ArrayDeque<>();
    private final Deque<Duration> gaps = new ArrayDeque<>();
    private Instant lastStats;

    boolean suspect() { return suspect; }
    SuspectSignal signal() { return signal; }
    String reason() { return reason; }
    Instant since() { return since; }

    /** Raises the flag; true when the bridge was not suspect before. */
    boolean raise(SuspectSignal s, String why, Instant now) {
        if (suspect) {
            return false;
        }
        suspect = true;
        signal = s;
        reason = why;
        since = now;
        return true;
    }

    /** Lowers the flag (the bridge answered); true when it was suspect. */
    boolean clear() {
        if (!suspect) {
            return false;
        }
        suspect = false;
        signal = null;
        reason = null;
        since = null;
        troubles.clear();
        return true;
    }

    /**
     * A participant on the bridge reported ICE failure or asked for a restart.
     *
     * @return how many distinct participants did so within the window (this one included)
     */
    int trouble(String participant, Instant now, Duration window) {
        troubles.addLast(new Trouble(participant, now));
        Instant cutoff = now.minus(window);
        while (!troubles.isEmpty() && troubles.peekFirst().at().isBefore(cutoff)) {
            troubles.removeFirst();
        }
        Set<String> distinct = new HashSet<>();
        for (Trouble t : troubles) {
            distinct.add(t.participant());
        }
        return distinct.size();
    }

    /** Stats arrived: remembers the gap since the previous ones. */
    void statsArrived(Instant now) {
        if (lastStats != null) {
            Duration gap = Duration.between(lastStats, now);
            if (gap.compareTo(MIN_GAP) >= 0) {
                gaps.addLast(gap);
                while (gaps.size() > GAPS) {
                    gaps.removeFirst();
                }
            }
        }
        lastStats = now;
    }

    /** The longest of the last {@value #GAPS} gaps between two stats, or null before two stats arrived. */
    Duration shownInterval() {
        Duration max = null;
        for (Duration g : gaps) {
            if (max == null || g.compareTo(max) > 0) {
                max = g;
            }
        }
        return max;
    }
}
