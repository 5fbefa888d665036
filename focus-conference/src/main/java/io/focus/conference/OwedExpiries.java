package io.focus.conference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.core.loop.EventLoop;
import io.focus.core.time.ClockTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiries the focus owes bridges. Every expire a conference sends (its conference on a bridge it leaves, an
 * endpoint, a relay, an endpoint behind a relay) goes through here; one that failed without the bridge answering
 * ({@link ColibriException#unanswered}: no reply, not sent, or bounced by the server) may have left the thing on the
 * bridge, so it is owed. (A bridge's own error reply, e.g. {@code item-not-found/conference_not_found}, says it is
 * gone: nothing is owed.)
 *
 * <p>Owed expiries are sent again when the bridge is heard from: on {@code SUSPICION_CLEARED} (it answered something
 * while suspect: a health check, stats, any Colibri2 reply), {@code RECOVERED} and {@code ADDED}, and by a sweep every
 * {@link #SWEEP_EVERY}, while anything is owed, for bridges that are present and not suspect (a debt recorded after the bridge was already
 * heard from again, or one not sent while the focus's own link was down). An expire still in flight that went to the
 * bridge while it was failed is sent once more then too ({@link #settle}), without waiting for its timeout. A re-send
 * that fails unanswered again stays
 * owed; one the bridge answers (a result, or an error saying it has no such thing) settles it ("owed expiry settled on
 * b5 for room X: ..."). A bridge that leaves ({@code REMOVED}) keeps its debts: a hung bridge that Prosody kicked from
 * the brewery comes back with its conferences (a 10-minute soak left 64 conferences on such bridges when its debts
 * went with it), and they are sent as soon as it is back ({@code ADDED}). Bounded: a bridge that restarted
 * ({@code RESTARTED}: it lost its conferences) takes its debts with it, and a debt goes {@link #OWED_FOR} after it
 * was first owed (a Caffeine expiry): "given up" (WARN) when its bridge is present and never answered, "dropped"
 * (INFO) when its bridge never came back (nothing of it is left anywhere).
 *
 * <p>Creating again what an expire is owed for would collide with the stale thing on the bridge ("Conference already
 * exists"), so the creates claim their debts first, on the loop, before they go out: {@link #beforeCreateConference}
 * and {@link #beforeCreateRelay} send the owed expire right before the create (the backend puts requests on the wire
 * in call order, so the bridge drops the stale one first), {@link #claimEndpoint} makes the allocation replace the
 * endpoint (expire and create in one request), {@link #beforeRelayEndpoints} sends owed relay endpoint expires first.
 * A claim also voids an expire still in flight for the same thing: its failure is not owed any more (the thing is in
 * use again). Everything runs on the conferences' loop; replies come back to it.
 */
final class OwedExpiries {
    private static final Logger log = LoggerFactory.getLogger(OwedExpiries.class);

    /** How long a debt is kept: past it, a bridge still unheard from is not going to be asked again. */
    static final Duration OWED_FOR = Duration.ofMinutes(10);
    /** How often debts of bridges that are present and not suspect are sent again. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    enum Kind { CONFERENCE, ENDPOINT, RELAY, RELAY_ENDPOINT }

    /** What is to be expired on a bridge: the conference, or a thing in it. */
    record Key(String bridgeId, String meetingId, Kind kind, String relayId, String endpointId) {
        boolean sameConference(Key o) {
            return bridgeId.equals(o.bridgeId) && meetingId.equals(o.meetingId);
        }

        String describe() {
            return switch (kind) {
                case CONFERENCE -> "the conference";
                case ENDPOINT -> "endpoint " + endpointId;
                case RELAY -> "relay " + relayId;
                case RELAY_ENDPOINT -> "endpoint " + endpointId + " of relay " + relayId;
            };
        }
    }

    /** One owed expiry. Mutable fields: loop only. */
    static final class Debt {
        final Key key;
        final BridgeState bridge;
        final ConferenceSpec spec;
        final Instant since;
        String lastFailure;
        int resends;

        Debt(Key key, BridgeState bridge, ConferenceSpec spec, Instant since, String lastFailure) {
            this.key = key;
            this.bridge = bridge;
            this.spec = spec;
            this.since = since;
            this.lastFailure = lastFailure;
        }

        String room() { return spec.roomJid(); }
    }

    /**
     * One expire in flight (identity: a later attempt for the same key replaces it). {@code mayBeLost}: it went to a
     * bridge the focus had failed (or that was gone), the first attempt for it, so a bridge that hung may never have
     * seen it; it is sent once more when the bridge is heard from, instead of waiting for its timeout.
     */
    private static final class Attempt {
        final BridgeState bridge;
        final ConferenceSpec spec;
        final String logPrefix;
        final boolean mayBeLost;

        Attempt(BridgeState bridge, ConferenceSpec spec, String logPrefix, boolean mayBeLost) {
            this.bridge = bridge;
            this.spec = spec;
            this.logPrefix = logPrefix;
            this.mayBeLost = mayBeLost;
        }
    }

    private final ColibriBackend backend;
    private final Bridges bridges;
    private final EventLoop loop;
    private final Clock clock;
    private final ConferenceMetrics metrics;
    private final Cache<Key, Debt> owed;
    /** The expire in flight for each key (loop only): a claim removes it, and its failure is then not owed. */
    private final Map<Key, Attempt> inFlight = new HashMap<>();
    private EventLoop.Cancellable sweeping;
    private final Duration owedFor;
    private boolean closed;

    OwedExpiries(ColibriBackend backend, Bridges bridges, EventLoop loop, Clock clock, ConferenceMetrics metrics) {
        this(backend, bridges, loop, clock, metrics, OWED_FOR);
    }

    OwedExpiries(ColibriBackend backend, Bridges bridges, EventLoop loop, Clock clock, ConferenceMetrics metrics,
                 Duration owedFor) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.bridges = Objects.requireNonNull(bridges, "bridges");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.owedFor = owedFor;
        this.owed = Caffeine.newBuilder().expireAfterWrite(owedFor).ticker(ClockTicker.of(clock))
                .executor(Runnable::run)
                .<Key, Debt>removalListener((k, d, cause) -> {
                    if (cause == RemovalCause.EXPIRED && d != null) {
                        if (this.bridges.snapshot().get(k.bridgeId()) == null) {
                            log.info("[room={}] owed expiry of {} on {} dropped: the bridge never came back in {}",
                                    d.room(), k.describe(), d.bridge.nick(), owedFor);
                            metrics.owedExpiries.labels("dropped").inc();
                        } else {
                            log.warn("[room={}] owed expiry of {} on {} given up: unanswered for {} (last: {}, {} "
                                    + "re-send(s))", d.room(), k.describe(), d.bridge.nick(), owedFor, d.lastFailure,
                                    d.resends);
                            metrics.owedExpiries.labels("given_up").inc();
                        }
                    }
                }).build();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expires (on the loop)

    /** Expires the conference on the bridge; it covers everything of the conference there, so their debts go. */
    void expireConference(BridgeState bridge, ConferenceSpec spec, String logPrefix) {
        Key k = key(bridge, spec, Kind.CONFERENCE, null, null);
        forget(x -> x.sameConference(k) && !x.equals(k));
        send(k, bridge, spec, logPrefix, false);
    }

    void expireEndpoint(BridgeState bridge, ConferenceSpec spec, String endpointId, String logPrefix) {
        send(key(bridge, spec, Kind.ENDPOINT, null, endpointId), bridge, spec, logPrefix, false);
    }

    /** Expires the relay; it covers the endpoints behind it, so their debts go. */
    void expireRelay(BridgeState bridge, ConferenceSpec spec, String relayId, String logPrefix) {
        Key k = key(bridge, spec, Kind.RELAY, relayId, null);
        forget(x -> underRelay(x, k));
        send(k, bridge, spec, logPrefix, false);
    }

    void expireRelayEndpoint(BridgeState bridge, ConferenceSpec spec, String relayId, String endpointId,
                             String logPrefix) {
        send(key(bridge, spec, Kind.RELAY_ENDPOINT, relayId, endpointId), bridge, spec, logPrefix, false);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Claims: before something is created again where an expire of it may be owed (on the loop)

    /**
     * The conference is about to be created on the bridge: an owed expire of it goes out first (in front of the
     * create), and every debt of the conference there is void (the conference is in use there again).
     */
    void beforeCreateConference(BridgeState bridge, ConferenceSpec spec, String logPrefix) {
        Key k = key(bridge, spec, Kind.CONFERENCE, null, null);
        Debt d = owed.getIfPresent(k);
        forget(x -> x.sameConference(k));
        if (d != null) {
            sendAhead(d, bridge, logPrefix, "before creating it there again");
        }
    }

    /**
     * The endpoint is about to be allocated again in the conference on the bridge (the conference is there): true
     * when an expire of it is owed, so the allocation must replace it (expire and create in one request). Either way
     * an expire of it is not owed any more. (An expire of it still in flight went out before the allocation: the
     * bridge drops the old endpoint first.)
     */
    boolean claimEndpoint(BridgeState bridge, ConferenceSpec spec, String endpointId) {
        Key k = key(bridge, spec, Kind.ENDPOINT, null, endpointId);
        boolean stale = owed.getIfPresent(k) != null;
        forget(k::equals);
        return stale;
    }

    /** The relay is about to be created on the bridge: an owed expire of it goes out first; its debts are void. */
    void beforeCreateRelay(BridgeState bridge, ConferenceSpec spec, String relayId, String logPrefix) {
        Key k = key(bridge, spec, Kind.RELAY, relayId, null);
        Debt d = owed.getIfPresent(k);
        forget(x -> x.equals(k) || underRelay(x, k));
        if (d != null) {
            sendAhead(d, bridge, logPrefix, "before creating it there again");
        }
    }

    /** Endpoints are about to be added to the relay on the bridge: owed expires of them go out first. */
    void beforeRelayEndpoints(BridgeState bridge, ConferenceSpec spec, String relayId, Collection<String> endpointIds,
                              String logPrefix) {
        for (String id : endpointIds) {
            Key k = key(bridge, spec, Kind.RELAY_ENDPOINT, relayId, id);
            Debt d = owed.getIfPresent(k);
            forget(k::equals);
            if (d != null) {
                sendAhead(d, bridge, logPrefix, "before adding it there again");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settling

    /** Stops the sweep (the focus is closing); debts are not sent again after it. */
    void stop() {
        closed = true;
        if (sweeping != null) {
            sweeping.cancel();
            sweeping = null;
        }
    }

    /** The gauge follows the debts; the sweep stops when nothing is owed. */
    private void changed() {
        metrics.owedExpiriesNow.set(owed.estimatedSize());
        if (owed.estimatedSize() == 0 && sweeping != null) {
            sweeping.cancel();
            sweeping = null;
        }
    }

    /** The sweep runs while anything is owed (no timer otherwise). */
    private void armSweep() {
        if (sweeping == null && !closed && owed.estimatedSize() > 0) {
            sweeping = loop.schedule(() -> {
                sweeping = null;
                if (!closed) {
                    sweep();
                    armSweep();
                }
            }, SWEEP_EVERY);
        }
    }

    /** A bridge event (on the loop): a bridge heard from again is asked again; one that left takes its debts along. */
    void onBridgeEvent(BridgeEvent event) {
        String id = event.bridge().id();
        switch (event.type()) {
            case SUSPICION_CLEARED, RECOVERED, ADDED -> settle(id, event.type().name().toLowerCase() + ": "
                    + event.reason());
            case REMOVED -> away(event.bridge(), event.reason());
            case RESTARTED -> drop(id, "it restarted and lost its conferences (" + event.reason() + ")");
            default -> { }
        }
    }

    /**
     * Ends what expired, and sends again the debts of bridges present and not suspect (one at a time per thing: not
     * while its last attempt is unanswered). Those of absent bridges wait for them ({@code ADDED}) or their bound.
     */
    void sweep() {
        owed.cleanUp();
        var snapshot = bridges.snapshot();
        List<String> heard = new ArrayList<>();
        for (Debt d : owed.asMap().values()) {
            String id = d.key.bridgeId();
            BridgeState now = snapshot.get(id);
            if (now != null && !now.suspect() && !heard.contains(id)) {
                heard.add(id);
            }
        }
        heard.forEach(id -> settle(id, "present and not suspect"));
        changed();
    }

    /** The bridge left: its debts wait for it (one line, so an operator sees why the gauge stays up). */
    private void away(BridgeState bridge, String reason) {
        long n = owed.asMap().keySet().stream().filter(k -> k.bridgeId().equals(bridge.id())).count();
        if (n > 0) {
            log.info("Keeping {} owed expir{} on {} while it is away ({}): sent when it is back, dropped after {}",
                    n, n == 1 ? "y" : "ies", bridge.nick(), reason, owedFor);
        }
    }

    /**
     * Sends every owed expiry of the bridge again (those not already in flight), and once more each expire still in
     * flight that went to it while it was failed: a bridge that hung may have dropped it, and its timeout (up to the
     * Colibri2 request timeout) would otherwise keep the thing on the bridge that long after the bridge is back (a
     * 10-minute soak's leak check found 70 conferences on a bridge that had resumed 12 s earlier, their first expires
     * still waiting for their timeout). A duplicate is harmless: the bridge answers it {@code conference_not_found}.
     */
    void settle(String bridgeId, String why) {
        BridgeState fresh = bridges.snapshot().get(bridgeId);
        List<Map.Entry<Key, Attempt>> lost = new ArrayList<>();
        inFlight.forEach((k, a) -> {
            if (a.mayBeLost && k.bridgeId().equals(bridgeId)) {
                lost.add(Map.entry(k, a));
            }
        });
        if (!lost.isEmpty()) {
            log.info("Sending {} expir{} to {} again: sent while it was failed, not answered yet ({})",
                    lost.size(), lost.size() == 1 ? "y" : "ies", lost.get(0).getValue().bridge.nick(), why);
            metrics.owedExpiries.labels("resent_in_flight").inc(lost.size());
            for (Map.Entry<Key, Attempt> e : lost) {
                Attempt a = e.getValue();
                send(e.getKey(), fresh != null ? fresh : a.bridge, a.spec, a.logPrefix, true);
            }
        }
        for (Debt d : new ArrayList<>(owed.asMap().values())) {
            if (d.key.bridgeId().equals(bridgeId) && !inFlight.containsKey(d.key)) {
                d.resends++;
                log.debug("[room={}] sending the owed expiry of {} on {} again ({})", d.room(), d.key.describe(),
                        d.bridge.nick(), why);
                send(d.key, fresh != null ? fresh : d.bridge, d.spec, "[room=" + d.room() + "]", true);
            }
        }
    }

    private void drop(String bridgeId, String why) {
        List<Debt> dropped = new ArrayList<>();
        for (Debt d : new ArrayList<>(owed.asMap().values())) {
            if (d.key.bridgeId().equals(bridgeId)) {
                dropped.add(d);
            }
        }
        forget(k -> k.bridgeId().equals(bridgeId));
        if (!dropped.isEmpty()) {
            log.info("Dropping {} owed expir{} on {}: {}", dropped.size(), dropped.size() == 1 ? "y" : "ies",
                    dropped.get(0).bridge.nick(), why);
            metrics.owedExpiries.labels("dropped").inc(dropped.size());
        }
    }

    /** The debts (for tests and the view). */
    List<Debt> debts() {
        return List.copyOf(owed.asMap().values());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Key key(BridgeState b, ConferenceSpec spec, Kind kind, String relayId, String endpointId) {
        return new Key(b.id(), spec.meetingId(), kind, relayId, endpointId);
    }

    private static boolean underRelay(Key x, Key relay) {
        return x.kind() == Kind.RELAY_ENDPOINT && x.sameConference(relay) && x.relayId().equals(relay.relayId());
    }

    /** Removes the debts and voids the in-flight expires of the matching keys. */
    private void forget(Predicate<Key> which) {
        owed.asMap().keySet().removeIf(which);
        inFlight.keySet().removeIf(which);
        changed();
    }

    private CompletableFuture<Void> request(Key k, BridgeState b, ConferenceSpec spec) {
        try {
            return switch (k.kind()) {
                case CONFERENCE -> backend.expireConference(b, spec);
                case ENDPOINT -> backend.expireEndpoint(b, spec, k.endpointId());
                case RELAY -> backend.expireRelay(b, spec, k.relayId());
                case RELAY_ENDPOINT -> backend.expireRelayEndpoint(b, spec, k.relayId(), k.endpointId());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends the expire, tracked: an unanswered failure is owed unless a claim voided it meanwhile. */
    private void send(Key k, BridgeState b, ConferenceSpec spec, String logPrefix, boolean settling) {
        BridgeState now = bridges.snapshot().get(k.bridgeId());
        Attempt token = new Attempt(b, spec, logPrefix, !settling && (now == null || !now.operational()));
        inFlight.put(k, token);
        request(k, b, spec).whenComplete((v, e) -> loop.execute(() -> done(k, b, spec, logPrefix, settling, token, e)));
    }

    private void done(Key k, BridgeState b, ConferenceSpec spec, String logPrefix, boolean settling, Attempt token,
                      Throwable e) {
        boolean current = inFlight.remove(k, token);
        if (!current && inFlight.containsKey(k)) {
            // sent again meanwhile (it went to a failed bridge): the later attempt decides
            log.debug("{} expiring {} on {}: the first attempt ended ({}); it was sent again meanwhile", logPrefix,
                    k.describe(), b.nick(), e == null ? "answered" : ColibriException.of(e).label());
            return;
        }
        Debt d = owed.getIfPresent(k);
        if (e == null) {
            if (current && d != null) {
                owed.invalidate(k);
                log.info("{} owed expiry settled on {} for room {}: {} expired after {} re-send(s)", logPrefix,
                        b.nick(), spec.roomJid(), k.describe(), d.resends);
                metrics.owedExpiries.labels("settled").inc();
            }
            changed();
            return;
        }
        ColibriException ce = ColibriException.of(e);
        if (!current) {
            // claimed meanwhile (created there again) or dropped with its bridge: nothing is owed for it any more
            log.info("{} expiring {} on {} failed: {} (not owed: {})", logPrefix, k.describe(), b.nick(), ce.label(),
                    settling ? "settled or dropped meanwhile" : "in use there again, or its bridge is gone");
            return;
        }
        if (!ce.unanswered()) {
            // the bridge answered: it has no such thing (item-not-found/...) or refused: nothing left to expire
            if (d != null) {
                owed.invalidate(k);
                log.info("{} owed expiry settled on {} for room {}: {} is gone there ({})", logPrefix, b.nick(),
                        spec.roomJid(), k.describe(), ce.label());
                metrics.owedExpiries.labels("settled").inc();
            } else {
                log.info("{} expiring {} on {} failed: {} (the bridge answered: nothing owed)", logPrefix,
                        k.describe(), b.nick(), ce.label());
            }
            changed();
            return;
        }
        if (d != null) {
            d.lastFailure = ce.label();
            log.info("{} owed expiry of {} on {} still unanswered: {} (owed since {})", logPrefix, k.describe(),
                    b.nick(), ce.label(), d.since);
            return;
        }
        owed.put(k, new Debt(k, b, spec, clock.instant(), ce.label()));
        metrics.owedExpiries.labels("owed").inc();
        changed();
        armSweep();
        log.info("{} expiring {} on {} failed: {}; owed: sent again when the bridge is heard from", logPrefix,
                k.describe(), b.nick(), ce.label());
    }

    /** Sends an owed expire in front of a create (untracked: the create that follows claims the thing). */
    private void sendAhead(Debt d, BridgeState b, String logPrefix, String when) {
        request(d.key, b, d.spec).whenComplete((v, e) -> loop.execute(() -> {
            if (e == null) {
                log.info("{} owed expiry settled on {} for room {}: {} expired {}", logPrefix, b.nick(), d.room(),
                        d.key.describe(), when);
                metrics.owedExpiries.labels("settled").inc();
            } else {
                ColibriException ce = ColibriException.of(e);
                log.info("{} owed expiry of {} on {}, sent {}: {} ({})", logPrefix, d.key.describe(), b.nick(), when,
                        ce.label(), ce.unanswered() ? "the create that follows claims it: not owed any more"
                                : "the bridge has no such thing: settled");
                if (!ce.unanswered()) {
                    metrics.owedExpiries.labels("settled").inc();
                }
            }
        }));
    }
}
