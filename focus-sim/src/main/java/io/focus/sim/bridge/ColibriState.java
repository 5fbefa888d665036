package io.focus.sim.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.w3c.dom.Element;

import io.focus.sim.xml.Xml;

/**
 * The mutable per-endpoint and per-relay state of a {@link ColibriModel} conference, and the reading of the Colibri2
 * elements that change it ({@code <transport>} wrapping an ICE-UDP transport, {@code <sources>} of
 * {@code media-source}s). Owned by the bridge's control thread; tests see it through immutable
 * {@link BridgeEndpoint} / {@link BridgeRelay} copies.
 */
final class ColibriState {
    private ColibriState() { }

    /** The remote side's ICE-UDP transport as the focus passed it on. Any field may be null. */
    record RemoteTransport(String ufrag, String pwd, String fingerprint, String hash, String setup, int candidates,
                           String webSocket) {
        /** ufrag, pwd and fingerprint: what ICE + DTLS need (candidates may come from connectivity checks). */
        boolean complete() {
            return ufrag != null && !ufrag.isEmpty() && pwd != null && !pwd.isEmpty() && fingerprint != null
                    && !fingerprint.isEmpty();
        }

        /** This transport updated by a newer one: present fields win, candidates add up. */
        RemoteTransport merge(RemoteTransport n) {
            return new RemoteTransport(or(n.ufrag, ufrag), or(n.pwd, pwd), or(n.fingerprint, fingerprint),
                    or(n.hash, hash), or(n.setup, setup), candidates + n.candidates, or(n.webSocket, webSocket));
        }

        private static String or(String a, String b) {
            return a != null ? a : b;
        }
    }

    /** One {@code <media-source type id>} with its SSRCs and groups. */
    record MediaSourceEntry(String type, String id, List<Long> ssrcs, List<BridgeSsrcGroup> groups) { }

    /** A local endpoint. */
    static final class Endpoint {
        final String id;
        RemoteTransport remote;
        List<MediaSourceEntry> sources = List.of();

        Endpoint(String id) {
            this.id = id;
        }

        BridgeEndpoint snapshot() {
            RemoteTransport t = remote;
            Set<Long> ssrcs = ssrcsOf(sources);
            return new BridgeEndpoint(id, t == null ? null : t.ufrag(), t == null ? null : t.pwd(),
                    t == null ? null : t.fingerprint(), t == null ? null : t.hash(), t == null ? null : t.setup(),
                    t == null ? 0 : t.candidates(), ssrcs, sources.stream().map(MediaSourceEntry::id).toList(),
                    sources.stream().flatMap(m -> m.groups().stream()).toList(), t != null && t.complete(),
                    !ssrcs.isEmpty());
        }
    }

    /** A relay towards another bridge, with the remote endpoints announced on it. */
    static final class Relay {
        final String id;
        final String meshId;
        RemoteTransport remote;
        final Map<String, List<MediaSourceEntry>> endpoints = new LinkedHashMap<>();

        Relay(String id, String meshId) {
            this.id = id;
            this.meshId = meshId;
        }

        BridgeRelay snapshot() {
            Map<String, Set<Long>> eps = new LinkedHashMap<>();
            endpoints.forEach((k, v) -> eps.put(k, Set.copyOf(ssrcsOf(v))));
            RemoteTransport t = remote;
            return new BridgeRelay(id, meshId, t != null && t.complete(), t == null ? null : t.ufrag(),
                    t == null ? null : t.fingerprint(), t == null ? null : t.setup(), eps);
        }
    }

    static Set<Long> ssrcsOf(List<MediaSourceEntry> sources) {
        Set<Long> out = new LinkedHashSet<>();
        sources.forEach(m -> out.addAll(m.ssrcs()));
        return out;
    }

    /**
     * The ICE-UDP transport inside a Colibri2 {@code <transport>} (the focus wraps the participant's or the other
     * bridge's transport: {@code <transport><transport xmlns=ice-udp ufrag pwd><fingerprint .../>...}), or empty
     * when it holds none (an endpoint create's {@code <transport ice-controlling='true'/>}).
     */
    static Optional<RemoteTransport> iceOf(Element colibriTransport) {
        Optional<Element> ice = Xml.child(colibriTransport, "transport", ColibriModel.ICE_NS);
        if (ice.isEmpty()) {
            return Optional.empty();
        }
        Element t = ice.get();
        Optional<Element> fp = Xml.child(t, "fingerprint", ColibriModel.DTLS_NS);
        String ws = Xml.child(t, "web-socket", ColibriModel.COLIBRI_NS).map(w -> Xml.attr(w, "url")).orElse(null);
        return Optional.of(new RemoteTransport(Xml.attr(t, "ufrag"), Xml.attr(t, "pwd"),
                fp.map(f -> f.getTextContent().trim()).orElse(null), fp.map(f -> Xml.attr(f, "hash")).orElse(null),
                fp.map(f -> Xml.attr(f, "setup")).orElse(null), Xml.children(t, "candidate").size(), ws));
    }

    /**
     * The {@code media-source}s of a Colibri2 {@code <sources>}. Sources and groups are
     * {@code urn:xmpp:jingle:apps:rtp:ssma:0} elements; a bad SSRC is refused with {@link IllegalArgumentException}.
     */
    static List<MediaSourceEntry> sourcesOf(Element sources) {
        List<MediaSourceEntry> out = new ArrayList<>();
        for (Element ms : Xml.children(sources, "media-source")) {
            List<Long> ssrcs = new ArrayList<>();
            for (Element s : Xml.children(ms, "source")) {
                ssrcs.add(ssrc(Xml.attr(s, "ssrc")));
            }
            List<BridgeSsrcGroup> groups = new ArrayList<>();
            for (Element g : Xml.children(ms, "ssrc-group")) {
                List<Long> members = new ArrayList<>();
                for (Element s : Xml.children(g, "source")) {
                    members.add(ssrc(Xml.attr(s, "ssrc")));
                }
                groups.add(new BridgeSsrcGroup(Xml.attr(g, "semantics"), members));
            }
            out.add(new MediaSourceEntry(Xml.attr(ms, "type"), Xml.attr(ms, "id"), ssrcs, groups));
        }
        return out;
    }

    private static long ssrc(String v) {
        try {
            long l = Long.parseLong(v == null ? "" : v.trim());
            if (l < 0 || l > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ssrc out of range: " + v);
            }
            return l;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad ssrc: " + v, e);
        }
    }
}
