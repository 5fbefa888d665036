package io.focus.core.conference;

import io.focus.core.colibri.Sources;

/**
 * One endpoint to allocate on a bridge (or to announce on a relay).
 *
 * @param id the endpoint id (the participant's MUC nick)
 * @param statsId the participant's stats id, or null
 * @param visitor a receive-only visitor (never relayed)
 * @param sctp the participant wants an SCTP data channel
 * @param sources the sources the participant signalled (announced with it on relays), or null before it did
 */
public record EndpointSpec(String id, String statsId, boolean visitor, boolean sctp, Sources sources) {
    public EndpointSpec(String id, String statsId, boolean visitor, boolean sctp) {
        this(id, statsId, visitor, sctp, null);
    }

    public static EndpointSpec of(String id) { return new EndpointSpec(id, null, false, true); }
}
