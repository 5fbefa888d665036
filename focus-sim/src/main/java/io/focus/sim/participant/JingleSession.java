package io.focus.sim.participant;

import java.util.List;

/**
 * The participant's current Jingle session with the focus, as offered by {@code session-initiate} (and updated by
 * {@code transport-replace}).
 *
 * @param sid             the Jingle session id
 * @param focus           the JID the offer came from (the focus's occupant JID in the room)
 * @param initiator       the offer's {@code initiator}
 * @param bridgeSessionId {@code <bridge-session id>} of the offer, may be null
 * @param region          {@code <bridge-session region>}, may be null
 * @param remoteTransport the bridge's transport from the offer (the first content's)
 * @param localTransport  the participant's own transport sent in session-accept / transport-accept, null before
 * @param codecs          every payload type offered, audio then video
 * @param jsonSources     whether the offer carried its sources as {@code <json-message>}
 * @param state           where the offer/answer stands
 * @param transportReplaces how many {@code transport-replace} were applied to this session
 */
public record JingleSession(String sid, String focus, String initiator, String bridgeSessionId, String region,
                            IceTransport remoteTransport, IceTransport localTransport, List<Codec> codecs,
                            boolean jsonSources, State state, int transportReplaces) {
    public enum State {
        /** Offer received, no answer sent (autoAccept off, or neverAnswer). */
        OFFERED,
        /** session-accept sent, no reply yet. */
        ACCEPT_SENT,
        /** The focus answered session-accept with a result. */
        ACCEPTED,
        /** The focus answered session-accept with an error, or did not answer. */
        ACCEPT_FAILED
    }

    public JingleSession {
        codecs = List.copyOf(codecs);
    }

    public boolean accepted() { return state == State.ACCEPTED; }

    JingleSession with(State s) {
        return new JingleSession(sid, focus, initiator, bridgeSessionId, region, remoteTransport, localTransport, codecs,
                jsonSources, s, transportReplaces);
    }

    JingleSession withLocal(IceTransport local) {
        return new JingleSession(sid, focus, initiator, bridgeSessionId, region, remoteTransport, local, codecs,
                jsonSources, state, transportReplaces);
    }
}
