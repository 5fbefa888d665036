package io.focus.core.selection;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Bridges that must never be picked for one placement: the bridge a participant is being moved off (and any bridge
 * that already failed it during this move). Never relaxed, even in panic.
 */
public final class ExclusionSet {
    private static final ExclusionSet NONE = new ExclusionSet(Set.of());
    /**
     * What {@link #excludes} asks, a {@link HashSet} of its own type (no nulls, as {@link Set#copyOf}): the selector
     * asks about every bridge of the snapshot, and a miss here is one hash and one empty bucket, where
     * {@code Set.copyOf}'s probing set divides and usually compares a whole id; asked through the unmodifiable view,
     * the call would go through a wrapper shared with every other unmodifiable set in the process.
     */
    private final HashSet<String> ids;
    private final Set<String> bridgeIds;

    private ExclusionSet(Set<String> bridgeIds) {
        this.ids = new HashSet<>(Set.copyOf(bridgeIds));
        this.bridgeIds = Collections.unmodifiableSet(ids);
    }

    public static ExclusionSet none() { return NONE; }

    public static ExclusionSet of(String... bridgeIds) { return new ExclusionSet(Set.of(bridgeIds)); }

    public static ExclusionSet of(Set<String> bridgeIds) {
        return bridgeIds.isEmpty() ? NONE : new ExclusionSet(bridgeIds);
    }

    public ExclusionSet plus(String bridgeId) {
        HashSet<String> s = new HashSet<>(bridgeIds);
        s.add(bridgeId);
        return new ExclusionSet(s);
    }

    /** Most placements exclude nothing: then this is one field read, not a call into the set per bridge. */
    public boolean excludes(String bridgeId) { return !ids.isEmpty() && ids.contains(bridgeId); }
    public Set<String> bridgeIds() { return bridgeIds; }
    public boolean isEmpty() { return bridgeIds.isEmpty(); }

    @Override public String toString() { return bridgeIds.toString(); }
}
