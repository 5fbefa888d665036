package io.focus.selection;

import io.focus.core.bridge.BridgeState;
import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.ConferenceLimits;
import io.focus.core.selection.SelectionRequest;

/**
 * The limits every strategy is given, from {@link SelectionSettings}: bridge overload (corrected stress at or above
 * the threshold), the per-conference caps (participants per bridge, joins per interval) and the absolute per-bridge
 * caps (endpoints, conferences). The absolute caps apply differently to a bridge the conference already uses (only
 * the endpoint cap, which decides when the conference spreads) and to a bridge it does not use yet (both caps
 * keep new conferences and spreading away).
 */
public final class SelectionLimits implements ConferenceLimits {
    private final double stressThreshold;
    private final int maxBridgeParticipants;
    private final int maxPerInterval;
    private final int maxEndpointsPerBridge;
    private final int maxConferencesPerBridge;
    private final boolean octoEnabled;

    public SelectionLimits(SelectionSettings s) {
        this.stressThreshold = s.stressThreshold();
        this.maxBridgeParticipants = s.maxBridgeParticipants();
        this.maxPerInterval = s.maxParticipantsPerInterval();
        this.maxEndpointsPerBridge = s.maxParticipantsPerBridge();
        this.maxConferencesPerBridge = s.maxConferencesPerBridge();
        this.octoEnabled = s.octoEnabled();
    }

    @Override public boolean bridgeOverloaded(BridgeState bridge) {
        return bridge.correctedStress() >= stressThreshold;
    }

    @Override public boolean overloadedFor(BridgeState bridge, SelectionRequest request) {
        return bridgeOverloaded(bridge) || capReached(bridge, request.conferenceBridges().get(bridge.id()));
    }

    @Override public boolean multiBridgeAllowed(BridgeState candidate, SelectionRequest request) {
        return octoEnabled && candidate.relayId() != null && conferenceCanSpread(request);
    }

    /**
     * A cap stops this conference from adding a participant to the bridge.
     *
     * @param inConference how the conference uses the bridge, or null when it does not use it yet
     */
    public boolean capReached(BridgeState bridge, ConferenceBridgeProperties inConference) {
        if (maxEndpointsPerBridge > 0 && bridge.endpoints() >= maxEndpointsPerBridge) {
            return true;
        }
        if (inConference == null) {
            return maxConferencesPerBridge > 0 && bridge.conferences() >= maxConferencesPerBridge;
        }
        return (maxBridgeParticipants > 0 && inConference.participantCount() >= maxBridgeParticipants)
                || rateLimited(inConference);
    }

    /** The conference added {@code max-bridge-participants-per-interval} participants to the bridge recently. */
    public boolean rateLimited(ConferenceBridgeProperties inConference) {
        return maxPerInterval > 0 && inConference != null && inConference.recentlyAddedParticipants() >= maxPerInterval;
    }

    @Override public boolean maxed(BridgeState bridge, SelectionRequest request) {
        return maxed(request.conferenceBridges().get(bridge.id()));
    }

    /** The conference has reached {@code max-bridge-participants} on the bridge (the join rate is not looked at). */
    public boolean maxed(ConferenceBridgeProperties inConference) {
        return maxBridgeParticipants > 0 && inConference != null && inConference.participantCount() >= maxBridgeParticipants;
    }

    /**
     * Octo is on and every bridge the conference keeps using (known, not shutting down, not excluded) has a relay
     * id: only then can the conference be linked to another bridge.
     */
    public boolean conferenceCanSpread(SelectionRequest request) {
        if (!octoEnabled) {
            return false;
        }
        for (String id : request.conferenceBridges().keySet()) {
            BridgeState b = request.snapshot().get(id);
            if (b != null && b.relayId() == null && !b.shuttingDown() && !request.exclusions().excludes(id)) {
                return false;
            }
        }
        return true;
    }

    public double stressThreshold() { return stressThreshold; }
    public boolean octoEnabled() { return octoEnabled; }
}
