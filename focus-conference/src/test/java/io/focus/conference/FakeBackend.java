package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import io.focus.core.colibri.Colibri2Transport;
import io.focus.core.colibri.IceUdpTransport;

/**
 * A hand-written Colibri2 backend with a small model of each bridge (conferences by meeting id, endpoints, relays and
 * their endpoints). By default it answers at once; a bridge can be told to fail requests or to hold them (a hang).
 */
final class FakeBackend implements ColibriBackend {
    /** Per bridge id: meeting id → conference. */
    final Map<String, Map<String, Conf>> model = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    /** The bridge's feedback sources, given only in the reply to a conference create (null: none at all). */
    io.focus.core.colibri.Sources feedbackOnCreate;
    /** Bridge id → what to answer (null: success). */
    final Map<String, Function<String, ColibriException>> faults = new HashMap<>();
    final Set<String> hung = new LinkedHashSet<>();
    /**
     * Bridge ids without SCTP support: like the real JVB of real-call e-002, an endpoint or relay that asks for SCTP
     * is refused with feature-not-implemented "SCTP support is not configured", and a conference create in that
     * request creates the conference all the same.
     */
    final Set<String> noSctp = new LinkedHashSet<>();
    /** Every allocation and relay create, with what it asked for. */
    final List<Request> requests = new ArrayList<>();

    /** One allocation ({@code op = "allocate"}) or relay create ({@code op = "relay-create"}). */
    record Request(String bridge, String op, String id, boolean create, boolean sctp) { }
    final List<Runnable[]> held = new ArrayList<>();

    static final class Conf {
        final Set<String> endpoints = new LinkedHashSet<>();
        final Map<String, Set<String>> relays = new TreeMap<>();
        final Map<String, String> relayTransports = new HashMap<>();
        /** Endpoint id → whether it was created with SCTP. */
        final Map<String, Boolean> endpointSctp = new HashMap<>();
    }

    private <T> CompletableFuture<T> answer(BridgeState b, String op, java.util.function.Supplier<T> ok) {
        calls.add(b.nick() + " " + op);
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> {
            Function<String, ColibriException> fault = faults.get(b.id());
            ColibriException e = fault == null ? null : fault.apply(op);
            if (e != null) {
                f.completeExceptionally(e);
                return;
            }
            try {
                f.complete(ok.get());
            } catch (ColibriException ce) {
                f.completeExceptionally(ce);
            }
        };
        if (hung.contains(b.id())) {
            held.add(new Runnable[] {r, () -> f.completeExceptionally(ColibriException.timeout("no reply from " + b.nick()))});
        } else {
            r.run();
        }
        return f;
    }

    /** The hung bridges' requests time out now. */
    void timeOutHeld() {
        List<Runnable[]> h = new ArrayList<>(held);
        held.clear();
        h.forEach(x -> x[1].run());
    }

    /** The hung bridges answer their held requests now, in order. */
    void answerHeld() {
        List<Runnable[]> h = new ArrayList<>(held);
        held.clear();
        h.forEach(x -> x[0].run());
    }

    private Map<String, Conf> bridge(BridgeState b) {
        return model.computeIfAbsent(b.id(), k -> new LinkedHashMap<>());
    }

    private Conf existing(BridgeState b, ConferenceSpec c) {
        Conf conf = bridge(b).get(c.meetingId());
        if (conf == null) {
            throw ColibriException.error("item-not-found", ColibriException.CONFERENCE_NOT_FOUND, "no conference");
        }
        return conf;
    }

    @Override public CompletableFuture<Allocation> allocate(BridgeState b, ConferenceSpec c, EndpointSpec ep,
                                                            boolean create) {
        requests.add(new Request(b.nick(), "allocate", ep.id(), create, ep.sctp()));
        return answer(b, "allocate " + ep.id() + (create ? " create" : "") + (ep.replace() ? " replace" : ""), () -> {
            Conf conf;
            if (create) {
                if (bridge(b).containsKey(c.meetingId())) {
                    throw ColibriException.error("conflict", ColibriException.CONFERENCE_ALREADY_EXISTS,
                            "Conference already exists for ID: " + c.meetingId());
                }
                conf = new Conf();
                bridge(b).put(c.meetingId(), conf);
            } else {
                conf = existing(b, c);
            }
            if (ep.replace()) {
                conf.endpoints.remove(ep.id());
            }
            if (conf.endpoints.contains(ep.id())) {
                throw ColibriException.error("conflict", null, "Endpoint with ID " + ep.id() + " already exists");
            }
            // as a real JVB: the endpoint is created before its transport's SCTP is refused, and stays
            conf.endpoints.add(ep.id());
            conf.endpointSctp.put(ep.id(), ep.sctp());
            if (ep.sctp() && noSctp.contains(b.id())) {
                throw ColibriException.error("feature-not-implemented", null, "SCTP support is not configured");
            }
            return new Allocation(b.id(), null, null, null,
                    Colibri2Transport.of(IceUdpTransport.builder().ufrag(ep.id()).pwd("pwd").build()),
                    create ? feedbackOnCreate : null, ep.sctp() ? 5000 : null);
        });
    }

    @Override public CompletableFuture<Void> expireEndpoint(BridgeState b, ConferenceSpec c, String id) {
        return answer(b, "expire " + id, () -> {
            existing(b, c).endpoints.remove(id);
            return null;
        });
    }

    @Override public CompletableFuture<Void> expireConference(BridgeState b, ConferenceSpec c) {
        return answer(b, "expire-conference", () -> {
            bridge(b).remove(c.meetingId());
            return null;
        });
    }

    @Override public CompletableFuture<RelayTransport> createRelay(BridgeState b, ConferenceSpec c, String relayId,
                                                                   List<EndpointSpec> eps, boolean initiator,
                                                                   boolean sctp) {
        requests.add(new Request(b.nick(), "relay-create", relayId, true, sctp));
        return answer(b, "relay-create " + relayId + " " + ids(eps) + (initiator ? " initiator" : ""), () -> {
            Conf conf = existing(b, c);
            if (sctp && noSctp.contains(b.id())) {
                throw ColibriException.error("feature-not-implemented", null, "SCTP support is not configured");
            }
            Set<String> s = new LinkedHashSet<>();
            eps.forEach(e -> s.add(e.id()));
            conf.relays.put(relayId, s);
            return new RelayTransport(Colibri2Transport.of(IceUdpTransport.builder().ufrag(b.nick()).pwd("pwd").build()));
        });
    }

    @Override public CompletableFuture<Void> updateRelayTransport(BridgeState b, ConferenceSpec c, String relayId,
                                                                  RelayTransport remote, boolean remoteIsInitiator,
                                                                  boolean sctp) {
        return answer(b, "relay-transport " + relayId, () -> {
            Conf conf = existing(b, c);
            if (!conf.relays.containsKey(relayId)) {
                throw ColibriException.error("item-not-found", null, "no relay " + relayId);
            }
            conf.relayTransports.put(relayId, remote.transport().iceUdp().ufrag());
            return null;
        });
    }

    @Override public CompletableFuture<Void> addRelayEndpoints(BridgeState b, ConferenceSpec c, String relayId,
                                                               List<EndpointSpec> eps) {
        return answer(b, "relay-add " + relayId + " " + ids(eps), () -> {
            Set<String> s = existing(b, c).relays.get(relayId);
            eps.forEach(e -> s.add(e.id()));
            return null;
        });
    }

    @Override public CompletableFuture<Void> expireRelayEndpoint(BridgeState b, ConferenceSpec c, String relayId,
                                                                 String endpointId) {
        return answer(b, "relay-expire-endpoint " + relayId + " " + endpointId, () -> {
            existing(b, c).relays.get(relayId).remove(endpointId);
            return null;
        });
    }

    @Override public CompletableFuture<Void> expireRelay(BridgeState b, ConferenceSpec c, String relayId) {
        return answer(b, "relay-expire " + relayId, () -> {
            existing(b, c).relays.remove(relayId);
            return null;
        });
    }

    @Override public CompletableFuture<Void> updateEndpoint(BridgeState b, ConferenceSpec c, String endpointId,
                                                            String statsId, IceUdpTransport transport, io.focus.core.colibri.Sources sources) {
        return answer(b, "update " + endpointId + (transport != null ? " transport" : "") + " " + sources.ssrcs(),
                () -> {
                    if (!existing(b, c).endpoints.contains(endpointId)) {
                        // as the real JVB answers (real-call e-008)
                        throw ColibriException.error("item-not-found", ColibriException.UNKNOWN_ENDPOINT,
                                "Endpoint not found for ID: " + endpointId);
                    }
                    return null;
                });
    }

    @Override public CompletableFuture<Void> updateRelayEndpoint(BridgeState b, ConferenceSpec c, String relayId,
                                                                 String endpointId, io.focus.core.colibri.Sources sources) {
        return answer(b, "relay-update " + relayId + " " + endpointId + " " + sources.ssrcs(), () -> {
            Set<String> s = existing(b, c).relays.get(relayId);
            if (s == null || !s.contains(endpointId)) {
                throw ColibriException.error("item-not-found", null, "unknown relay endpoint " + endpointId);
            }
            return null;
        });
    }

    private static String ids(List<EndpointSpec> eps) {
        return eps.stream().map(EndpointSpec::id).toList().toString();
    }

    /** Endpoint ids on the bridge (all conferences). */
    Set<String> endpointsOn(String bridgeId) {
        Set<String> s = new LinkedHashSet<>();
        model.getOrDefault(bridgeId, Map.of()).values().forEach(c -> s.addAll(c.endpoints));
        return s;
    }

    int conferencesOn(String bridgeId) {
        return model.getOrDefault(bridgeId, Map.of()).size();
    }

    /** Relay id → endpoint ids on the bridge for the meeting. */
    Map<String, Set<String>> relaysOn(String bridgeId, String meetingId) {
        Conf c = model.getOrDefault(bridgeId, Map.of()).get(meetingId);
        return c == null ? Map.of() : c.relays;
    }

    void restart(String bridgeId) {
        model.remove(bridgeId);
    }
}
