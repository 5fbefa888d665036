package io.focus.conference;

import io.focus.core.colibri.Sources;

/**
 * One endpoint to allocate on a bridge (or to announce on a relay).
 *
 * @param id the endpoint id (the participant's MUC nick)
 * @param statsId the participant's stats id, or null
 * @param visitor a receive-only visitor (never relayed)
 * @param sctp the participant wants an SCTP data channel
 * @param sources the sources the participant signalled (announced with it on relays), or null before it did
 * @param replace an endpoint with this id may already be on the bridge (a refused request left it there: a real JVB
 *                creates the endpoint before it refuses its transport): the allocation expires it and creates it
 *                again in one request. Two requests would not do: a bridge expires a conference that a request
 *                without {@code create} leaves empty, so the re-create would find no conference.
 */
public record EndpointSpec(String id, String statsId, boolean visitor, boolean sctp, Sources sources,
                           boolean replace) {
    public EndpointSpec(String id, String statsId, boolean visitor, boolean sctp, Sources sources) {
        this(id, statsId, visitor, sctp, sources, false);
    }

    public EndpointSpec(String id, String statsId, boolean visitor, boolean sctp) {
        this(id, statsId, visitor, sctp, null, false);
    }

    /** The same endpoint, allocated so that a stale one with its id is expired first in the same request. */
    public EndpointSpec replacing() {
        return new EndpointSpec(id, statsId, visitor, sctp, sources, true);
    }

    public static EndpointSpec of(String id) { return new EndpointSpec(id, null, false, true); }
}
