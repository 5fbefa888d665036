package io.focus.core.conference;

/**
 * One endpoint to allocate on a bridge (or to announce on a relay). Media descriptions and sources come from the
 * signalling layer once it exists; until then the backend offers the default audio/video media.
 *
 * @param id the endpoint id (the participant's MUC nick)
 * @param statsId the participant's stats id, or null
 * @param visitor a receive-only visitor (never relayed)
 * @param sctp the participant wants an SCTP data channel
 */
public record EndpointSpec(String id, String statsId, boolean visitor, boolean sctp) {
    public static EndpointSpec of(String id) { return new EndpointSpec(id, null, false, true); }
}
