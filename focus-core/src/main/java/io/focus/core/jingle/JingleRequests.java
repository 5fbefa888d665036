package io.focus.core.jingle;

import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.xmpp.StanzaParseException;
import java.util.Objects;

/**
 * Reads what a participant sends: the transport and sources of a {@code session-accept} (or
 * {@code transport-accept}), the sources of a {@code source-add} / {@code source-remove}, an ICE failure in a
 * {@code session-info}, a restart request in a {@code session-terminate}. Each method checks the action and turns
 * anything unusable into a {@link JingleRequestException} carrying the stanza error to answer with; validation
 * against the conference and the limits is {@link SourceValidator}'s job.
 */
public final class JingleRequests {
    private JingleRequests() {}

    /** What a session-accept / transport-accept carries. */
    public record Accept(String sid, String responder, IceUdpTransport transport, EndpointSources sources) {}

    /**
     * A session-info's ICE state and the bridge session it is about (either may be null), and whether it asks for an
     * in-place ICE restart ({@code <bridge-session ice-restart="true"/>}).
     */
    public record SessionInfo(String iceState, String bridgeSessionId, boolean iceRestart) {
        public boolean iceFailed() { return "failed".equalsIgnoreCase(iceState); }
    }

    /** A session-terminate: the reason (may be null) and whether the participant asks to be re-invited. */
    public record Terminate(JingleReason reason, String bridgeSessionId, boolean restartRequested) {}

    /**
     * The participant's ICE-UDP transport (from the first content that has one; with BUNDLE they are all the same:
     * ufrag, pwd, DTLS fingerprints, candidates and web-sockets as the participant sent them) and its sources.
     * lib-jitsi-meet signals RTCP multiplexing as {@code <rtcp-mux/>} in the RTP descriptions, not in the transport
     * (a-044): the transport is marked rtcp-mux when any content has it either way, as Jicofo's endpoint update to
     * the bridge is (a-048), since the bridge needs to know.
     *
     * @throws JingleRequestException bad-request when it is not an accept, has no transport, or its json-message
     *     is malformed
     */
    public static Accept accept(JingleIQ iq) throws JingleRequestException {
        expect(iq, JingleAction.SESSION_ACCEPT, JingleAction.TRANSPORT_ACCEPT);
        IceUdpTransport transport = iq.contents().stream().map(JingleContent::transport).filter(Objects::nonNull)
                .map(JingleTransport::ice).findFirst()
                .orElseThrow(() -> JingleRequestException.badRequest(iq.actionName() + " without a transport"));
        boolean rtcpMux = iq.contents().stream().anyMatch(c -> (c.description() != null && c.description().rtcpMux())
                || (c.transport() != null && c.transport().ice().rtcpMux()));
        if (rtcpMux && !transport.rtcpMux()) {
            transport = transport.toBuilder().rtcpMux(true).build();
        }
        return new Accept(iq.sid(), iq.responder(), transport, sources(iq));
    }

    /** The sources a source-add / source-remove (or an accept) carries, from its contents and any json-message. */
    public static EndpointSources sources(JingleIQ iq) throws JingleRequestException {
        EndpointSources out = EndpointSources.fromContents(iq.contents());
        if (iq.jsonMessage() != null) {
            try {
                for (EndpointSources s : JsonSources.decode(iq.jsonMessage()).byOwner().values()) {
                    out = out.plus(s);
                }
            } catch (StanzaParseException e) {
                throw JingleRequestException.badRequest(e.getMessage());
            }
        }
        return out;
    }

    /** The sources of a source-add or source-remove. */
    public static EndpointSources sourceChange(JingleIQ iq) throws JingleRequestException {
        expect(iq, JingleAction.SOURCE_ADD, JingleAction.SOURCE_REMOVE);
        return sources(iq);
    }

    public static SessionInfo sessionInfo(JingleIQ iq) throws JingleRequestException {
        expect(iq, JingleAction.SESSION_INFO);
        BridgeSession bs = iq.bridgeSession();
        return new SessionInfo(iq.iceState(), bs == null ? null : bs.id(), bs != null && bs.iceRestart());
    }

    public static Terminate terminate(JingleIQ iq) throws JingleRequestException {
        expect(iq, JingleAction.SESSION_TERMINATE);
        BridgeSession bs = iq.bridgeSession();
        return new Terminate(iq.reason(), bs == null ? null : bs.id(), bs != null && bs.restart());
    }

    private static void expect(JingleIQ iq, JingleAction... actions) throws JingleRequestException {
        for (JingleAction a : actions) {
            if (iq.action() == a) {
                return;
            }
        }
        throw JingleRequestException.badRequest("unexpected action " + iq.actionName());
    }
}
