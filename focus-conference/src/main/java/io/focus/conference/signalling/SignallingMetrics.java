package io.focus.conference.signalling;

import io.focus.core.jingle.JingleAction;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The signalling counters, with Jicofo's names where Jicofo has them (simpleclient adds {@code _total}). */
final class SignallingMetrics {
    final Counter iceFailed;
    final Counter restartRequested;
    final Counter iceRestartsRequested;
    final Counter iceRestartsFailed;
    final Counter sent;
    final Counter sendFailures;
    final Counter requests;
    final Counter offerTimeouts;
    final Counter givenUp;
    /** Jicofo's {@code jingle_<action>_sent} / {@code _received}: one counter per action, for every known action. */
    private final Map<JingleAction, Counter> sentByAction = new EnumMap<>(JingleAction.class);
    private final Map<JingleAction, Counter> receivedByAction = new EnumMap<>(JingleAction.class);

    SignallingMetrics(CollectorRegistry registry) {
        iceFailed = Counter.build("jitsi_jicofo_participants_ice_failed",
                "Participants that reported ICE failure (session-info ice-state failed).").register(registry);
        restartRequested = Counter.build("jitsi_jicofo_participants_restart_requested",
                "Participants that asked to be re-invited (session-terminate with bridge-session restart).")
                .register(registry);
        iceRestartsRequested = Counter.build("jitsi_jicofo_ice_restarts_requested",
                "In-place ICE restarts requested by a participant (session-info with bridge-session ice-restart).")
                .register(registry);
        iceRestartsFailed = Counter.build("jitsi_jicofo_ice_restarts_failed",
                "In-place ICE restarts that were rejected or could not be completed (the focus rejects every one: it "
                        + "does not do in-place ICE restarts, clients then restart the session).").register(registry);
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
        for (JingleAction a : JingleAction.values()) {
            if (a == JingleAction.UNKNOWN) {
                continue;
            }
            String n = a.name().toLowerCase(Locale.ROOT);
            sentByAction.put(a, Counter.build("jitsi_jicofo_jingle_" + n + "_sent",
                    "Number of " + a.name() + " stanzas sent.").register(registry));
            receivedByAction.put(a, Counter.build("jitsi_jicofo_jingle_" + n + "_received",
                    "Number of " + a.name() + " stanzas received.").register(registry));
        }
    }

    void sent(JingleAction action) {
        Counter c = sentByAction.get(action);
        if (c != null) {
            c.inc();
        }
    }

    /** A Jingle request from a participant (an action the focus does not know is counted only in focus_jingle_requests). */
    void received(JingleAction action) {
        Counter c = receivedByAction.get(action);
        if (c != null) {
            c.inc();
        }
    }
}
