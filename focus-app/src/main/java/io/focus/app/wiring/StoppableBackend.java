package io.focus.app.wiring;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.IceUdpTransport;
import io.focus.core.colibri.Sources;
import io.focus.conference.Allocation;
import io.focus.conference.ColibriBackend;
import io.focus.conference.ConferenceSpec;
import io.focus.conference.EndpointSpec;
import io.focus.conference.RelayTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Colibri2 backend with a shutdown switch: when the focus stops it leaves its rooms, but by default it does not
 * expire the conferences on the bridges ({@code focus.shutdown.expire-conferences = false}), so a restart of the
 * focus does not cut live calls: the bridges keep the media flowing and expire idle conferences themselves.
 */
final class StoppableBackend implements ColibriBackend {
    private final ColibriBackend delegate;
    private volatile boolean keepOnBridges;

    StoppableBackend(ColibriBackend delegate) {
        this.delegate = delegate;
    }

    /** From now on, expire requests are not sent (the focus is stopping and must not cut calls). */
    void keepConferencesOnBridges() { keepOnBridges = true; }

    private static CompletableFuture<Void> skipped() { return CompletableFuture.completedFuture(null); }

    @Override
    public CompletableFuture<Allocation> allocate(BridgeState bridge, ConferenceSpec conference, EndpointSpec endpoint,
                                                  boolean createConference) {
        return delegate.allocate(bridge, conference, endpoint, createConference);
    }

    @Override
    public CompletableFuture<Void> expireEndpoint(BridgeState bridge, ConferenceSpec conference, String endpointId) {
        return keepOnBridges ? skipped() : delegate.expireEndpoint(bridge, conference, endpointId);
    }

    @Override
    public CompletableFuture<Void> expireConference(BridgeState bridge, ConferenceSpec conference) {
        return keepOnBridges ? skipped() : delegate.expireConference(bridge, conference);
    }

    @Override
    public CompletableFuture<RelayTransport> createRelay(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                         List<EndpointSpec> endpoints, boolean initiator,
                                                         boolean sctp) {
        return delegate.createRelay(bridge, conference, relayId, endpoints, initiator, sctp);
    }

    @Override
    public CompletableFuture<Void> updateRelayTransport(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                        RelayTransport remote, boolean remoteIsInitiator,
                                                        boolean sctp) {
        return delegate.updateRelayTransport(bridge, conference, relayId, remote, remoteIsInitiator, sctp);
    }

    @Override
    public CompletableFuture<Void> addRelayEndpoints(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                     List<EndpointSpec> endpoints) {
        return delegate.addRelayEndpoints(bridge, conference, relayId, endpoints);
    }

    @Override
    public CompletableFuture<Void> expireRelayEndpoint(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                       String endpointId) {
        return keepOnBridges ? skipped() : delegate.expireRelayEndpoint(bridge, conference, relayId, endpointId);
    }

    @Override
    public CompletableFuture<Void> expireRelay(BridgeState bridge, ConferenceSpec conference, String relayId) {
        return keepOnBridges ? skipped() : delegate.expireRelay(bridge, conference, relayId);
    }

    @Override
    public CompletableFuture<Void> updateEndpoint(BridgeState bridge, ConferenceSpec conference, String endpointId,
                                                  String statsId, IceUdpTransport transport, Sources sources) {
        return delegate.updateEndpoint(bridge, conference, endpointId, statsId, transport, sources);
    }

    @Override
    public CompletableFuture<Void> updateRelayEndpoint(BridgeState bridge, ConferenceSpec conference, String relayId,
                                                       String endpointId, Sources sources) {
        return delegate.updateRelayEndpoint(bridge, conference, relayId, endpointId, sources);
    }
}
