package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How conferences talk to bridges, at the level of what they mean rather than the stanzas. The XMPP implementation
 * ({@code XmppColibriBackend}) sends Colibri2 {@code conference-modify} IQs to the bridge's brewery occupant JID.
 *
 * <p>Contract: every method puts its request on the wire (or fails) before it returns, so requests for one
 * conference reach a bridge in the order they were made (a second endpoint never overtakes the create). Futures are
 * completed on whatever thread the reply arrives on: callers hand the result to their own control thread. Failures
 * are always {@link ColibriException}s. Implementations never block.
 */
public interface ColibriBackend {
    /**
     * Allocates an endpoint.
     *
     * @param createConference true on the first request of this conference to this bridge
     */
    CompletableFuture<Allocation> allocate(BridgeState bridge, ConferenceSpec conference, EndpointSpec endpoint,
                                           boolean createConference);

    CompletableFuture<Void> expireEndpoint(BridgeState bridge, ConferenceSpec conference, String endpointId);

    /** Expires the whole conference on the bridge (its endpoints and relays with it). */
    CompletableFuture<Void> expireConference(BridgeState bridge, ConferenceSpec conference);

    /**
     * Creates a relay on {@code bridge} towards the bridge whose relay id is {@code relayId}.
     *
     * @param endpoints the participants behind the other bridge
     * @param initiator this side takes the ICE-controlling / DTLS-active role
     * @param sctp the relay gets an SCTP data channel ({@code jicofo.octo.sctp-datachannels}, unless a bridge of the
     *     link refused SCTP)
     */
    CompletableFuture<RelayTransport> createRelay(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                  List<EndpointSpec> endpoints, boolean initiator, boolean sctp);

    /**
     * Gives {@code bridge} the transport of the other end of relay {@code relayId}.
     *
     * @param remoteIsInitiator the transport came from the initiator side (so it is rewritten to DTLS active)
     * @param sctp the relay was created with SCTP (then neither side keeps a web-socket)
     */
    CompletableFuture<Void> updateRelayTransport(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                 RelayTransport remote, boolean remoteIsInitiator, boolean sctp);

    CompletableFuture<Void> addRelayEndpoints(BridgeState bridge, ConferenceSpec conference, String relayId,
                                              List<EndpointSpec> endpoints);

    CompletableFuture<Void> expireRelayEndpoint(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                String endpointId);

    CompletableFuture<Void> expireRelay(BridgeState bridge, ConferenceSpec conference, String relayId);

    /**
     * Gives the bridge what the participant signalled: its ICE-UDP transport (null to leave it unchanged) and its
     * complete sources ({@link Sources#EMPTY} when it has none). Jicofo sends this after a session-accept and after
     * every source change, with the endpoint's {@code stats-id} (a-048).
     *
     * @param statsId the participant's stats id (as in its create), or null
     */
    CompletableFuture<Void> updateEndpoint(BridgeState bridge, ConferenceSpec conference, String endpointId,
                                           String statsId, IceUdpTransport transport, Sources sources);

    /** Replaces the sources of endpoint {@code endpointId} behind relay {@code relayId} on {@code bridge}. */
    CompletableFuture<Void> updateRelayEndpoint(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                String endpointId, Sources sources);
}
