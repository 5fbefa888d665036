package io.focus.conference.signalling;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/** The signalling counters, with Jicofo's names where Jicofo has them (simpleclient adds {@code _total}). */
final class SignallingMetrics {
    final Counter iceFailed;
    final Counter restartRequested;
    final Counter sent;
    final Counter sendFailures;
    final Counter requests;
    final Counter offerTimeouts;
    final Counter givenUp;

    SignallingMetrics(CollectorRegistry registry) {
        iceFailed = Counter.build("jitsi_jicofo_participants_ice_failed",
                "Participants that reported ICE failure (session-info ice-state failed).").register(registry);
        restartRequested = Counter.build("jitsi_jicofo_participants_restart_requested",
                "Participants that asked to be re-invited (session-terminate with bridge-session restart).")
                .register(registry);
        sent = Counter.build("focus_jingle_stanzas_sent", "Jingle requests sent to participants, by action.")
                .labelNames("action").register(registry);
        sendFailures = Counter.build("focus_jingle_send_failures",
                "Jingle requests a participant answered with an error or not at all, by action.")
                .labelNames("action").register(registry);
        requests = Counter.build("focus_jingle_requests",
                "Jingle requests from participants, by action and answer (result or the error condition).")
                .labelNames("action", "answer").register(registry);
        offerTimeouts = Counter.build("focus_jingle_offer_timeouts",
                "Offers (session-initiate / transport-replace) not accepted in time.").register(registry);
        givenUp = Counter.build("focus_jingle_participants_given_up",
                "Participants taken off their bridge because they never accepted an offer.").register(registry);
    }
}
