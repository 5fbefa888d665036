package io.focus.selection;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.SelectionRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What selection needs to know about every bridge of one {@link BridgeSnapshot}, worked out once per published
 * snapshot (the selector keeps the index of the snapshot it last saw, by identity) instead of once per decision:
 * each bridge's flaws as a bridge the conference does not use yet (failed, overloaded, at an absolute cap, graceful,
 * draining: the bits of {@link FilteringBridgeSelector}'s relaxation order), its corrected stress, region and version
 * as small codes, and, per required version and "needs a relay id", the {@link Pool} of bridges that pass the
 * never-relaxed filters, counted by flaws, with the candidates of each relaxation level in snapshot order and, per
 * level, their {@link Bests}: the least-stressed bridge (within the limits, not overloaded, any) and the one with
 * the fewest conferences, overall and per region, and the list of those within the limits. "Within the limits"
 * here is as a bridge the conference does not use sees them (bridge overload, absolute caps), which does not depend
 * on the request.
 *
 * <p>A decision then only looks at the few bridges its request names (the conference's bridges and the excluded
 * ones) and at the precomputed bests of one level, scanning a region's bridges only when its best is one the
 * request skips ({@link Candidates#best}). Immutable apart from lazily built pools and levels, which are
 * published through atomic arrays (two threads may build the same one; both results are equal).
 *
 * <p>Positions are indices into the snapshot's bridge list. Hot-path API for the built-in strategies (through
 * {@link Candidates}); the arrays returned are shared and must not be changed.
 */
public final class SnapshotIndex {
    public static final int FAILED = 1, OVERLOADED = 2, CAPS = 4, GRACEFUL = 8, DRAINING = 16, FAILING_ICE = 32,
            SUSPECT = 64;
    /** Flaw masks are 0..127; a pool's categories above that say why a bridge is not a candidate at all. */
    static final int LEVELS = 128;
    static final int SHUT = 128, WRONG_VERSION = 129, NO_RELAY = 130;
    /** Region code of a bridge without a region; {@link #regionCode} of an unknown or null region. */
    public static final int NO_REGION = -1, UNKNOWN_REGION = -2;
    static final int ANY_VERSION = -1, UNKNOWN_VERSION = -2, NO_VERSION = -3;

    private final BridgeSnapshot snapshot;
    private final BridgeState[] bridges;
    private final double[] stress;
    private final int[] region;
    private final int[] conferences;
    private final int[] flaws;
    private final boolean[] shuttingDown;
    private final boolean[] relay;
    private final int[] version;
    private final String[] regionNames;
    private final Map<String, Integer> regionCodes;
    private final Map<String, Integer> versionCodes;
    private final Map<String, Integer> positions;
    private final int[] liveByRegion;
    private final AtomicReferenceArray<Pool> pools;

    private SnapshotIndex(BridgeSnapshot snapshot, List<BridgeState> list, List<BridgeState> live, FlawFunction f) {
        this.snapshot = snapshot;
        int n = list.size();
        bridges = list.toArray(new BridgeState[0]);
        stress = new double[n];
        region = new int[n];
        conferences = new int[n];
        flaws = new int[n];
        shuttingDown = new boolean[n];
        relay = new boolean[n];
        version = new int[n];
        regionCodes = new HashMap<>();
        versionCodes = new HashMap<>();
        positions = new HashMap<>(n * 2);
        for (int j = 0; j < n; j++) {
            BridgeState b = bridges[j];
            positions.putIfAbsent(b.id(), j);
            stress[j] = b.correctedStress();
            region[j] = code(regionCodes, b.region(), NO_REGION);
            conferences[j] = b.conferences();
            flaws[j] = f.flaws(b);
            shuttingDown[j] = b.shuttingDown();
            relay[j] = b.relayId() != null;
            version[j] = code(versionCodes, b.version(), NO_VERSION);
        }
        for (BridgeState b : live) {
            code(regionCodes, b.region(), NO_REGION);
        }
        regionNames = new String[regionCodes.size()];
        regionCodes.forEach((name, c) -> regionNames[c] = name);
        liveByRegion = new int[regionNames.length];
        for (BridgeState b : live) {
            if (b.region() != null && b.operational() && !b.shuttingDown()) {
                liveByRegion[regionCodes.get(b.region())]++;
            }
        }
        pools = new AtomicReferenceArray<>((versionCodes.size() + 2) * 2);
    }

    private interface FlawFunction {
        int flaws(BridgeState b);
    }

    private static int code(Map<String, Integer> codes, String s, int ifNull) {
        if (s == null) {
            return ifNull;
        }
        Integer c = codes.get(s);
        if (c == null) {
            c = codes.size();
            codes.put(s, c);
        }
        return c;
    }

    /** The index of a published snapshot under the selector's limits. */
    public static SnapshotIndex of(BridgeSnapshot snapshot, SelectionLimits limits) {
        return new SnapshotIndex(snapshot, snapshot.bridges(), snapshot.bridges(), b -> flaws(b, null, limits));
    }

    /**
     * An index over a strategy's candidate list when a strategy is called directly (not through the selector):
     * positions are list positions; overload and caps come from the given limits as seen by a bridge the
     * conference does not use; regions with live bridges are counted over the request's snapshot.
     */
    static SnapshotIndex adHoc(List<BridgeState> list, SelectionRequest request, ConferenceLimits limits) {
        return new SnapshotIndex(null, list, request.snapshot().bridges(), b -> {
            int f = 0;
            if (!b.operational()) f |= FAILED;
            boolean over = limits.bridgeOverloaded(b);
            if (over) f |= OVERLOADED;
            if (!over && limits.overloadedFor(b, request)) f |= CAPS;
            if (b.gracefulShutdown()) f |= GRACEFUL;
            if (b.draining()) f |= DRAINING;
            if (b.failingIce()) f |= FAILING_ICE;
            if (b.suspect()) f |= SUSPECT;
            return f;
        });
    }

    /** A bridge's flaws for a conference that uses it as {@code inConference} (null: does not use it). */
    static int flaws(BridgeState b, io.focus.core.selection.ConferenceBridgeProperties inConference,
                     SelectionLimits limits) {
        int f = 0;
        if (!b.operational()) f |= FAILED;
        if (limits.bridgeOverloaded(b)) f |= OVERLOADED;
        if (limits.capReached(b, inConference)) f |= CAPS;
        if (b.gracefulShutdown()) f |= GRACEFUL;
        if (b.draining()) f |= DRAINING;
        if (b.failingIce()) f |= FAILING_ICE;
        if (b.suspect()) f |= SUSPECT;
        return f;
    }

    /** The snapshot this index describes (null for an ad-hoc index). */
    public BridgeSnapshot snapshot() { return snapshot; }
    public int size() { return bridges.length; }
    public BridgeState bridge(int position) { return bridges[position]; }
    /** Position of the bridge with this id, or -1. */
    public int position(String id) {
        Integer p = positions.get(id);
        return p == null ? -1 : p;
    }
    /** Corrected stress by position. */
    public double[] stress() { return stress; }
    /** Region codes by position ({@link #NO_REGION} for a bridge without one). */
    public int[] regions() { return region; }
    /** Conferences of this focus on each bridge, by position. */
    public int[] conferences() { return conferences; }
    /** Flaws (bits {@link #FAILED}...) of each bridge for a conference that does not use it, by position. */
    public int[] flaws() { return flaws; }
    public int regionCount() { return regionNames.length; }
    public String regionName(int code) { return regionNames[code]; }

    /** The code of a region name; {@link #UNKNOWN_REGION} for null or a region no bridge reports. */
    public int regionCode(String name) {
        if (name == null) {
            return UNKNOWN_REGION;
        }
        Integer c = regionCodes.get(name);
        return c == null ? UNKNOWN_REGION : c;
    }

    /**
     * Some bridge of the request's snapshot in one of these regions is operational, not shutting down and not
     * excluded from the request.
     */
    public boolean anyLiveIn(Set<String> regions, SelectionRequest request) {
        if (regions.isEmpty()) {
            return false;
        }
        int live = 0;
        for (int c = 0; c < regionNames.length; c++) {
            if (liveByRegion[c] > 0 && regions.contains(regionNames[c])) {
                live += liveByRegion[c];
            }
        }
        if (live == 0 || request.exclusions().isEmpty()) {
            return live > 0;
        }
        for (String id : request.exclusions().bridgeIds()) {
            BridgeState b = request.snapshot().get(id);
            if (b != null && b.region() != null && b.operational() && !b.shuttingDown() && regions.contains(b.region())) {
                live--;
            }
        }
        return live > 0;
    }

    int versionCode(String v) {
        if (v == null) {
            return ANY_VERSION;
        }
        Integer c = versionCodes.get(v);
        return c == null ? UNKNOWN_VERSION : c;
    }

    boolean shuttingDown(int position) { return shuttingDown[position]; }

    /**
     * The bridges that pass the never-relaxed filters a request puts on bridges it does not use: not shutting down,
     * the required version (null: any), a relay id when {@code needRelay}.
     */
    Pool pool(String requiredVersion, boolean needRelay) {
        int v = versionCode(requiredVersion);
        int slot = (v + 2) * 2 + (needRelay ? 1 : 0);
        Pool p = pools.get(slot);
        if (p == null) {
            p = new Pool(v, needRelay);
            pools.compareAndSet(slot, null, p);
            p = pools.get(slot);
        }
        return p;
    }

    /** See {@link #pool}. */
    final class Pool {
        /** Per position: the flaw mask (0..127), or {@link #SHUT}, {@link #WRONG_VERSION}, {@link #NO_RELAY}. */
        final int[] category;
        /** Bridges per flaw mask. */
        final int[] byFlaws = new int[LEVELS];
        final int shut, wrongVersion, noRelay;
        private final AtomicReferenceArray<int[]> levels = new AtomicReferenceArray<>(LEVELS);
        private final AtomicReferenceArray<Bests> bests = new AtomicReferenceArray<>(LEVELS);
        /** Per flaw mask: how many bridges with that mask are within the limits (neither overloaded nor capped). */
        final int[] withinByFlaws = new int[LEVELS];

        private Pool(int requiredVersion, boolean needRelay) {
            int n = bridges.length;
            category = new int[n];
            int s = 0, w = 0, r = 0;
            for (int j = 0; j < n; j++) {
                int c;
                if (shuttingDown[j]) {
                    c = SHUT;
                    s++;
                } else if (requiredVersion != ANY_VERSION && version[j] != requiredVersion) {
                    c = WRONG_VERSION;
                    w++;
                } else if (needRelay && !relay[j]) {
                    c = NO_RELAY;
                    r++;
                } else {
                    c = flaws[j];
                    byFlaws[c]++;
                }
                category[j] = c;
            }
            for (int f = 0; f < LEVELS; f++) {
                withinByFlaws[f] = (f & (OVERLOADED | CAPS)) == 0 ? byFlaws[f] : 0;
            }
            shut = s;
            wrongVersion = w;
            noRelay = r;
        }

        /** How many of {@link #level}'s bridges are within the limits. */
        int withinUpTo(int mask) {
            int n = 0;
            for (int f = 0; f <= mask; f++) {
                n += withinByFlaws[f];
            }
            return n;
        }

        /** Positions, in snapshot order, of the bridges whose flaw mask is at most {@code mask}. */
        int[] level(int mask) {
            int[] l = levels.get(mask);
            if (l == null) {
                int count = 0;
                for (int f = 0; f <= mask; f++) {
                    count += byFlaws[f];
                }
                l = new int[count];
                for (int j = 0, k = 0; k < count; j++) {
                    if (category[j] <= mask) {
                        l[k++] = j;
                    }
                }
                levels.compareAndSet(mask, null, l);
                l = levels.get(mask);
            }
            return l;
        }

        /** The precomputed bests of {@link #level}({@code mask}), built on first use. */
        Bests bests(int mask) {
            Bests b = bests.get(mask);
            if (b == null) {
                b = new Bests(SnapshotIndex.this, level(mask));
                bests.compareAndSet(mask, null, b);
                b = bests.get(mask);
            }
            return b;
        }

        SnapshotIndex index() { return SnapshotIndex.this; }
    }

    /**
     * For one list of candidate positions (a relaxation level of a pool, or an ad-hoc strategy's outsiders): the
     * best bridge of each kind ({@link Candidates#WITHIN}...) overall and per region, by the kind's order (least
     * corrected stress; or fewest conferences, then least stress), ties to the earlier position; the positions of
     * each region (for the rare scan when a precomputed best is skipped by a request) and of the bridges within the
     * limits (for "the k-th eligible bridge" without a scan). One pass to build; nothing here depends on a request.
     */
    static final class Bests {
        static final int KINDS = 5;
        /** [kind][bucket]: best position or -1; bucket = region code, or {@link #noRegionBucket} for no region. */
        final int[][] best;
        /** [kind]: best position anywhere, or -1. */
        final int[] global = new int[KINDS];
        /** [bucket]: the level's positions in that bucket, snapshot order. */
        final int[][] byBucket;
        /** Positions within the limits, snapshot order. */
        final int[] within;
        final int noRegionBucket;

        Bests(SnapshotIndex ix, int[] level) {
            int buckets = ix.regionNames.length + 1;
            noRegionBucket = buckets - 1;
            best = new int[KINDS][buckets];
            for (int[] b : best) java.util.Arrays.fill(b, -1);
            java.util.Arrays.fill(global, -1);
            int[] counts = new int[buckets];
            int w = 0;
            for (int j : level) {
                counts[bucket(ix, j)]++;
                if (Candidates.within(ix.flaws[j])) w++;
            }
            byBucket = new int[buckets][];
            for (int b = 0; b < buckets; b++) byBucket[b] = new int[counts[b]];
            within = new int[w];
            java.util.Arrays.fill(counts, 0);
            w = 0;
            for (int j : level) {
                int b = bucket(ix, j);
                byBucket[b][counts[b]++] = j;
                int f = ix.flaws[j];
                if (Candidates.within(f)) within[w++] = j;
                for (int k = 0; k < KINDS; k++) {
                    if (Candidates.qualifies(k, f)) {
                        if (Candidates.beats(ix, k, j, best[k][b])) best[k][b] = j;
                        if (Candidates.beats(ix, k, j, global[k])) global[k] = j;
                    }
                }
            }
        }

        /** The bucket of a region code ({@link #NO_REGION} → {@link #noRegionBucket}); -1 for an unknown region. */
        int bucketOf(int regionCode) {
            return regionCode >= 0 ? regionCode : regionCode == NO_REGION ? noRegionBucket : -1;
        }

        private static int bucket(SnapshotIndex ix, int j) {
            int r = ix.region[j];
            return r >= 0 ? r : ix.regionNames.length;
        }
    }
}
