package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Sources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relays of one conference: a full mesh between its linked bridges (Octo on, every bridge with a relay id, the
 * conference created there), and on each relay exactly the placed participants behind the other bridge. Runs on the
 * conference's control loop only.
 *
 * <p>A relay that fails to come up never costs a healthy bridge its participants. What a failure means follows
 * {@link AllocationErrorPolicy} ({@link AllocationErrorPolicy.Request#RELAY}): the link (both relays of a pair of
 * bridges) is taken down and built again — at once without SCTP when a bridge refused SCTP, once for any other
 * refused request, otherwise up to {@code focus.octo.relay-max-attempts} times with backoff
 * ({@code focus.octo.relay-retry-backoff}, doubling). Only a timeout counts against the bridge. When the attempts are
 * used up the link stays down (logged at ERROR, counted in {@code focus_relay_failures_total}, shown as the
 * bridges' {@code failedRelays} in the conference view) and the participants stay where they are. Only a bridge that
 * lost the conference ({@code conference_not_found}) has its participants moved, by the conference.
 *
 * <p>Its replies and retries come back through the conference's own loop ({@code ctx.loop()}), so each is one message
 * of the conference, after which the conference publishes its view.
 */
final class RelayMesh {
    private static final Logger log = LoggerFactory.getLogger(RelayMesh.class);

    /** What the mesh needs from its conference. */
    interface Host {
        /** The bridges to link, oldest session first. */
        List<BridgeState> linkedBridges();

        /** Participants placed on the bridge (announced on the relays of the other bridges). */
        Set<String> placedOn(String bridgeId);

        EndpointSpec endpointSpec(String endpointId);

        /** The conference is gone from the bridge: its participants must be placed again. */
        void conferenceLost(String bridgeId, String reason);

        boolean ended();
    }

    private final ConferenceContext ctx;
    private final ConferenceSpec spec;
    private final String logPrefix;
    private final Host host;
    /** Bridge id → remote bridge id → the relay on that bridge. */
    private final Map<String, LinkedHashMap<String, Relay>> relays = new LinkedHashMap<>();
    /** Link key ({@code a + " " + b}, a the initiator) → link. */
    private final Map<String, Link> links = new LinkedHashMap<>();

    RelayMesh(ConferenceContext ctx, ConferenceSpec spec, String logPrefix, Host host) {
        this.ctx = ctx;
        this.spec = spec;
        this.logPrefix = logPrefix;
        this.host = host;
    }

    /** One relay: on a bridge, towards {@code remoteBridgeId}. */
    private static final class Relay {
        final String remoteBridgeId;
        final String remoteRelayId;
        final boolean initiator;
        final Link link;
        /** Endpoint ids announced on this relay. */
        final Set<String> endpoints = new LinkedHashSet<>();

        Relay(String remoteBridgeId, String remoteRelayId, boolean initiator, Link link) {
            this.remoteBridgeId = remoteBridgeId;
            this.remoteRelayId = remoteRelayId;
            this.initiator = initiator;
            this.link = link;
        }
    }

    /** The pair of relays between two bridges, and its retry state. */
    private static final class Link {
        final BridgeState a;
        final BridgeState b;
        boolean sctp;
        int failures;
        boolean refusalRetried;
        boolean gaveUp;
        String lastError;
        EventLoop.Cancellable retry;

        Link(BridgeState a, BridgeState b) {
            this.a = a;
            this.b = b;
        }

        String key() { return a.id() + " " + b.id(); }

        boolean has(String bridgeId) { return a.id().equals(bridgeId) || b.id().equals(bridgeId); }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Brings the relays in line with the linked bridges and their placed participants. */
    void sync() {
        if (host.ended()) {
            return;
        }
        List<BridgeState> linked = host.linkedBridges();
        Set<String> linkedIds = new LinkedHashSet<>();
        linked.forEach(b -> linkedIds.add(b.id()));
        // Drop links to bridges that are no longer linked (expiring the relay on the side still there).
        for (Link l : new ArrayList<>(links.values())) {
            if (!linkedIds.contains(l.a.id()) || !linkedIds.contains(l.b.id())) {
                drop(l);
            }
        }
        for (int i = 0; i < linked.size(); i++) {
            for (int j = i + 1; j < linked.size(); j++) {
                BridgeState a = linked.get(i);
                BridgeState b = linked.get(j);
                if (!links.containsKey(a.id() + " " + b.id()) && !links.containsKey(b.id() + " " + a.id())) {
                    Link l = new Link(a, b);
                    links.put(l.key(), l);
                    log.info("{} linking {} and {} with relays", logPrefix, a.nick(), b.nick());
                    create(l);
                }
            }
        }
        for (BridgeState on : linked) {
            Map<String, Relay> rs = relays.get(on.id());
            if (rs == null) {
                continue;
            }
            for (Relay r : new ArrayList<>(rs.values())) {
                syncEndpoints(on, r);
            }
        }
    }

    private void syncEndpoints(BridgeState on, Relay r) {
        Set<String> desired = host.placedOn(r.remoteBridgeId);
        List<EndpointSpec> add = new ArrayList<>();
        for (String id : desired) {
            if (!r.endpoints.contains(id)) {
                add.add(host.endpointSpec(id));
            }
        }
        for (String id : new ArrayList<>(r.endpoints)) {
            if (!desired.contains(id)) {
                r.endpoints.remove(id);
                ctx.expiries().expireRelayEndpoint(on, spec, r.remoteRelayId, id, logPrefix);
            }
        }
        if (!add.isEmpty()) {
            add.forEach(e -> r.endpoints.add(e.id()));
            ctx.expiries().beforeRelayEndpoints(on, spec, r.remoteRelayId, add.stream().map(EndpointSpec::id).toList(),
                    logPrefix);
            ctx.backend().addRelayEndpoints(on, spec, r.remoteRelayId, add).whenComplete((v, e) -> {
                if (e != null) {
                    ctx.loop().execute(() -> onFailed(on, r, "add relay endpoints", e, false));
                }
            });
        }
    }

    /** {@code a} (the older session) initiates; each side's transport is forwarded to the other. */
    private void create(Link l) {
        l.sctp = ctx.settings().octoSctp() && !ctx.refusals().noSctp(l.a.id()) && !ctx.refusals().noSctp(l.b.id());
        Relay ra = new Relay(l.b.id(), l.b.relayId(), true, l);
        Relay rb = new Relay(l.a.id(), l.a.relayId(), false, l);
        relays.computeIfAbsent(l.a.id(), k -> new LinkedHashMap<>()).put(l.b.id(), ra);
        relays.computeIfAbsent(l.b.id(), k -> new LinkedHashMap<>()).put(l.a.id(), rb);
        List<EndpointSpec> behindB = specs(host.placedOn(l.b.id()));
        List<EndpointSpec> behindA = specs(host.placedOn(l.a.id()));
        behindB.forEach(e -> ra.endpoints.add(e.id()));
        behindA.forEach(e -> rb.endpoints.add(e.id()));
        sendCreate(l.a, ra, l.b, rb, behindB);
        sendCreate(l.b, rb, l.a, ra, behindA);
    }

    private void sendCreate(BridgeState on, Relay relay, BridgeState remote, Relay remoteRelay,
                            List<EndpointSpec> eps) {
        boolean sctp = relay.link.sctp;
        CompletableFuture<RelayTransport> f;
        try {
            ctx.expiries().beforeCreateRelay(on, spec, relay.remoteRelayId, logPrefix);
            f = ctx.backend().createRelay(on, spec, relay.remoteRelayId, eps, relay.initiator, sctp);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((t, e) -> ctx.loop().execute(() -> {
            if (e != null) {
                onFailed(on, relay, "create relay", e, sctp);
                return;
            }
            if (host.ended() || current(on.id(), relay) == null || current(remote.id(), remoteRelay) == null) {
                return;
            }
            ctx.backend().updateRelayTransport(remote, spec, remoteRelay.remoteRelayId, t, relay.initiator, sctp)
                    .whenComplete((v, e2) -> {
                        if (e2 != null) {
                            ctx.loop().execute(() -> onFailed(remote, remoteRelay, "relay transport", e2, false));
                        }
                    });
        }));
    }

    /** The relay if it is still the one on {@code bridgeId}, else null. */
    private Relay current(String bridgeId, Relay r) {
        Map<String, Relay> rs = relays.get(bridgeId);
        return rs != null && rs.get(r.remoteBridgeId) == r ? r : null;
    }

    /** A relay request on {@code on} failed; see the class comment. */
    private void onFailed(BridgeState on, Relay relay, String what, Throwable e, boolean askedSctp) {
        if (host.ended() || current(on.id(), relay) == null || links.get(relay.link.key()) != relay.link) {
            return;
        }
        Link l = relay.link;
        ColibriException ce = ColibriException.of(e);
        AllocationErrorPolicy.Decision d = AllocationErrorPolicy.decide(AllocationErrorPolicy.Request.RELAY, ce,
                askedSctp);
        String context = what + " on " + on.nick() + " towards relay " + relay.remoteRelayId;
        if (d.refused()) {
            ctx.refusals().refused(on, AllocationErrorPolicy.Request.RELAY, ce, logPrefix + " " + context);
        } else {
            log.warn("{} {} failed: {} ({})", logPrefix, context, ce.label(), ce.getMessage());
        }
        l.lastError = what + " on " + on.nick() + ": " + ce.label();
        switch (d.feedback()) {
            case FAILED -> ctx.feedback().bridgeFailed(on.id(), "colibri2 relay timeout");
            case RESTARTED -> ctx.feedback().bridgeRestarted(on.id());
            case GRACEFUL -> ctx.feedback().gracefulShutdown(on.id());
            case NONE -> { }
        }
        switch (d.action()) {
            case MOVE_EVERYONE -> {
                host.conferenceLost(on.id(), ce.label() + " on " + on.nick() + " (" + what + ")");
                return;
            }
            case RETRY_RELAY_WITHOUT_SCTP -> {
                ctx.refusals().sctpRefused(on, AllocationErrorPolicy.Request.RELAY, ce);
                takeDown(l);
                create(l);
            }
            case RETRY_RELAY -> {
                boolean again;
                if (d.refused()) {
                    again = !l.refusalRetried;
                    l.refusalRetried = true;
                } else {
                    l.failures++;
                    again = l.failures < ctx.settings().relayMaxAttempts();
                }
                takeDown(l);
                if (again) {
                    scheduleRetry(l, d.refused() ? Duration.ZERO
                            : ctx.settings().relayBackoff(l.failures));
                } else {
                    giveUp(l);
                }
            }
            default -> throw new IllegalStateException("not a relay action: " + d);
        }
    }

    private void scheduleRetry(Link l, Duration delay) {
        log.info("{} building the relays between {} and {} again in {} ms ({})", logPrefix, l.a.nick(), l.b.nick(),
                delay.toMillis(), l.lastError);
        l.retry = ctx.loop().schedule(() -> {
            l.retry = null;
            if (host.ended() || links.get(l.key()) != l) {
                return;
            }
            create(l);
        }, delay);
    }

    private void giveUp(Link l) {
        l.gaveUp = true;
        ctx.metrics().relayFailures.inc();
        log.error("{} the relays between {} and {} could not be established ({} failure(s), last: {}). Participants "
                        + "stay where they are, but media does not flow between the two bridges until one of them "
                        + "leaves the conference.", logPrefix, l.a.nick(), l.b.nick(),
                l.failures + (l.refusalRetried ? 1 : 0), l.lastError);
    }

    /** Removes both relays of the link (expiring them on the bridges); the link itself stays. */
    private void takeDown(Link l) {
        cancel(l);
        expire(l.a, l.b.id());
        expire(l.b, l.a.id());
    }

    private void expire(BridgeState on, String remoteBridgeId) {
        Map<String, Relay> rs = relays.get(on.id());
        Relay r = rs == null ? null : rs.remove(remoteBridgeId);
        if (r != null) {
            ctx.expiries().expireRelay(on, spec, r.remoteRelayId, logPrefix);
        }
    }

    /**
     * Drops a link whose bridges are not both linked any more (a bridge whose session was removed is already gone
     * through {@link #bridgeRemoved}, so both sides still have the conference): both relays are expired.
     */
    private void drop(Link l) {
        links.remove(l.key());
        takeDown(l);
    }

    private static void cancel(Link l) {
        if (l.retry != null) {
            l.retry.cancel();
            l.retry = null;
        }
    }

    /**
     * The conference left the bridge (its session was removed; the conference there is expired or gone): its own
     * relays are forgotten, the relays towards it on the other bridges are expired.
     */
    void bridgeRemoved(String bridgeId) {
        for (Link l : new ArrayList<>(links.values())) {
            if (l.has(bridgeId)) {
                links.remove(l.key());
                cancel(l);
                BridgeState other = l.a.id().equals(bridgeId) ? l.b : l.a;
                expire(other, bridgeId);
            }
        }
        relays.remove(bridgeId);
    }

    /** The sources of {@code endpointId} (placed on {@code bridgeId}) changed: update the relays announcing it. */
    void endpointSources(String bridgeId, String endpointId, Sources sources, Map<String, BridgeState> bridges) {
        for (Map.Entry<String, LinkedHashMap<String, Relay>> e : relays.entrySet()) {
            Relay r = e.getValue().get(bridgeId);
            BridgeState on = bridges.get(e.getKey());
            if (r != null && on != null && r.endpoints.contains(endpointId)) {
                ctx.backend().updateRelayEndpoint(on, spec, r.remoteRelayId, endpointId, sources)
                        .whenComplete((v, ex) -> {
                            if (ex != null) {
                                ctx.loop().execute(() -> onFailed(on, r, "relay endpoint sources", ex, false));
                            }
                        });
            }
        }
    }

    /** For the view: per relay id on the bridge, the endpoint ids announced on it. */
    Map<String, List<String>> relayEndpoints(String bridgeId) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, Relay> rs = relays.get(bridgeId);
        if (rs != null) {
            rs.values().forEach(r -> out.put(r.remoteRelayId, List.copyOf(r.endpoints)));
        }
        return out;
    }

    /** For the view: relay ids of the links from this bridge that were given up. */
    List<String> failedRelays(String bridgeId) {
        List<String> out = new ArrayList<>();
        for (Link l : links.values()) {
            if (l.gaveUp && l.has(bridgeId)) {
                out.add(l.a.id().equals(bridgeId) ? l.b.relayId() : l.a.relayId());
            }
        }
        return out;
    }

    private List<EndpointSpec> specs(Set<String> ids) {
        List<EndpointSpec> out = new ArrayList<>();
        for (String id : ids) {
            out.add(host.endpointSpec(id));
        }
        return out;
    }
}
