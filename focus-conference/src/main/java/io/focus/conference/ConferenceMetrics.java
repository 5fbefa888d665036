package io.focus.conference;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The conference counters, with Jicofo's names where Jicofo has them. */
final class ConferenceMetrics {
    final Counter participantsMoved;
    final Counter participantsMovedFrom;
    final Counter conferencesCreated;
    final Counter participants;
    final Counter bridgesRemoved;
    final Counter allocationFailures;
    final Counter conferenceRequests;
    final Counter conferenceRequestsNew;
    final Counter relayFailures;
    /** Jicofo's types: gauges that only grow (seconds of ended conferences / of participants that left). */
    final Gauge conferenceSeconds;
    final Gauge endpointSeconds;
    final Counter bridgeRestartRequests;
    /** Expiries owed to bridges ({@link OwedExpiries}), by outcome: owed, settled, dropped, given_up. */
    final Counter owedExpiries;
    final Gauge owedExpiriesNow;
    /** Placements that left out a bridge the participant had been moved off, because that bridge was suspect then. */
    final Counter keptOffSuspect;

    ConferenceMetrics(CollectorRegistry registry) {
        participantsMoved = Counter.build("jitsi_jicofo_participants_moved",
                "Participants moved to another bridge (failover and admin moves).").register(registry);
        participantsMovedFrom = Counter.build("focus_participants_moved",
                "Participants moved off a bridge, by the bridge (nick) they left.").labelNames("from").register(registry);
        conferencesCreated = Counter.build("jitsi_jicofo_conferences_created", "Conferences created.").register(registry);
        participants = Counter.build("jitsi_jicofo_participants", "Participants that joined a conference.")
                .register(registry);
        bridgesRemoved = Counter.build("jitsi_jicofo_bridges_removed",
                "Times a conference lost a bridge (failure, removal, shutdown, allocation error).").register(registry);
        allocationFailures = Counter.build("focus_allocation_failures",
                "Failed Colibri2 allocations, by kind (timeout, condition/reason).").labelNames("kind").register(registry);
        conferenceRequests = Counter.build("jitsi_jicofo_conference_requests", "Conference requests received.")
                .register(registry);
        conferenceRequestsNew = Counter.build("jitsi_jicofo_conference_requests_new",
                "Conference requests that created a conference.").register(registry);
        relayFailures = Counter.build("focus_relay_failures",
                "Relays between two bridges of a conference given up after their retries (participants stayed where "
                        + "they were).").register(registry);
        conferenceSeconds = Gauge.build("jitsi_jicofo_conferences_seconds",
                "The duration of completed conferences in seconds.").register(registry);
        endpointSeconds = Gauge.build("jitsi_jicofo_endpoint_seconds",
                "The duration of participants in conferences in seconds, added when they leave.").register(registry);
        bridgeRestartRequests = Counter.build("jitsi_jicofo_bridge_restart_requests",
                "Participants on the bridge that reported ICE failure or asked for a restart, by bridge (nick).")
                .labelNames("jvb").register(registry);
        owedExpiries = Counter.build("focus_owed_expiries",
                "Expiries owed to bridges (sent, unanswered: no reply, not sent, or bounced by the server), by outcome: "
                        + "owed, settled (sent again and answered), dropped (the bridge left or restarted), given_up "
                        + "(still unanswered after the bound), resent_in_flight (an expire that went to a failed bridge, "
                        + "sent once more when the bridge was heard from before it was answered).").labelNames("outcome").register(registry);
        owedExpiriesNow = Gauge.build("focus_owed_expiries_pending", "Expiries owed to bridges now.")
                .register(registry);
        keptOffSuspect = Counter.build("focus_placements_kept_off_suspect",
                "Placements that left out a bridge the participant had been moved off, because that bridge was "
                        + "suspect then (never placed back on a suspect bridge it was moved off).").register(registry);
    }

    /**
     * Drops the series labelled by a bridge that left the registry ({@code focus_participants_moved{from}},
     * {@code jitsi_jicofo_bridge_restart_requests_total{jvb}}), so
     * bridges that come and go (autoscaling, restarts under new nicks) do not grow it without bound; a scraper's
     * {@code rate()} copes with a series that disappears. Call after the bridge's moves were counted.
     */
    void forgetBridge(String nick) {
        participantsMovedFrom.remove(nick);
        bridgeRestartRequests.remove(nick);
    }
}
