package io.focus.app.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jicofo's {@code conference_sizes} in {@code /stats}: the conference sizes now, counted into the buckets
 * [0,1), [1,2), [2,3), [3,5), [5,10), [10,20), [20,50), [50,100), [100,200), [200,300), [300,400), [400,500),
 * [500,max], with the same keys ({@code "0_to_1"} ... {@code "500_to_max"}) and summary fields ({@code average, max,
 * min, total_value, total_count, discarded}, and in {@code buckets} {@code p99_upper_bound} / {@code p999_upper_bound}:
 * the upper bound of the bucket where 99 % / 99.9 % of the conferences are reached, -1 below 100 / 1000 conferences).
 * Two choices of ours: the average of no conferences is 0 (not NaN, which is not JSON), and {@code min} is the smallest
 * size (Jicofo's stays 0).
 */
public final class ConferenceSizeBuckets {
    static final long[] THRESHOLDS = {0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 300, 400, 500, Long.MAX_VALUE};

    private ConferenceSizeBuckets() {}

    public static Map<String, Object> of(List<Integer> sizes) {
        long[] counts = new long[THRESHOLDS.length - 1];
        long total = 0;
        long max = 0;
        long min = sizes.isEmpty() ? 0 : Long.MAX_VALUE;
        for (int n : sizes) {
            total += n;
            max = Math.max(max, n);
            min = Math.min(min, n);
            counts[bucket(n)]++;
        }
        Map<String, Object> buckets = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            String to = THRESHOLDS[i + 1] == Long.MAX_VALUE ? "max" : Long.toString(THRESHOLDS[i + 1]);
            buckets.put(THRESHOLDS[i] + "_to_" + to, counts[i]);
        }
        buckets.put("p99_upper_bound", upperBound(counts, sizes.size(), 0.99, 100));
        buckets.put("p999_upper_bound", upperBound(counts, sizes.size(), 0.999, 1000));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("average", sizes.isEmpty() ? 0.0 : (double) total / sizes.size());
        m.put("max", max);
        m.put("min", min);
        m.put("total_value", total);
        m.put("total_count", (long) sizes.size());
        m.put("discarded", 0L);
        m.put("buckets", buckets);
        return m;
    }

    /** The bucket of a size: intervals closed on the left, the last one closed on both sides. */
    static int bucket(long n) {
        for (int i = 0; i < THRESHOLDS.length - 2; i++) {
            if (n < THRESHOLDS[i + 1]) {
                return i;
            }
        }
        return THRESHOLDS.length - 2;
    }

    private static long upperBound(long[] counts, int total, double fraction, int minimum) {
        if (total < minimum) {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i];
            if (sum > fraction * total) {
                return THRESHOLDS[i + 1] == Long.MAX_VALUE ? -1 : THRESHOLDS[i + 1];
            }
        }
        return -1;
    }
}
