package io.focus.core.selection;

import java.util.EnumMap;
import java.util.Map;

/**
 * Why a selection came out the way it did, kept as cheap data: the rule that picked, how many bridges each filter
 * removed, and which relaxations were needed. It becomes text only when someone reads it ({@link #toString()}).
 */
public final class Reason {
    /**
     * The filters in front of every strategy, in the order they run ({@link #NO_RELAY}, added later, is listed last
     * but runs right after {@link #VERSION}). {@link #EXCLUDED}, {@link #NOT_OPERATIONAL}, {@link #SHUTTING_DOWN},
     * {@link #VERSION} and {@link #NO_RELAY} are never relaxed; the others are, in {@link Relaxation} order.
     */
    public enum Filter {
        EXCLUDED, NOT_OPERATIONAL, SHUTTING_DOWN, VERSION, OVERLOADED, CAPS, DRAINING, GRACEFUL,
        /** A bridge the conference does not use yet that has no relay id, so a spreading conference cannot use it. */
        NO_RELAY,
        /** A suspect bridge (something sent to it went unanswered): relaxed last. */
        SUSPECT,
        /** A bridge failing ICE (too many of its participants failed ICE lately): relaxed just before suspect. */
        FAILING_ICE
    }

    /**
     * What was relaxed because nothing else was left (see docs/design.md, "Selection: what may be relaxed"). A
     * non-operational bridge is never relaxed: it gets no new participant, even when it is the only bridge left.
     */
    public enum Relaxation { OVERLOADED, CAPS, DRAINING, SUSPECT, FAILING_ICE }

    private final String rule;
    private final int candidates;
    private final int[] removed;
    private final int relaxedMask;
    private final boolean overCap;

    private Reason(String rule, int candidates, int[] removed, int relaxedMask, boolean overCap) {
        this.rule = rule;
        this.candidates = candidates;
        this.removed = removed;
        this.relaxedMask = relaxedMask;
        this.overCap = overCap;
    }

    public static Reason of(String rule) {
        return new Reason(rule, 0, new int[Filter.values().length], 0, false);
    }

    /** Mutable builder used by the selector on the hot path; no allocation beyond the counters array. */
    public static final class Builder {
        private final int[] removed = new int[Filter.values().length];
        private int candidates;
        private int relaxedMask;
        private boolean overCap;

        public Builder removed(Filter f, int count) { removed[f.ordinal()] += count; return this; }
        public Builder candidates(int n) { candidates = n; return this; }
        public Builder relaxed(Relaxation r) { relaxedMask |= 1 << r.ordinal(); return this; }
        public Builder overCap(boolean v) { overCap = v; return this; }
        public Reason build(String rule) { return new Reason(rule, candidates, removed.clone(), relaxedMask, overCap); }
    }

    public static Builder builder() { return new Builder(); }

    /** The rule (strategy tier) that picked, e.g. {@code "region: not loaded, in conference, in region"}. */
    public String rule() { return rule; }
    /** Bridges left for the strategy after the filters. */
    public int candidates() { return candidates; }
    public int removed(Filter f) { return removed[f.ordinal()]; }
    public boolean relaxed(Relaxation r) { return (relaxedMask & (1 << r.ordinal())) != 0; }
    public boolean anyRelaxed() { return relaxedMask != 0; }
    /** The pick keeps a conference that cannot spread on a bridge past a cap. */
    public boolean overCap() { return overCap; }

    public Map<Filter, Integer> removedCounts() {
        Map<Filter, Integer> m = new EnumMap<>(Filter.class);
        for (Filter f : Filter.values()) {
            if (removed[f.ordinal()] > 0) {
                m.put(f, removed[f.ordinal()]);
            }
        }
        return m;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(rule);
        sb.append(" (candidates=").append(candidates);
        for (Filter f : Filter.values()) {
            if (removed[f.ordinal()] > 0) {
                sb.append(", ").append(f.name().toLowerCase().replace('_', '-')).append(" removed ").append(removed[f.ordinal()]);
            }
        }
        for (Relaxation r : Relaxation.values()) {
            if (relaxed(r)) {
                sb.append(", relaxed ").append(r.name().toLowerCase().replace('_', '-'));
            }
        }
        if (overCap) {
            sb.append(", over cap");
        }
        return sb.append(')').toString();
    }
}
