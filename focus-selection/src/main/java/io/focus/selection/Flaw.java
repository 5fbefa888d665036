package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Filter;
import io.focus.core.selection.Reason.Relaxation;

/**
 * What keeps a bridge from being picked until nothing without it is left, declared in the order the flaws are
 * relaxed (docs/design.md, "Selection: what may be relaxed, and in which order"). Being non-operational is no flaw:
 * it is never relaxed (a never-relaxed filter of {@link FilteringBridgeSelector}). A bridge's flaws are a bit mask,
 * {@code 1 << ordinal()} per flaw, so the later-relaxed flaws sit in the higher bits and comparing two masks as
 * numbers compares "how late in the order a bridge needs relaxing", then the next flaw down.
 */
enum Flaw {
    OVERLOADED(Filter.OVERLOADED, Relaxation.OVERLOADED),
    /** Per conference per bridge, join rate, absolute per-bridge caps. */
    CAPS(Filter.CAPS, Relaxation.CAPS),
    GRACEFUL(Filter.GRACEFUL, Relaxation.DRAINING),
    DRAINING(Filter.DRAINING, Relaxation.DRAINING),
    /** Too many of its endpoints asked for an ICE restart lately (Jicofo's ICE-failure detection). */
    FAILING_ICE(Filter.FAILING_ICE, Relaxation.FAILING_ICE),
    /** Something the focus sent the bridge went unanswered and it has answered nothing since. */
    SUSPECT(Filter.SUSPECT, Relaxation.SUSPECT);

    private static final Flaw[] ALL = values();
    /** {@link #firstFilter} of every mask, worked out once. */
    private static final Filter[] FIRST_FILTER = new Filter[1 << ALL.length];

    static {
        for (int mask = 1; mask < FIRST_FILTER.length; mask++) {
            for (Flaw f : ALL) {
                if (f.in(mask) && (FIRST_FILTER[mask] == null || f.filter.ordinal() < FIRST_FILTER[mask].ordinal())) {
                    FIRST_FILTER[mask] = f.filter;
                }
            }
        }
    }

    /** The filter under which a bridge left out for this flaw is counted. */
    final Filter filter;
    /** What the reason records when a pick has this flaw. */
    final Relaxation relaxation;

    Flaw(Filter filter, Relaxation relaxation) {
        this.filter = filter;
        this.relaxation = relaxation;
    }

    int bit() { return 1 << ordinal(); }

    boolean in(int flaws) { return (flaws & bit()) != 0; }

    /**
     * The flaws of a bridge for one conference.
     *
     * @param inConference how the conference uses the bridge, or null when it does not use it yet
     */
    static int of(BridgeState b, ConferenceBridgeProperties inConference, SelectionLimits limits) {
        int flaws = 0;
        if (limits.bridgeOverloaded(b)) flaws |= OVERLOADED.bit();
        if (limits.capReached(b, inConference)) flaws |= CAPS.bit();
        if (b.gracefulShutdown()) flaws |= GRACEFUL.bit();
        if (b.draining()) flaws |= DRAINING.bit();
        if (b.failingIce()) flaws |= FAILING_ICE.bit();
        if (b.suspect()) flaws |= SUSPECT.bit();
        return flaws;
    }

    /**
     * The filter a bridge is counted under when it was left out for {@code flaws} (not empty): the first of them
     * in {@link Filter} order, so each left-out bridge is counted once.
     */
    static Filter firstFilter(int flaws) {
        return FIRST_FILTER[flaws];
    }

    /** Records in the reason what the pick needed relaxed: one relaxation per flaw it has. */
    static void recordRelaxations(int flaws, Reason.Builder reason) {
        for (Flaw f : ALL) {
            if (f.in(flaws)) {
                reason.relaxed(f.relaxation);
            }
        }
    }

    /** Over a cap or the stress threshold: what {@link Reason#overCap()} flags for a conference that must stay. */
    static boolean pastALimit(int flaws) {
        return OVERLOADED.in(flaws) || CAPS.in(flaws);
    }
}
