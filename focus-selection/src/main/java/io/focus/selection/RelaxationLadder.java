package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Reason;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * The relaxation order as rungs to climb: the bridges that passed the never-relaxed filters, each with its
 * {@link Flaw flaws}. A rung is a flaw mask present among them and holds the bridges whose mask is at most that
 * (as numbers, see {@link Flaw}). The first rung is the smallest mask present (no flaw at all when a flawless bridge
 * exists: then nothing is relaxed); each next rung adds the bridges of the next mask present. So an overloaded
 * bridge comes in before a capped one, a capped one before an overloaded-and-capped one, anything before a
 * draining one, and a suspect one last of all. A non-operational bridge is on no rung (never relaxed).
 *
 * <p>It is laid over the snapshot's own list: one byte per bridge (up to seven flaws fit), so a decision copies no
 * bridge until it lists a rung's candidates, and none at all when every bridge of the snapshot is on the rung.
 */
final class RelaxationLadder {
    /** Marks a bridge a never-relaxed filter removed: it is on no rung. */
    private static final byte LEFT_OUT = -1;

    static {
        if (Flaw.values().length > 7) { // a mask of eight flaws would not fit a byte beside LEFT_OUT
            throw new IllegalStateException("RelaxationLadder keeps a flaw mask in a byte: at most seven flaws");
        }
    }

    private final List<BridgeState> bridges;
    /** Per position in {@link #bridges}: the bridge's flaw mask, or {@link #LEFT_OUT}. */
    private final byte[] flaws;
    private int onLadder;
    /** The smallest flaw mask on the ladder: the lowest rung. */
    private int lowest = Integer.MAX_VALUE;

    /**
     * @param bridges the snapshot's bridges; say for each position whether it is {@link #add added} or
     *     {@link #leaveOut left out}
     */
    RelaxationLadder(List<BridgeState> bridges) {
        this.bridges = bridges;
        this.flaws = new byte[bridges.size()];
    }

    /** Puts the bridge at {@code position} on the ladder with its flaws. */
    void add(int position, int flawMask) {
        flaws[position] = (byte) flawMask;
        onLadder++;
        lowest = Math.min(lowest, flawMask);
    }

    /** The bridge at {@code position} is on no rung (a never-relaxed filter removed it). */
    void leaveOut(int position) {
        flaws[position] = LEFT_OUT;
    }

    boolean isEmpty() { return onLadder == 0; }

    /** The lowest rung. */
    int first() {
        return lowest;
    }

    /** Some bridge needs more relaxing than {@code rung} allows. */
    boolean hasRungAbove(int rung) {
        return above(rung) >= 0;
    }

    /** The next rung up: the smallest flaw mask above {@code rung}, or -1 when there is none. */
    int above(int rung) {
        int next = -1;
        for (byte f : flaws) {
            if (f > rung && (next < 0 || f < next)) {
                next = f;
            }
        }
        return next;
    }

    /** The candidates on {@code rung}, in snapshot order (an unmodifiable list). */
    List<BridgeState> candidates(int rung) {
        int n = 0;
        for (byte f : flaws) {
            if (onRung(f, rung)) {
                n++;
            }
        }
        if (n == bridges.size()) {
            return bridges; // every bridge of the snapshot: its own (immutable) list
        }
        BridgeState[] out = new BridgeState[n];
        n = 0;
        for (int i = 0; i < flaws.length; i++) {
            if (onRung(flaws[i], rung)) {
                out[n++] = bridges.get(i);
            }
        }
        return new Rung(out);
    }

    /**
     * Counts in the reason the bridges left out when the candidates are those of {@code rung}: each once, under
     * the first filter (in filter order) among the flaws that rung does not allow.
     */
    void countLeftOut(int rung, Reason.Builder reason) {
        for (byte f : flaws) {
            if (f > rung) {
                reason.removed(Flaw.firstFilter(f & ~rung), 1);
            }
        }
    }

    private static boolean onRung(byte flaws, int rung) {
        return flaws != LEFT_OUT && flaws <= rung;
    }

    /**
     * A rung's candidates: an unmodifiable list over the array the ladder filled. Not {@code List.of} (a second copy
     * of every candidate) nor {@code Collections.unmodifiableList}: its iterator delegates through a call that every
     * unmodifiable collection in the process shares, and once that call has seen several kinds of collection each
     * step costs several times a plain array's (SelectionBench: about 5 µs of a decision at 1,000 bridges).
     */
    private static final class Rung extends AbstractList<BridgeState> implements RandomAccess {
        private final BridgeState[] bridges;

        Rung(BridgeState[] bridges) {
            this.bridges = bridges;
        }

        @Override public BridgeState get(int index) { return bridges[index]; }

        @Override public int size() { return bridges.length; }

        /** The array's own iterator (no {@code remove}). */
        @Override public Iterator<BridgeState> iterator() { return Arrays.asList(bridges).iterator(); }
    }
}
