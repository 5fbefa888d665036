package io.focus.core.selection;

import java.util.Set;

/**
 * Bridges that must never be picked for one placement: the bridge a participant is being moved off (and any bridge
 * that already failed it during this move). Never relaxed, even in panic.
 */
public final class ExclusionSet {
    private static final ExclusionSet NONE = new ExclusionSet(Set.of());
    private final Set<String> bridgeIds;

    private ExclusionSet(Set<String> bridgeIds) { this.bridgeIds = Set.copyOf(bridgeIds); }

    public static ExclusionSet none() { return NONE; }

    public static ExclusionSet of(String... bridgeIds) { return new ExclusionSet(Set.of(bridgeIds)); }

    public static ExclusionSet of(Set<String> bridgeIds) {
        return bridgeIds.isEmpty() ? NONE : new ExclusionSet(bridgeIds);
    }

    public ExclusionSet plus(String bridgeId) {
        java.util.HashSet<String> s = new java.util.HashSet<>(bridgeIds);
        s.add(bridgeId);
        return new ExclusionSet(s);
    }

    public boolean excludes(String bridgeId) { return bridgeIds.contains(bridgeId); }
    public Set<String> bridgeIds() { return bridgeIds; }
    public boolean isEmpty() { return bridgeIds.isEmpty(); }

    @Override public String toString() { return bridgeIds.toString(); }
}
