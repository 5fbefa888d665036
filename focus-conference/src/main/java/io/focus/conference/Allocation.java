package io.focus.conference;

import io.focus.core.colibri.Colibri2Transport;
import io.focus.core.colibri.Sources;

/**
 * What a bridge gave one participant: everything the signalling layer needs to offer the participant its place.
 *
 * @param bridgeId the bridge's id (brewery occupant JID)
 * @param bridgeNick the bridge's nick, for logs
 * @param bridgeRegion the bridge's region, or null
 * @param bridgeSessionId the conference's session id on that bridge (given to clients as {@code bridge-session id})
 * @param transport the endpoint's {@code <transport>} from {@code conference-modified} (ICE-UDP, sctp)
 * @param feedbackSources the bridge's feedback sources (from the create response), or null
 * @param sctpPort the SCTP port the bridge offered, or null
 */
public record Allocation(String bridgeId, String bridgeNick, String bridgeRegion, String bridgeSessionId,
                         Colibri2Transport transport, Sources feedbackSources, Integer sctpPort) {
    /** The same allocation with the session fields the conference knows and the backend does not. */
    public Allocation withSession(String nick, String region, String sessionId) {
        return new Allocation(bridgeId, nick, region, sessionId, transport, feedbackSources, sctpPort);
    }

    /** The same allocation with the bridge's feedback sources {@code sources}. */
    public Allocation withFeedbackSources(Sources sources) {
        return new Allocation(bridgeId, bridgeNick, bridgeRegion, bridgeSessionId, transport, sources, sctpPort);
    }
}
