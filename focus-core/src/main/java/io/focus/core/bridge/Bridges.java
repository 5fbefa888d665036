package io.focus.core.bridge;

/**
 * What the rest of the focus needs from the bridge registry: the current snapshot, events, and the focus-side
 * drain switch. Implemented by the registry in this module.
 */
public interface Bridges {
    /** The latest published snapshot; never null. */
    BridgeSnapshot snapshot();

    /** Events are delivered on the registry's single event thread, in order. */
    void addListener(BridgeEventListener listener);

    void removeListener(BridgeEventListener listener);

    /**
     * Drains (or undrains) a bridge from the focus side: it gets no new participants, whatever it reports.
     *
     * @param idOrNick the bridge's full id or its nick
     * @return false when no such bridge is known
     */
    boolean setDrainedByFocus(String idOrNick, boolean drained);
}
