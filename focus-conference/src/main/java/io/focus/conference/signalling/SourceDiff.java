package io.focus.conference.signalling;

import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.jingle.ConferenceSources;
import io.focus.core.jingle.EndpointSources;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changes between what a participant was told and what it should know now: the sources (by SSRC) and groups
 * to add and to remove, per owner.
 */
record SourceDiff(ConferenceSources added, ConferenceSources removed) {

    static SourceDiff between(ConferenceSources told, ConferenceSources now) {
        Set<String> owners = new LinkedHashSet<>(told.owners());
        owners.addAll(now.owners());
        ConferenceSources added = ConferenceSources.EMPTY;
        ConferenceSources removed = ConferenceSources.EMPTY;
        for (String owner : owners) {
            EndpointSources before = told.get(owner);
            EndpointSources after = now.get(owner);
            added = added.with(owner, missingFrom(after, before));
            removed = removed.with(owner, missingFrom(before, after));
        }
        return new SourceDiff(added, removed);
    }

    /** What {@code a} has that {@code b} has not. */
    private static EndpointSources missingFrom(EndpointSources a, EndpointSources b) {
        Set<Long> bSsrcs = b.ssrcs();
        return new EndpointSources(notIn(a.audio(), bSsrcs), notIn(a.video(), bSsrcs),
                notIn(a.audioGroups(), b.audioGroups()), notIn(a.videoGroups(), b.videoGroups()));
    }

    private static List<Source> notIn(List<Source> sources, Set<Long> ssrcs) {
        return sources.stream().filter(s -> !ssrcs.contains(s.ssrc())).toList();
    }

    private static List<SsrcGroup> notIn(List<SsrcGroup> groups, List<SsrcGroup> others) {
        Set<SsrcGroup> o = new HashSet<>(others);
        return groups.stream().filter(g -> !o.contains(g)).toList();
    }

    boolean isEmpty() { return added.isEmpty() && removed.isEmpty(); }
}
