package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.SelectionRequest;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The bridges a strategy may pick from, as the selector hands them over: a {@link List} in snapshot order for any
 * strategy, and, for the built-in ones, the same set in two parts that cost nothing to build per decision.
 *
 * <ul>
 *   <li><b>Outsiders</b> — bridges the conference does not use: a precomputed array of snapshot positions
 *   ({@link #outsiders()}, shared by every decision on the same snapshot) minus a few positions to skip
 *   ({@link #skip()}: the conference's own bridges and the excluded ones, sorted, ended by
 *   {@link Integer#MAX_VALUE}). Their flaws are the index's ({@link SnapshotIndex#flaws()}).</li>
 *   <li><b>Members</b> — the conference's bridges that are candidates, with how the conference uses them and their
 *   flaws for this conference.</li>
 * </ul>
 *
 * <p>The {@code List} view is built on first use only (the built-in strategies never use it), so a decision made
 * by a built-in strategy allocates nothing in proportion to the number of bridges.
 */
public final class Candidates extends AbstractList<BridgeState> implements RandomAccess {
    static final int[] NO_SKIP = {Integer.MAX_VALUE};
    private static final int WITHIN_MASK = SnapshotIndex.OVERLOADED | SnapshotIndex.CAPS;

    private final SnapshotIndex index;
    private final SelectionRequest request;
    private final int[] outsiders;
    private final int[] skip;
    private final int[] memberPos;
    private final ConferenceBridgeProperties[] memberProps;
    private final int[] memberFlaws;
    private final boolean[] memberMaxed;
    private final int members;
    private final int size;
    private final SnapshotIndex.Pool pool;
    private final int mask;
    private SnapshotIndex.Bests bests;
    private BridgeState[] list;
    private int outsidersWithin = -1;

    /** Kinds of "best outsider" ({@link #best(int, int)}): by least corrected stress among those within the limits. */
    public static final int WITHIN = 0;
    /** ... among those not overloaded (the bridge's own stress only). */
    public static final int NOT_OVERLOADED = 1;
    /** ... among all outsiders. */
    public static final int ANY = 2;
    /** By fewest conferences, then least stress, among those within the limits. */
    public static final int FEWEST_WITHIN = 3;
    /** ... among all outsiders. */
    public static final int FEWEST_ANY = 4;

    /**
     * @param pool, mask where the outsiders come from ({@code pool.level(mask)}), so the precomputed bests of that
     *     level are used; null for an ad-hoc list (the bests are then worked out from {@code outsiders} on first use)
     */
    Candidates(SnapshotIndex index, SnapshotIndex.Pool pool, int mask, SelectionRequest request, int[] outsiders,
               int[] skip, int skipCount, int[] memberPos, ConferenceBridgeProperties[] memberProps, int[] memberFlaws,
               boolean[] memberMaxed, int members) {
        this.index = index;
        this.pool = pool;
        this.mask = mask;
        this.request = request;
        this.outsiders = outsiders;
        this.skip = skip;
        this.memberPos = memberPos;
        this.memberProps = memberProps;
        this.memberFlaws = memberFlaws;
        this.memberMaxed = memberMaxed;
        this.members = members;
        this.size = outsiders.length - skipCount + members;
    }

    /** With the number of outsiders within the limits already known. */
    Candidates withOutsidersWithin(int n) {
        outsidersWithin = n;
        return this;
    }

    /**
     * The candidates as the built-in strategies read them: {@code candidates} itself when the selector made it for
     * this request, else worked out from the plain list (a strategy called directly, e.g. by a test or another
     * strategy), with overload and caps from {@code limits}.
     */
    public static Candidates of(List<BridgeState> candidates, SelectionRequest request, ConferenceLimits limits) {
        if (candidates instanceof Candidates c && c.request == request) {
            return c;
        }
        SnapshotIndex ix = SnapshotIndex.adHoc(candidates, request, limits);
        Map<String, ConferenceBridgeProperties> conf = request.conferenceBridges();
        int n = candidates.size();
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (!conf.isEmpty() && conf.containsKey(candidates.get(j).id())) {
                m++;
            }
        }
        int[] outsiders = new int[n - m];
        int[] pos = new int[m];
        ConferenceBridgeProperties[] props = new ConferenceBridgeProperties[m];
        int[] flaws = new int[m];
        boolean[] maxed = new boolean[m];
        for (int j = 0, o = 0, k = 0; j < n; j++) {
            BridgeState b = candidates.get(j);
            ConferenceBridgeProperties p = conf.isEmpty() ? null : conf.get(b.id());
            if (p == null) {
                outsiders[o++] = j;
                continue;
            }
            int f = ix.flaws()[j] & ~WITHIN_MASK;
            boolean over = limits.bridgeOverloaded(b);
            if (over) f |= SnapshotIndex.OVERLOADED;
            if (!over && limits.overloadedFor(b, request)) f |= SnapshotIndex.CAPS;
            pos[k] = j;
            props[k] = p;
            flaws[k] = f;
            maxed[k] = limits.maxed(b, request);
            k++;
        }
        return new Candidates(ix, null, -1, request, outsiders, NO_SKIP, 0, pos, props, flaws, maxed, m);
    }

    public SnapshotIndex index() { return index; }
    public SelectionRequest request() { return request; }
    /** Positions of candidate bridges the conference does not use, plus those in {@link #skip()}; snapshot order. */
    public int[] outsiders() { return outsiders; }
    /** Positions in {@link #outsiders()} that are not candidates as outsiders; sorted, ends with MAX_VALUE. */
    public int[] skip() { return skip; }
    /** The conference's bridges among the candidates. */
    public int members() { return members; }
    public int memberPosition(int m) { return memberPos[m]; }
    public ConferenceBridgeProperties memberProperties(int m) { return memberProps[m]; }
    /** The member is within this conference's limits (not overloaded, no cap reached). */
    public boolean memberWithin(int m) { return (memberFlaws[m] & WITHIN_MASK) == 0; }
    public boolean memberOverloaded(int m) { return (memberFlaws[m] & SnapshotIndex.OVERLOADED) != 0; }
    /** The conference reached {@code max-bridge-participants} on the member. */
    public boolean memberMaxed(int m) { return memberMaxed[m]; }
    /** An outsider (by flaws from {@link SnapshotIndex#flaws()}) is within the limits. */
    public static boolean within(int flaws) { return (flaws & WITHIN_MASK) == 0; }
    public static boolean overloaded(int flaws) { return (flaws & SnapshotIndex.OVERLOADED) != 0; }

    /**
     * {@code (s, j)} beats the best so far {@code (bestS, bestJ)} (bestJ &lt; 0: none yet): lower stress, ties to the
     * earlier snapshot position, so the result does not depend on visiting outsiders and members apart.
     */
    public static boolean better(double s, int j, double bestS, int bestJ) {
        return bestJ < 0 || s < bestS || (s == bestS && j < bestJ);
    }

    /**
     * {@link #better} for outsiders visited in snapshot order (a later one never wins a tie): one comparison in the
     * common case.
     */
    public static boolean lower(double s, double bestS, int bestJ) {
        return s < bestS || bestJ < 0;
    }

    /** {@code flaws} (an outsider's, from the index) allow it into the pool of this kind. */
    static boolean qualifies(int kind, int flaws) {
        return switch (kind) {
            case WITHIN, FEWEST_WITHIN -> within(flaws);
            case NOT_OVERLOADED -> !overloaded(flaws);
            default -> true;
        };
    }

    /** Position {@code j} beats {@code cur} (-1: none yet) in the order of this kind; ties to the earlier position. */
    static boolean beats(SnapshotIndex ix, int kind, int j, int cur) {
        if (cur < 0) {
            return true;
        }
        if (kind >= FEWEST_WITHIN) {
            int a = ix.conferences()[j], b = ix.conferences()[cur];
            if (a != b) {
                return a < b;
            }
        }
        double s = ix.stress()[j], t = ix.stress()[cur];
        if (s != t) {
            return s < t;
        }
        return j < cur;
    }

    private SnapshotIndex.Bests bests() {
        SnapshotIndex.Bests b = bests;
        if (b == null) {
            b = pool != null ? pool.bests(mask) : new SnapshotIndex.Bests(index, outsiders);
            bests = b;
        }
        return b;
    }

    /** Position {@code j} is in {@link #skip()} (the request's excluded bridges and the conference's own). */
    private boolean skipped(int j) {
        for (int i = 0; skip[i] <= j; i++) {
            if (skip[i] == j) {
                return true;
            }
        }
        return false;
    }

    /**
     * The best outsider of this kind ({@link #WITHIN}...) in a region (a code from {@link SnapshotIndex#regionCode},
     * or {@link SnapshotIndex#NO_REGION} for bridges without a region), or -1. Precomputed per snapshot and
     * relaxation level; only when this request skips that bridge are the region's outsiders scanned.
     */
    public int best(int kind, int regionCode) {
        SnapshotIndex.Bests b = bests();
        int bucket = b.bucketOf(regionCode);
        return bucket < 0 ? -1 : bestIn(b, kind, bucket);
    }

    /** The best outsider of this kind anywhere, or -1; like {@link #best(int, int)}. */
    public int best(int kind) {
        SnapshotIndex.Bests b = bests();
        int j = b.global[kind];
        if (j < 0 || skip[0] == Integer.MAX_VALUE || !skipped(j)) {
            return j;
        }
        int best = -1;
        for (int bucket = 0; bucket < b.byBucket.length; bucket++) {
            int c = bestIn(b, kind, bucket);
            if (c >= 0 && beats(index, kind, c, best)) {
                best = c;
            }
        }
        return best;
    }

    private int bestIn(SnapshotIndex.Bests b, int kind, int bucket) {
        int j = b.best[kind][bucket];
        if (j < 0 || skip[0] == Integer.MAX_VALUE || !skipped(j)) {
            return j;
        }
        int[] flaws = index.flaws();
        int best = -1;
        int sp = 0, next = skip[0];
        for (int p : b.byBucket[bucket]) {
            while (next < p) {
                next = skip[++sp];
            }
            if (p != next && qualifies(kind, flaws[p]) && beats(index, kind, p, best)) {
                best = p;
            }
        }
        return best;
    }

    /**
     * The {@code k}-th (0-based, snapshot order) outsider, of those within the limits when {@code withinLimits};
     * costs the number of skipped bridges, not of candidates.
     */
    public int nth(boolean withinLimits, int k) {
        int[] l = withinLimits ? bests().within : outsiders;
        int[] flaws = index.flaws();
        int idx = k;
        for (int sp = 0; idx < l.length && skip[sp] <= l[idx]; sp++) {
            if (!withinLimits || within(flaws[skip[sp]])) {
                idx++;
            }
        }
        if (idx >= l.length) {
            throw new IllegalStateException("pool smaller than counted");
        }
        return l[idx];
    }

    /** How many outsiders are within the limits (without scanning when the selector knows it). */
    public int outsidersWithin() {
        int w = outsidersWithin;
        if (w < 0) {
            int[] flaws = index.flaws();
            w = 0;
            for (int t = 0, sp = 0, next = skip[0], n = outsiders.length; t < n; t++) {
                int j = outsiders[t];
                if (j == next) {
                    next = skip[++sp];
                    continue;
                }
                if (within(flaws[j])) {
                    w++;
                }
            }
            outsidersWithin = w;
        }
        return w;
    }

    @Override public int size() { return size; }

    @Override public BridgeState get(int i) {
        BridgeState[] l = list;
        if (l == null) {
            l = materialize();
            list = l;
        }
        return l[i];
    }

    private BridgeState[] materialize() {
        BridgeState[] out = new BridgeState[size];
        int k = 0, sp = 0, next = skip[0], m = 0;
        for (int j : outsiders) {
            if (j == next) {
                next = skip[++sp];
                continue;
            }
            while (m < members && memberPos[m] < j) {
                out[k++] = index.bridge(memberPos[m++]);
            }
            out[k++] = index.bridge(j);
        }
        while (m < members) {
            out[k++] = index.bridge(memberPos[m++]);
        }
        return out;
    }
}
