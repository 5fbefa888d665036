package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What bridges refused and what the focus learned from it, shared by all conferences (on the control loop only).
 *
 * <ul>
 *   <li>Each refusal ({@link AllocationErrorPolicy.Fault#REQUEST}) is counted in
 *   {@code focus_colibri_request_refused_total{request,condition}} (both labels from fixed sets) and logged at WARN
 *   with the bridge's own error text the first time per bridge and condition, then at most once per
 *   {@link #LOG_INTERVAL} with the number of repeats in between (at DEBUG meanwhile): a bridge refusing every
 *   participant of every conference must not flood the log.</li>
 *   <li>Bridges that refused SCTP ({@code feature-not-implemented}, "SCTP support is not configured") are remembered
 *   by bridge id: later endpoints and relays on them are created without SCTP. Counted in
 *   {@code focus_colibri_sctp_fallbacks_total{request}} (each request retried without SCTP). Forgotten when the
 *   bridge leaves or restarts (its configuration may have changed).</li>
 * </ul>
 */
final class RefusedRequests {
    private static final Logger log = LoggerFactory.getLogger(RefusedRequests.class);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(10);

    private final Clock clock;
    private final Counter refused;
    private final Counter sctpFallbacks;
    private final Set<String> noSctp = new HashSet<>();
    private final Map<String, LogState> logged = new HashMap<>();

    private static final class LogState {
        Instant last;
        int suppressed;
    }

    RefusedRequests(CollectorRegistry registry, Clock clock) {
        this.clock = clock;
        this.refused = Counter.build("focus_colibri_request_refused",
                        "Colibri2 requests a bridge refused because of the request (configuration mismatch, stale "
                                + "state), by request (allocate, update, relay) and condition; never counted against "
                                + "the bridge.")
                .labelNames("request", "condition").register(registry);
        this.sctpFallbacks = Counter.build("focus_colibri_sctp_fallbacks",
                        "Requests retried without SCTP because the bridge has no SCTP support, by request.")
                .labelNames("request").register(registry);
    }

    /** Counts and (rate-limited) logs a refused request. */
    void refused(BridgeState bridge, AllocationErrorPolicy.Request request, ColibriException ce, String context) {
        String condition = AllocationErrorPolicy.conditionLabel(ce);
        refused.labels(request.label(), condition).inc();
        String key = bridge.id() + "\u0000" + request + "\u0000" + ce.label();
        LogState st = logged.computeIfAbsent(key, k -> new LogState());
        Instant now = clock.instant();
        if (st.last == null || !now.isBefore(st.last.plus(LOG_INTERVAL))) {
            log.warn("Bridge {} ({}) refused a {} request: {} \"{}\" ({}){}; the bridge is not counted as failed",
                    bridge.nick(), bridge.id(), request.label(), ce.label(), ce.getMessage(), context,
                    st.suppressed > 0 ? " [" + st.suppressed + " more since the last report]" : "");
            st.last = now;
            st.suppressed = 0;
        } else {
            st.suppressed++;
            log.debug("Bridge {} refused a {} request again: {} ({})", bridge.nick(), request.label(), ce.label(),
                    context);
        }
    }

    /** True when the bridge refused SCTP: request no SCTP from it. */
    boolean noSctp(String bridgeId) {
        return noSctp.contains(bridgeId);
    }

    /** The bridge refused SCTP: remember it (logged once per bridge) and count the fallback. */
    void sctpRefused(BridgeState bridge, AllocationErrorPolicy.Request request, ColibriException ce) {
        sctpFallbacks.labels(request.label()).inc();
        if (noSctp.add(bridge.id())) {
            log.warn("Bridge {} ({}) has no SCTP support (it answered \"{}\"): its endpoints and relays are created "
                            + "without SCTP data channels from now on. Set jicofo.sctp.enabled = false (and "
                            + "jicofo.octo.sctp-datachannels, which follows it) or enable SCTP on the bridge.",
                    bridge.nick(), bridge.id(), ce.getMessage());
        }
    }

    /** The bridge left or restarted: what it refused before may work now. */
    void forget(String bridgeId) {
        noSctp.remove(bridgeId);
        logged.keySet().removeIf(k -> k.startsWith(bridgeId + "\u0000"));
    }
}
