package io.focus.conference;

import java.util.List;
import java.util.Locale;

/**
 * Whose fault a failed Colibri2 request is, and what the conference does about it: the one table for allocations
 * (endpoint create), endpoint updates (transport/sources) and relay requests (create, transport, endpoints).
 *
 * <p>Measured against a real JVB (real-call sequence e): a bridge without SCTP answers an allocation that asks for
 * SCTP with {@code feature-not-implemented} "SCTP support is not configured" (and creates the conference anyway, so a
 * repeated {@code create} gets {@code conflict}/{@code conference_already_exists}). Such an error says our
 * <em>request</em> does not fit the bridge's configuration; the bridge is healthy. Errors about the request
 * ({@link Fault#REQUEST}) are logged once per bridge and condition, counted in
 * {@code focus_colibri_request_refused_total{request,condition}}, and answered by adapting or refusing the request,
 * never by {@link BridgeFeedback#bridgeFailed}. Only a timeout or a broken bridge ({@link Fault#BRIDGE}) counts against
 * it, and for relays and updates only a timeout does.
 *
 * <table>
 * <caption>Allocation (endpoint create)</caption>
 * <tr><th>reply</th><th>fault</th><th>feedback</th><th>action</th></tr>
 * <tr><td>timeout</td><td>bridge</td><td>failed</td><td>move everyone on the bridge</td></tr>
 * <tr><td>bad response (wrong type, no transport)</td><td>bridge</td><td>failed</td><td>this participant elsewhere</td></tr>
 * <tr><td>not sent (not connected)</td><td>state</td><td>–</td><td>this participant, same bridge, after backoff</td></tr>
 * <tr><td>feature-not-implemented, SCTP asked</td><td>request</td><td>–</td><td>same bridge without SCTP and without
 *     create; the bridge is remembered as having no SCTP</td></tr>
 * <tr><td>feature-not-implemented, no SCTP asked</td><td>request</td><td>–</td><td>this participant elsewhere</td></tr>
 * <tr><td>bad-request, not-acceptable, not-allowed, forbidden</td><td>request</td><td>–</td><td>this participant
 *     elsewhere</td></tr>
 * <tr><td>conflict + conference_already_exists</td><td>request</td><td>–</td><td>same bridge without create (the
 *     conference is there)</td></tr>
 * <tr><td>conflict (endpoint exists)</td><td>request</td><td>–</td><td>expire the stale endpoint, then the same bridge
 *     again</td></tr>
 * <tr><td>item-not-found + conference_not_found</td><td>state</td><td>restarted</td><td>move everyone (nothing to
 *     expire)</td></tr>
 * <tr><td>item-not-found (no reason: the MUC lost the bridge)</td><td>state</td><td>–</td><td>move everyone (nothing
 *     to expire)</td></tr>
 * <tr><td>service-unavailable + graceful_shutdown</td><td>state</td><td>graceful</td><td>move everyone</td></tr>
 * <tr><td>service-unavailable (other), internal-server-error, any other error</td><td>bridge</td><td>failed</td>
 *     <td>move everyone</td></tr>
 * </table>
 *
 * <table>
 * <caption>Endpoint update (the participant's transport and sources); Jicofo never fails the bridge here</caption>
 * <tr><th>reply</th><th>fault</th><th>feedback</th><th>action</th></tr>
 * <tr><td>timeout, bad response, not sent</td><td>bridge / state</td><td>–</td><td>log only (as Jicofo)</td></tr>
 * <tr><td>item-not-found + conference_not_found</td><td>state</td><td>restarted</td><td>move everyone</td></tr>
 * <tr><td>item-not-found + unknown_endpoint, bad-request, feature-not-implemented, not-acceptable, conflict, ...
 *     (every row of the request list above)</td><td>request</td><td>–</td><td>restart this participant</td></tr>
 * <tr><td>any other error</td><td>bridge</td><td>–</td><td>restart this participant</td></tr>
 * </table>
 *
 * <table>
 * <caption>Relay (create, transport, endpoints); a relay never costs a healthy bridge its participants</caption>
 * <tr><th>reply</th><th>fault</th><th>feedback</th><th>action</th></tr>
 * <tr><td>timeout</td><td>bridge</td><td>failed</td><td>retry the relay with backoff</td></tr>
 * <tr><td>feature-not-implemented, SCTP asked</td><td>request</td><td>–</td><td>retry at once without SCTP; the
 *     bridge is remembered as having no SCTP</td></tr>
 * <tr><td>any other request error (list above)</td><td>request</td><td>–</td><td>retry the relay once</td></tr>
 * <tr><td>item-not-found + conference_not_found</td><td>state</td><td>restarted</td><td>move everyone on that bridge
 *     (the conference is gone there)</td></tr>
 * <tr><td>service-unavailable + graceful_shutdown</td><td>state</td><td>graceful</td><td>retry the relay with
 *     backoff</td></tr>
 * <tr><td>bad response, not sent, any other error</td><td>bridge</td><td>–</td><td>retry the relay with backoff</td></tr>
 * </table>
 *
 * A relay whose retries are exhausted stays down: its participants stay where they are (see {@link RelayMesh}).
 */
final class AllocationErrorPolicy {
    private AllocationErrorPolicy() {}

    /** Which request failed. */
    enum Request {
        ALLOCATE, UPDATE, RELAY;

        String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Whose fault the failure is. */
    enum Fault {
        /** Our request does not fit this bridge (configuration mismatch, stale state): the bridge is healthy. */
        REQUEST,
        /** The bridge is slow or broken. */
        BRIDGE,
        /** The bridge's state changed (restarted, shutting down, gone from the MUC) or the request was not sent. */
        STATE
    }

    /** What the registry is told. */
    enum Feedback { NONE, FAILED, RESTARTED, GRACEFUL }

    /** What the conference does. */
    enum Action {
        /** Move every participant of the conference off the bridge (it is excluded for them). */
        MOVE_EVERYONE,
        /** Place this participant elsewhere (the bridge excluded for it), within its retry budget. */
        PARTICIPANT_ELSEWHERE,
        /** Place this participant again after a backoff; the same bridge may be chosen. */
        RETRY_LATER,
        /** Allocate this participant again on the same bridge without SCTP and without create. */
        RETRY_WITHOUT_SCTP,
        /** Allocate this participant again on the same bridge without create. */
        RETRY_WITHOUT_CREATE,
        /** Expire the participant's stale endpoint on the bridge, then allocate it there again. */
        EXPIRE_AND_RETRY,
        /** Give the participant a fresh endpoint (the bridge may be excluded for it). */
        RESTART_PARTICIPANT,
        /** Nothing but the log line. */
        LOG_ONLY,
        /** Build the relay again, with backoff, a bounded number of times (once for a refused request). */
        RETRY_RELAY,
        /** Build the relay again at once without SCTP; the bridge is remembered as having no SCTP. */
        RETRY_RELAY_WITHOUT_SCTP
    }

    /** The answer for one failure. */
    record Decision(Fault fault, Feedback feedback, Action action) {
        boolean refused() { return fault == Fault.REQUEST; }
    }

    /** Conditions that mean "this bridge will not do what was asked", not "this bridge is broken". */
    static final List<String> REQUEST_CONDITIONS = List.of("bad-request", "feature-not-implemented", "not-acceptable",
            "not-allowed", "forbidden", "conflict");

    private static Decision d(Fault f, Feedback fb, Action a) { return new Decision(f, fb, a); }

    /**
     * @param request which request failed
     * @param ce the failure
     * @param askedSctp the request asked for SCTP (an endpoint's or a relay's {@code <sctp>})
     */
    static Decision decide(Request request, ColibriException ce, boolean askedSctp) {
        return switch (request) {
            case ALLOCATE -> allocation(ce, askedSctp);
            case UPDATE -> update(ce);
            case RELAY -> relay(ce, askedSctp);
        };
    }

    private static Decision allocation(ColibriException ce, boolean askedSctp) {
        switch (ce.kind()) {
            case TIMEOUT: return d(Fault.BRIDGE, Feedback.FAILED, Action.MOVE_EVERYONE);
            case BAD_RESPONSE: return d(Fault.BRIDGE, Feedback.FAILED, Action.PARTICIPANT_ELSEWHERE);
            case NOT_SENT: return d(Fault.STATE, Feedback.NONE, Action.RETRY_LATER);
            default: break;
        }
        String c = ce.condition();
        if ("feature-not-implemented".equals(c) && askedSctp) {
            return d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_SCTP);
        }
        if ("conflict".equals(c)) {
            return ColibriException.CONFERENCE_ALREADY_EXISTS.equals(ce.colibriReason())
                    ? d(Fault.REQUEST, Feedback.NONE, Action.RETRY_WITHOUT_CREATE)
                    : d(Fault.REQUEST, Feedback.NONE, Action.EXPIRE_AND_RETRY);
        }
        if (REQUEST_CONDITIONS.contains(c)) {
            return d(Fault.REQUEST, Feedback.NONE, Action.PARTICIPANT_ELSEWHERE);
        }
        Decision state = bridgeState(ce, Action.MOVE_EVERYONE);
        return state != null ? state : d(Fault.BRIDGE, Feedback.FAILED, Action.MOVE_EVERYONE);
    }

    private static Decision update(ColibriException ce) {
        switch (ce.kind()) {
            case TIMEOUT: case BAD_RESPONSE: return d(Fault.BRIDGE, Feedback.NONE, Action.LOG_ONLY);
            case NOT_SENT: return d(Fault.STATE, Feedback.NONE, Action.LOG_ONLY);
            default: break;
        }
        if (ce.is("item-not-found", ColibriException.CONFERENCE_NOT_FOUND)) {
            return d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE);
        }
        if (ce.is("item-not-found", ColibriException.UNKNOWN_ENDPOINT) || REQUEST_CONDITIONS.contains(ce.condition())) {
            return d(Fault.REQUEST, Feedback.NONE, Action.RESTART_PARTICIPANT);
        }
        return d(Fault.BRIDGE, Feedback.NONE, Action.RESTART_PARTICIPANT);
    }

    private static Decision relay(ColibriException ce, boolean askedSctp) {
        switch (ce.kind()) {
            case TIMEOUT: return d(Fault.BRIDGE, Feedback.FAILED, Action.RETRY_RELAY);
            case BAD_RESPONSE: return d(Fault.BRIDGE, Feedback.NONE, Action.RETRY_RELAY);
            case NOT_SENT: return d(Fault.STATE, Feedback.NONE, Action.RETRY_RELAY);
            default: break;
        }
        if ("feature-not-implemented".equals(ce.condition()) && askedSctp) {
            return d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY_WITHOUT_SCTP);
        }
        if (REQUEST_CONDITIONS.contains(ce.condition())) {
            return d(Fault.REQUEST, Feedback.NONE, Action.RETRY_RELAY);
        }
        if (ce.is("item-not-found", ColibriException.CONFERENCE_NOT_FOUND)) {
            return d(Fault.STATE, Feedback.RESTARTED, Action.MOVE_EVERYONE);
        }
        if (ce.is("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN)) {
            return d(Fault.STATE, Feedback.GRACEFUL, Action.RETRY_RELAY);
        }
        return d(Fault.BRIDGE, Feedback.NONE, Action.RETRY_RELAY);
    }

    /** conference_not_found, item-not-found without a reason, graceful shutdown; null for anything else. */
    private static Decision bridgeState(ColibriException ce, Action action) {
        if (ce.is("item-not-found", ColibriException.CONFERENCE_NOT_FOUND)) {
            return d(Fault.STATE, Feedback.RESTARTED, action);
        }
        if ("item-not-found".equals(ce.condition())) {
            return d(Fault.STATE, Feedback.NONE, action);
        }
        if (ce.is("service-unavailable", ColibriException.GRACEFUL_SHUTDOWN)) {
            return d(Fault.STATE, Feedback.GRACEFUL, action);
        }
        return null;
    }

    /** The (condition, colibri2 reason) pairs this table tells apart, as {@code condition/reason} labels. */
    private static final List<String> KNOWN_REASONS = List.of(
            "item-not-found/" + ColibriException.UNKNOWN_ENDPOINT,
            "item-not-found/" + ColibriException.CONFERENCE_NOT_FOUND,
            "conflict/" + ColibriException.CONFERENCE_ALREADY_EXISTS,
            "service-unavailable/" + ColibriException.GRACEFUL_SHUTDOWN);
    /** Conditions besides {@link #REQUEST_CONDITIONS} that a label names; any other is {@code other}. */
    private static final List<String> BRIDGE_CONDITIONS = List.of("item-not-found", "service-unavailable",
            "internal-server-error", "undefined-condition");

    /**
     * The metric label for a failure: one of a fixed set, so the label stays bounded whatever a bridge writes in its
     * reason (the bridge's raw {@link ColibriException#label()} belongs in the log line, not in a label).
     */
    static String conditionLabel(ColibriException ce) {
        if (ce.kind() != ColibriException.Kind.ERROR) {
            return ce.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        String withReason = ce.condition() + "/" + ce.colibriReason();
        if (ce.colibriReason() != null && KNOWN_REASONS.contains(withReason)) {
            return withReason;
        }
        return REQUEST_CONDITIONS.contains(ce.condition()) || BRIDGE_CONDITIONS.contains(ce.condition())
                ? ce.condition() : "other";
    }
}
