package io.focus.sim.participant;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The sources and SSRC groups of one owner (an endpoint id, or {@code jvb} for the bridge's own sources). */
public record EndpointSources(List<MediaSource> sources, List<SsrcGroup> groups) {
    public static final EndpointSources EMPTY = new EndpointSources(List.of(), List.of());

    public EndpointSources {
        sources = List.copyOf(sources);
        groups = List.copyOf(groups);
    }

    public Set<Long> ssrcs() {
        return sources.stream().map(MediaSource::ssrc).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public boolean isEmpty() { return sources.isEmpty() && groups.isEmpty(); }

    /** The union, keeping the first of duplicate SSRCs and groups. */
    public EndpointSources plus(EndpointSources o) {
        Set<Long> have = ssrcs();
        List<MediaSource> s = new java.util.ArrayList<>(sources);
        for (MediaSource m : o.sources) {
            if (have.add(m.ssrc())) {
                s.add(m);
            }
        }
        List<SsrcGroup> g = new java.util.ArrayList<>(groups);
        for (SsrcGroup x : o.groups) {
            if (!g.contains(x)) {
                g.add(x);
            }
        }
        return new EndpointSources(s, g);
    }

    /** Without the SSRCs of {@code o}, and without any group listed in {@code o} or touching a removed SSRC. */
    public EndpointSources minus(EndpointSources o) {
        Set<Long> gone = o.ssrcs();
        List<MediaSource> s = sources.stream().filter(m -> !gone.contains(m.ssrc())).toList();
        List<SsrcGroup> g = groups.stream()
                .filter(x -> !o.groups.contains(x) && x.ssrcs().stream().noneMatch(gone::contains)).toList();
        return new EndpointSources(s, g);
    }
}
