package io.focus.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small statistics the benches print. */
public final class Stats {
    private Stats() { }

    /** The nearest-rank {@code p}-th percentile (0 is the minimum, 100 the maximum), NaN for no values. */
    public static double pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
