package io.focus.health.registry;

import java.time.Duration;

/**
 * Counts events over a sliding window with a ring of time buckets (Jicofo uses 100 ms buckets for the ramp-up
 * window). Not thread-safe: owned by the registry's control thread. Time is passed in (millis of the injected clock).
 */
final class RateWindow {
    private final long bucketMillis;
    private final long[] counts;
    private final long[] bucketIndex;

    RateWindow(Duration window, int buckets) {
        long w = Math.max(1, window.toMillis());
        this.bucketMillis = Math.max(1, (w + buckets - 1) / buckets);
        int n = (int) ((w + bucketMillis - 1) / bucketMillis);
        this.counts = new long[n];
        this.bucketIndex = new long[n];
        java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }

    void add(long nowMillis, int n) {
        long idx = Math.floorDiv(nowMillis, bucketMillis);
        int slot = (int) Math.floorMod(idx, (long) counts.length);
        if (bucketIndex[slot] != idx) {
            bucketIndex[slot] = idx;
            counts[slot] = 0;
        }
        counts[slot] += n;
    }

    /** Events in the buckets that overlap (now - window, now]. */
    int count(long nowMillis) {
        long idx = Math.floorDiv(nowMillis, bucketMillis);
        long oldest = idx - counts.length + 1;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (bucketIndex[i] >= oldest && bucketIndex[i] <= idx) {
                sum += counts[i];
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }
}
