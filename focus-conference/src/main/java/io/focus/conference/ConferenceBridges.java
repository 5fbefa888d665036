package io.focus.conference;

import io.focus.core.bridge.BridgeState;
import io.focus.core.colibri.Sources;
import io.focus.core.selection.ConferenceBridgeProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridges one conference uses: a {@link BridgeSession} per bridge (in the order the conference started using
 * them), who is on which, the registry's counts ({@link BridgeFeedback}), whether the conference may spread to
 * another bridge, and the relays between its bridges ({@link RelayMesh}). Runs on the conference's loop.
 */
final class ConferenceBridges {
    private final Conference conference;
    private final ConferenceContext ctx;
    private final LinkedHashMap<String, BridgeSession> sessions = new LinkedHashMap<>();
    private final RelayMesh mesh;

    ConferenceBridges(Conference conference) {
        this.conference = conference;
        this.ctx = conference.ctx();
        this.mesh = new RelayMesh(ctx, conference.spec(), conference.logPrefix(), new MeshHost());
    }

    BridgeSession get(String bridgeId) { return sessions.get(bridgeId); }

    boolean isEmpty() { return sessions.isEmpty(); }

    int count() { return sessions.size(); }

    /**
     * A bridge conference with this meeting id that a previous focus process made (a restarted focus takes its rooms
     * back): used as the conference's own, without create; the first allocation there of each of {@code endpoints}
     * replaces the endpoint the previous process left (expire and create in one request).
     */
    void adopt(BridgeState bridge, java.util.Set<String> endpoints) {
        if (conference.ended() || sessions.containsKey(bridge.id())) {
            return;
        }
        BridgeSession s = open(bridge);
        s.createSent = true;
        s.created = true;
        s.createAnswered = true;
        s.adopted = true;
        s.stale.addAll(endpoints);
    }

    /**
     * What adopted bridge conferences still hold of the previous process: endpoints nobody came back for are expired,
     * and an adopted bridge conference nobody was placed in is expired.
     *
     * @return the nicks of the bridges whose adopted conference was expired
     */
    List<String> dropStale() {
        List<String> expired = new ArrayList<>();
        for (BridgeSession s : new ArrayList<>(sessions.values())) {
            if (!s.adopted || conference.ended()) {
                continue;
            }
            s.adopted = false;
            if (s.members.isEmpty()) {
                expired.add(s.bridge.nick());
                remove(s, true);
                continue;
            }
            for (String id : s.stale) {
                if (s.members.stream().noneMatch(m -> m.id().equals(id))) {
                    ctx.expiries().expireEndpoint(s.bridge, conference.spec(), id, conference.logPrefix());
                }
            }
            s.stale.clear();
        }
        syncRelays();
        return expired;
    }

    /** The session is still the conference's use of its bridge (not removed, not replaced). */
    boolean current(BridgeSession s) { return sessions.get(s.bridge.id()) == s; }

    /** Starts using the bridge. */
    BridgeSession open(BridgeState bridge) {
        BridgeSession s = new BridgeSession(bridge);
        sessions.put(bridge.id(), s);
        ctx.feedback().conferenceAdded(bridge.id());
        return s;
    }

    /** The participant is being placed on the session's bridge: counted there from now on. */
    void join(Participant p, BridgeSession s, Instant now) {
        p.session = s;
        s.members.add(p);
        s.recentAdds.addLast(now);
        p.counted = true;
        ctx.feedback().endpointAdded(s.bridge.id());
    }

    /** Takes the participant off its session: expires its endpoint there, or the conference when it was the last. */
    void release(Participant p, BridgeSession s) {
        s.members.remove(p);
        uncount(p, s);
        p.detach();
        if (s.members.isEmpty()) {
            remove(s, true);
        } else if (s.createSent) {
            ctx.expiries().expireEndpoint(s.bridge, conference.spec(), p.id(), conference.logPrefix());
        }
    }

    /** Takes off a participant whose own allocation failed (nothing of it to expire); an empty session goes. */
    void detach(Participant p, BridgeSession s) {
        s.members.remove(p);
        uncount(p, s);
        p.detach();
        if (s.members.isEmpty()) {
            remove(s, s.created);
        }
    }

    private void uncount(Participant p, BridgeSession s) {
        if (p.counted) {
            p.counted = false;
            ctx.feedback().endpointRemoved(s.bridge.id());
        }
    }

    /**
     * Drops the session: its members are detached (the caller places them again), the relays to it are expired.
     *
     * @param expireOnBridge the bridge may still be there: expire the conference on it
     */
    void remove(BridgeSession s, boolean expireOnBridge) {
        if (!current(s)) {
            return;
        }
        sessions.remove(s.bridge.id());
        for (Participant p : s.members) {
            uncount(p, s);
            if (p.session == s) {
                p.detach();
            }
        }
        s.members.clear();
        if (expireOnBridge && s.createSent) {
            // one the bridge does not answer is owed, and sent again when it is heard from (OwedExpiries)
            ctx.expiries().expireConference(s.bridge, conference.spec(), conference.logPrefix());
        }
        mesh.bridgeRemoved(s.bridge.id());
        ctx.feedback().conferenceRemoved(s.bridge.id());
        if (!conference.ended()) {
            // a bridge left the conference: participants that could not spread may fit now
            ctx.loop().execute(() -> conference.placement().retryBlockedBySpread());
        }
    }

    /** Drops every session, expiring the conference on every bridge (the conference ends). */
    void removeAll() {
        for (BridgeSession s : new ArrayList<>(sessions.values())) {
            remove(s, true);
        }
    }

    /** True when the conference can use another bridge besides the ones it has. */
    boolean canSpread() {
        return ctx.settings().octoEnabled() && sessions.values().stream().allMatch(s -> s.bridge.relayId() != null);
    }

    boolean canSpreadTo(BridgeState bridge) {
        return bridge.relayId() != null && canSpread();
    }

    /** What the selection sees of the conference's bridges (members, recent joins). */
    Map<String, ConferenceBridgeProperties> forSelection(Instant now) {
        Map<String, ConferenceBridgeProperties> m = new LinkedHashMap<>();
        Instant cutoff = now.minus(ctx.settings().recentJoinWindow());
        for (BridgeSession s : sessions.values()) {
            while (!s.recentAdds.isEmpty() && s.recentAdds.peekFirst().isBefore(cutoff)) {
                s.recentAdds.removeFirst();
            }
            m.put(s.bridge.id(), new ConferenceBridgeProperties(s.members.size(), s.recentAdds.size(), false));
        }
        return m;
    }

    /** The placed members of the session, in join order. */
    List<Participant> placed(BridgeSession s) {
        return s.members.stream().filter(p -> p.is(ParticipantView.State.PLACED)).toList();
    }

    /** Placed participants on the bridge. */
    int placedOn(String bridgeId) {
        BridgeSession s = sessions.get(bridgeId);
        return s == null ? 0 : placed(s).size();
    }

    /** Brings the relays in line with the sessions ({@link RelayMesh}). */
    void syncRelays() {
        mesh.sync();
    }

    /** The participant's sources changed: the relays of the other bridges announcing it are updated. */
    void endpointSources(BridgeSession s, String endpointId, Sources sources) {
        Map<String, BridgeState> bridges = new LinkedHashMap<>();
        sessions.values().forEach(x -> bridges.put(x.bridge.id(), x.bridge));
        mesh.endpointSources(s.bridge.id(), endpointId, sources, bridges);
    }

    /** For the conference's view. */
    List<ConferenceView.BridgeUse> views() {
        List<ConferenceView.BridgeUse> out = new ArrayList<>(sessions.size());
        for (BridgeSession s : sessions.values()) {
            Map<String, List<String>> relayEndpoints = mesh.relayEndpoints(s.bridge.id());
            out.add(new ConferenceView.BridgeUse(s.bridge.id(), s.bridge.nick(), s.bridge.relayId(), s.id, s.created,
                    s.members.stream().map(Participant::id).toList(), List.copyOf(relayEndpoints.keySet()),
                    Map.copyOf(relayEndpoints), List.copyOf(mesh.failedRelays(s.bridge.id()))));
        }
        return List.copyOf(out);
    }

    /** What the relay mesh sees of the conference. */
    private final class MeshHost implements RelayMesh.Host {
        @Override public List<BridgeState> linkedBridges() {
            List<BridgeState> linked = new ArrayList<>();
            for (BridgeSession s : sessions.values()) {
                if (s.created && s.bridge.relayId() != null && ctx.settings().octoEnabled()) {
                    linked.add(s.bridge);
                }
            }
            return linked;
        }

        @Override public Set<String> placedOn(String bridgeId) {
            BridgeSession s = sessions.get(bridgeId);
            Set<String> ids = new LinkedHashSet<>();
            if (s != null) {
                placed(s).forEach(p -> ids.add(p.id()));
            }
            return ids;
        }

        @Override public EndpointSpec endpointSpec(String endpointId) {
            return conference.placement().endpointSpec(conference.participant(endpointId));
        }

        @Override public void conferenceLost(String bridgeId, String reason) {
            BridgeSession s = sessions.get(bridgeId);
            if (s != null) {
                conference.failover().bridgeLost(FailoverTrigger.BRIDGE_RESTARTED, s, reason);
            }
        }

        @Override public boolean ended() {
            return conference.ended();
        }
    }
}
