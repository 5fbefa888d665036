package io.focus.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jicofo's conference_sizes buckets: left-closed intervals, the last one closed; p99 only from 100 conferences. */
class ConferenceSizeBucketsTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> buckets(Map<String, Object> m) {
        return (Map<String, Object>) m.get("buckets");
    }

    @Test
    void sizesGoIntoJicofosBuckets() {
        Map<String, Object> m = ConferenceSizeBuckets.of(List.of(0, 1, 2, 3, 4, 5, 9, 10, 499, 500, 10_000));
        Map<String, Object> b = buckets(m);
        assertEquals(List.of("0_to_1", "1_to_2", "2_to_3", "3_to_5", "5_to_10", "10_to_20", "20_to_50", "50_to_100",
                "100_to_200", "200_to_300", "300_to_400", "400_to_500", "500_to_max", "p99_upper_bound",
                "p999_upper_bound"), new ArrayList<>(b.keySet()));
        assertEquals(1L, b.get("0_to_1"));
        assertEquals(1L, b.get("1_to_2"));
        assertEquals(1L, b.get("2_to_3"));
        assertEquals(2L, b.get("3_to_5"));
        assertEquals(2L, b.get("5_to_10"));
        assertEquals(1L, b.get("10_to_20"));
        assertEquals(1L, b.get("400_to_500"));
        assertEquals(2L, b.get("500_to_max"), "500 and anything above");
        assertEquals(11L, m.get("total_count"));
        assertEquals(10_000L, m.get("max"));
        assertEquals(0L, m.get("min"));
        assertEquals(-1L, b.get("p99_upper_bound"));
    }

    @Test
    void percentileBoundsNeedEnoughConferences() {
        List<Integer> sizes = new ArrayList<>(Collections.nCopies(99, 2));
        sizes.add(30);
        Map<String, Object> b = buckets(ConferenceSizeBuckets.of(sizes));
        assertEquals(50L, b.get("p99_upper_bound"), "99 of 100 in [2,3) is not more than 99 %: reached at [20,50)");
        sizes.add(2);
        assertEquals(3L, buckets(ConferenceSizeBuckets.of(sizes)).get("p99_upper_bound"), "100 of 101 in [2,3)");
        assertEquals(-1L, buckets(ConferenceSizeBuckets.of(sizes)).get("p999_upper_bound"), "fewer than 1000");
    }

    @Test
    void noConferencesIsAllZeroesAndValidJson() {
        Map<String, Object> m = ConferenceSizeBuckets.of(List.of());
        assertEquals(0.0, m.get("average"));
        assertEquals(0L, m.get("min"));
        assertEquals(0L, m.get("total_count"));
    }
}
