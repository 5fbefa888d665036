package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The relaxation order as rungs to climb: the bridges that passed the never-relaxed filters, each with its
 * {@link Flaw flaws}. A rung is a flaw mask present among them and holds the bridges whose mask is at most that
 * (as numbers, see {@link Flaw}). The first rung is the smallest mask present (no flaw at all when a flawless bridge
 * exists: then nothing is relaxed); each next rung adds the bridges of the next mask present. So a failed bridge
 * comes in before an overloaded one, an overloaded one before a failed-and-overloaded one, anything before a
 * draining one, and a suspect one last of all.
 */
final class RelaxationLadder {
    private final List<BridgeState> bridges;
    private final int[] flaws;
    /** Bit m is set when some bridge has flaw mask m (six flaws: every mask is below 64). */
    private long present;

    /** @param capacity how many bridges may be added at most */
    RelaxationLadder(int capacity) {
        this.bridges = new ArrayList<>(capacity);
        this.flaws = new int[capacity];
    }

    /** Adds a bridge with its flaws; add them in snapshot order, the rungs keep the order of adding. */
    void add(BridgeState bridge, int flawMask) {
        flaws[bridges.size()] = flawMask;
        bridges.add(bridge);
        present |= 1L << flawMask;
    }

    boolean isEmpty() { return bridges.isEmpty(); }

    /** The lowest rung. */
    int first() {
        return Long.numberOfTrailingZeros(present);
    }

    /** Some bridge needs more relaxing than {@code rung} allows. */
    boolean hasRungAbove(int rung) {
        return rung < 63 && (present >>> (rung + 1)) != 0;
    }

    /** The next rung up; only when {@link #hasRungAbove}. */
    int above(int rung) {
        return rung + 1 + Long.numberOfTrailingZeros(present >>> (rung + 1));
    }

    /** The candidates on {@code rung}, in snapshot order. */
    List<BridgeState> candidates(int rung) {
        List<BridgeState> out = new ArrayList<>(bridges.size());
        for (int i = 0; i < bridges.size(); i++) {
            if (flaws[i] <= rung) {
                out.add(bridges.get(i));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Counts in the reason the bridges left out when the candidates are those of {@code rung}: each once, under
     * the first filter (in filter order) among the flaws that rung does not allow.
     */
    void countLeftOut(int rung, Reason.Builder reason) {
        for (int i = 0; i < bridges.size(); i++) {
            if (flaws[i] > rung) {
                reason.removed(Flaw.firstFilter(flaws[i] & ~rung), 1);
            }
        }
    }
}
