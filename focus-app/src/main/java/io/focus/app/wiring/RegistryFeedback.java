package io.focus.app.wiring;

import io.focus.health.registry.BridgeRegistry;
import io.focus.core.bridge.BridgeStats;
import io.focus.conference.BridgeFeedback;
import java.util.Map;

/**
 * What conferences learn about bridges, told to the registry (all of it posted to the registry's thread: cheap and
 * non-blocking, as {@link BridgeFeedback} requires): endpoint and conference counts feed the stress ramp-up and the
 * per-bridge metrics; an allocation timeout or a broken-bridge error fails the bridge; a {@code graceful_shutdown}
 * refusal marks it in graceful shutdown until its next presence says otherwise; {@code conference_not_found} means it
 * restarted; participants reporting ICE failure or asking for a restart are counted towards its suspicion.
 */
public final class RegistryFeedback implements BridgeFeedback {
    private final BridgeRegistry registry;

    public RegistryFeedback(BridgeRegistry registry) {
        this.registry = registry;
    }

    @Override public void endpointAdded(String bridgeId) { registry.endpointAdded(bridgeId); }

    @Override public void endpointRemoved(String bridgeId) { registry.endpointRemoved(bridgeId); }

    @Override public void conferenceAdded(String bridgeId) { registry.conferenceAdded(bridgeId); }

    @Override public void conferenceRemoved(String bridgeId) { registry.conferenceRemoved(bridgeId); }

    @Override public void bridgeFailed(String bridgeId, String reason) { registry.markFailed(bridgeId, reason); }

    @Override
    public void gracefulShutdown(String bridgeId) {
        // as if its presence said so: an absent stat keeps its value, so only this flag changes
        registry.onStats(bridgeId, new BridgeStats(Map.of(BridgeStats.GRACEFUL_SHUTDOWN, "true")));
    }

    @Override
    public void participantTrouble(String bridgeId, String participant) {
        registry.participantTrouble(bridgeId, participant);
    }

    @Override
    public void bridgeRestarted(String bridgeId) {
        registry.bridgeRestarted(bridgeId, "a conference it had is gone (conference_not_found)");
    }
}
