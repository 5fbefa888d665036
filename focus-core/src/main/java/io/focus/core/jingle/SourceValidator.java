package io.focus.core.jingle;

import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the sources a participant signals (session-accept, source-add, source-remove) against the conference's
 * current sources and Jicofo's limits, and returns the conference's new sources. Every refusal is a
 * {@link JingleRequestException} with {@code bad-request} and a message naming the problem; the input is never
 * partly applied. Stateless and thread-safe.
 */
public final class SourceValidator {
    private final int maxSsrcs;
    private final int maxGroups;

    public SourceValidator(JingleSettings settings) {
        this(settings.maxSsrcsPerUser(), settings.maxSsrcGroupsPerUser());
    }

    public SourceValidator(int maxSsrcsPerUser, int maxSsrcGroupsPerUser) {
        this.maxSsrcs = maxSsrcsPerUser;
        this.maxGroups = maxSsrcGroupsPerUser;
    }

    /**
     * The conference's sources after {@code owner} added {@code added}.
     *
     * @throws JingleRequestException (bad-request) when an SSRC is 0, used twice, already used by another
     *     endpoint, a group names an SSRC the owner does not have, or the owner would exceed the limits
     */
    public ConferenceSources add(ConferenceSources conference, String owner, EndpointSources added)
            throws JingleRequestException {
        EndpointSources before = conference.get(owner);
        Set<Long> seen = new HashSet<>();
        for (Source s : concat(added.audio(), added.video())) {
            if (s.ssrc() == 0) {
                throw JingleRequestException.badRequest("invalid ssrc 0");
            }
            if (!seen.add(s.ssrc())) {
                throw JingleRequestException.badRequest("ssrc " + s.ssrc() + " is signalled twice");
            }
            if (before.ssrcs().contains(s.ssrc())) {
                throw JingleRequestException.badRequest("ssrc " + s.ssrc() + " is already signalled by " + owner);
            }
            for (Map.Entry<String, EndpointSources> e : conference.byOwner().entrySet()) {
                if (!e.getKey().equals(owner) && e.getValue().ssrcs().contains(s.ssrc())) {
                    throw JingleRequestException.badRequest("ssrc " + s.ssrc() + " is already used by another "
                            + "endpoint");
                }
            }
        }
        EndpointSources after = before.plus(added);
        checkGroups(after.audioGroups(), after.audio(), "audio");
        checkGroups(after.videoGroups(), after.video(), "video");
        if (after.ssrcCount() > maxSsrcs) {
            throw JingleRequestException.badRequest("ssrc limit exceeded: " + after.ssrcCount() + " > " + maxSsrcs
                    + " (max-ssrcs-per-user)");
        }
        if (after.groupCount() > maxGroups) {
            throw JingleRequestException.badRequest("ssrc-group limit exceeded: " + after.groupCount() + " > "
                    + maxGroups + " (max-ssrc-groups-per-user)");
        }
        return conference.with(owner, after);
    }

    /**
     * The conference's sources after {@code owner} removed {@code removed}.
     *
     * @throws JingleRequestException (bad-request) when a source or group is not the owner's
     */
    public ConferenceSources remove(ConferenceSources conference, String owner, EndpointSources removed)
            throws JingleRequestException {
        EndpointSources before = conference.get(owner);
        Set<Long> mine = before.ssrcs();
        for (Source s : concat(removed.audio(), removed.video())) {
            if (!mine.contains(s.ssrc())) {
                throw JingleRequestException.badRequest("source-remove of ssrc " + s.ssrc() + " which " + owner
                        + " has not signalled");
            }
        }
        for (SsrcGroup g : concat(removed.audioGroups(), removed.videoGroups())) {
            if (!before.audioGroups().contains(g) && !before.videoGroups().contains(g)) {
                throw JingleRequestException.badRequest("source-remove of ssrc-group " + g.semantics() + " "
                        + g.ssrcs() + " which " + owner + " has not signalled");
            }
        }
        return conference.with(owner, before.minus(removed));
    }

    private static void checkGroups(List<SsrcGroup> groups, List<Source> sources, String media)
            throws JingleRequestException {
        Set<Long> ssrcs = new HashSet<>();
        sources.forEach(s -> ssrcs.add(s.ssrc()));
        for (SsrcGroup g : groups) {
            if (g.ssrcs().isEmpty()) {
                throw JingleRequestException.badRequest("empty " + media + " ssrc-group " + g.semantics());
            }
            for (long s : g.ssrcs()) {
                if (!ssrcs.contains(s)) {
                    throw JingleRequestException.badRequest(media + " ssrc-group " + g.semantics() + " names ssrc "
                            + s + " which is not signalled");
                }
            }
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
