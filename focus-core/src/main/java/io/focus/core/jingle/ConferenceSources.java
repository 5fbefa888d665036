package io.focus.core.jingle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sources of a conference (or the part of it one message carries), by owner: the endpoint id of a participant,
 * or {@code "jvb"} for the bridge's feedback sources. Insertion order is kept (it is the signalling order).
 * Immutable; the "with" methods return new instances.
 */
public final class ConferenceSources {
    public static final String BRIDGE_OWNER = "jvb";
    public static final ConferenceSources EMPTY = new ConferenceSources(Map.of());

    private final Map<String, EndpointSources> byOwner;

    private ConferenceSources(Map<String, EndpointSources> byOwner) {
        this.byOwner = Collections.unmodifiableMap(new LinkedHashMap<>(byOwner));
    }

    public static ConferenceSources of(String owner, EndpointSources sources) {
        return EMPTY.with(owner, sources);
    }

    /** Ordered copy; empty endpoint sets are left out. */
    public static ConferenceSources of(Map<String, EndpointSources> byOwner) {
        ConferenceSources out = EMPTY;
        for (Map.Entry<String, EndpointSources> e : byOwner.entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    public Map<String, EndpointSources> byOwner() { return byOwner; }
    public Set<String> owners() { return byOwner.keySet(); }

    /** The owner's sources, {@link EndpointSources#EMPTY} if none. */
    public EndpointSources get(String owner) {
        return byOwner.getOrDefault(owner, EndpointSources.EMPTY);
    }

    public boolean isEmpty() { return byOwner.isEmpty(); }

    /** With the owner's sources replaced (removed when {@code sources} is empty). */
    public ConferenceSources with(String owner, EndpointSources sources) {
        Map<String, EndpointSources> m = new LinkedHashMap<>(byOwner);
        if (sources == null || sources.isEmpty()) {
            m.remove(owner);
        } else {
            m.put(owner, sources);
        }
        return new ConferenceSources(m);
    }

    public ConferenceSources without(String owner) {
        return with(owner, null);
    }

    /** Every owner's sources after {@link EndpointSources#stripSimulcast()}. */
    public ConferenceSources stripSimulcast() {
        Map<String, EndpointSources> m = new LinkedHashMap<>();
        byOwner.forEach((k, v) -> m.put(k, v.stripSimulcast()));
        return of(m);
    }

    public int ssrcCount() {
        return byOwner.values().stream().mapToInt(EndpointSources::ssrcCount).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConferenceSources c && byOwner.equals(c.byOwner);
    }

    @Override
    public int hashCode() { return byOwner.hashCode(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConferenceSources{");
        byOwner.forEach((k, v) -> sb.append(k).append(": ").append(v.ssrcCount()).append(" ssrcs, ")
                .append(v.groupCount()).append(" groups; "));
        return sb.append('}').toString();
    }
}
