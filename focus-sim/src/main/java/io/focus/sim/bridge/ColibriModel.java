package io.focus.sim.bridge;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.w3c.dom.Element;

import io.focus.sim.bridge.ColibriState.Endpoint;
import io.focus.sim.bridge.ColibriState.MediaSourceEntry;
import io.focus.sim.bridge.ColibriState.Relay;
import io.focus.sim.xml.Xml;

/**
 * A model of a JVB's conferences, endpoints and relays, answering Colibri2 {@code conference-modify} requests the
 * way the recorded jitsi-videobridge 2.3 did (fixtures {@code real-call/} sequences a, b and e): the same replies,
 * the same errors, and the same state left behind by a failed request (a real JVB applies a request element by
 * element and does not roll back, so e.g. a create whose endpoint asks for SCTP leaves the conference and the endpoint
 * in place while the answer is an error).
 *
 * <p>It records what the focus told the bridge: per local endpoint the participant's ICE ufrag/pwd, DTLS
 * fingerprint and sources; per relay the other bridge's transport and the remote endpoints with their sources. Tests
 * read that through {@link #snapshot()} ({@link BridgeEndpoint}, {@link BridgeRelay}).
 *
 * <p>Not thread-safe: the owning {@link SimBridge} calls it from its one control thread.
 */
public final class ColibriModel {
    public static final String NS = "jitsi:colibri2";
    static final String ICE_NS = "urn:xmpp:jingle:transports:ice-udp:1";
    static final String DTLS_NS = "urn:xmpp:jingle:apps:dtls:0";
    static final String COLIBRI_NS = "http://jitsi.org/protocol/colibri";
    static final String SSMA_NS = "urn:xmpp:jingle:apps:rtp:ssma:0";
    /** The SCTP port a JVB answers with when SCTP is enabled. */
    static final int SCTP_PORT = 5000;

    private final String relayId;
    private final Random random;
    private final String fingerprint;
    private final int mediaPort;
    private final int wsPort;
    private boolean sctpSupported;
    private String hostOnlyAddress;
    private final Map<String, Conf> conferences = new LinkedHashMap<>();

    private static final class Conf {
        final String meetingId;
        final String name;
        final String wsId;
        final long audioSsrc;
        final long videoSsrc;
        final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        final Map<String, Relay> relays = new LinkedHashMap<>();

        Conf(String meetingId, String name, String wsId, long audioSsrc, long videoSsrc) {
            this.meetingId = meetingId;
            this.name = name;
            this.wsId = wsId;
            this.audioSsrc = audioSsrc;
            this.videoSsrc = videoSsrc;
        }
    }

    /** A request the model refuses: becomes an IQ error. */
    private static final class Refusal extends Exception {
        final String condition;
        final String reason;
        final String extraXml;

        Refusal(String condition, String text, String reason) {
            this(condition, text, reason, null);
        }

        Refusal(String condition, String text, String reason, String extraXml) {
            super(text, null, false, false);
            this.condition = condition;
            this.reason = reason;
            this.extraXml = extraXml;
        }
    }

    /**
     * A bridge without SCTP (as the recorded bridges, {@code videobridge.sctp.enabled=false}) advertising a host
     * candidate on 192.0.2.2 and a srflx one on 127.0.0.1 (as the older {@code real-jitsi/} capture).
     */
    public ColibriModel(String relayId, long seed, int mediaPort, int wsPort) {
        this.relayId = relayId;
        this.random = new Random(seed);
        this.mediaPort = mediaPort;
        this.wsPort = wsPort;
        byte[] fp = new byte[32];
        random.nextBytes(fp);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fp.length; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format("%02X", fp[i] & 0xff));
        }
        this.fingerprint = b.toString();
    }

    /**
     * SCTP on or off (default off, like the recorded bridges). Off: an endpoint or relay whose {@code <transport>}
     * holds {@code <sctp>} gets {@code feature-not-implemented} "SCTP support is not configured", after the
     * endpoint (relay) was created, as a real JVB does.
     */
    public void setSctpSupported(boolean on) {
        this.sctpSupported = on;
    }

    /**
     * Advertise one {@code host} candidate on {@code address} (as the {@code real-call/} bridges did with
     * 127.0.0.1) instead of the default host + srflx pair; null restores the default.
     */
    public void setHostOnlyCandidate(String address) {
        this.hostOnlyAddress = address;
    }

    /**
     * Applies one {@code conference-modify} and returns the reply.
     *
     * @param gracefulShutdown when true, conference creates are refused with {@code service-unavailable} +
     *                         {@code graceful_shutdown} (the real JVB's behaviour)
     */
    public ColibriReply handle(Element request, boolean gracefulShutdown) {
        Map<String, String> echo = Xml.attributes(request);
        try {
            return new ColibriReply.Result(apply(request, gracefulShutdown));
        } catch (Refusal r) {
            return new ColibriReply.Error(r.condition, r.getMessage(), r.reason, echo, r.extraXml);
        } catch (IllegalArgumentException e) {
            return new ColibriReply.Error("bad-request", e.getMessage(), null, echo);
        }
    }

    private String apply(Element req, boolean gracefulShutdown) throws Refusal {
        if (!"conference-modify".equals(req.getLocalName()) || !NS.equals(req.getNamespaceURI())) {
            throw new Refusal("bad-request", "Not a conference-modify", null);
        }
        String meetingId = Xml.attr(req, "meeting-id");
        if (meetingId == null || meetingId.isBlank()) {
            throw new Refusal("bad-request", "Missing meeting-id", null);
        }
        Conf conf = conferences.get(meetingId);
        boolean create = Xml.boolAttr(req, "create");
        if (create) {
            if (conf != null) {
                throw new Refusal("conflict", "Conference already exists for ID: " + meetingId, "conference_already_exists");
            }
            if (gracefulShutdown) {
                throw new Refusal("service-unavailable", "In graceful shutdown", "graceful_shutdown");
            }
            conf = new Conf(meetingId, Xml.attr(req, "name"), hex(16), 1_000_000L + (random.nextLong() & 0x7fffffffL),
                    1_000_000L + (random.nextLong() & 0x7fffffffL));
            conferences.put(meetingId, conf);
        } else if (conf == null) {
            throw new Refusal("item-not-found", "Conference not found for ID: " + meetingId, "conference_not_found");
        }
        if (Xml.boolAttr(req, "expire")) {
            conferences.remove(meetingId);
            return "";
        }
        StringBuilder out = new StringBuilder();
        boolean endpointCreated = false;
        // like the JVB: all endpoints first, then all relays
        for (Element e : Xml.children(req, "endpoint")) {
            endpointCreated |= endpoint(conf, e, out);
        }
        for (Element r : Xml.children(req, "relay")) {
            relay(conf, r, out);
        }
        if (create || endpointCreated) {
            out.append("<sources>")
                    .append("<media-source type='audio' id='jvb-a0'><source xmlns='").append(SSMA_NS)
                    .append("' ssrc='").append(conf.audioSsrc).append("' name='jvb-a0'/></media-source>")
                    .append("<media-source type='video' id='jvb-v0'><source xmlns='").append(SSMA_NS)
                    .append("' ssrc='").append(conf.videoSsrc).append("' name='jvb-v0'/></media-source>")
                    .append("</sources>");
        }
        if (!create && conf.endpoints.isEmpty() && conf.relays.isEmpty()) {
            // like the JVB: a non-create request leaving no endpoint and no relay expires the conference
            conferences.remove(meetingId);
        }
        return out.toString();
    }

    /** One {@code <endpoint>}; returns whether it was created. */
    private boolean endpoint(Conf conf, Element e, StringBuilder out) throws Refusal {
        String id = Xml.attr(e, "id");
        if (id == null) {
            throw new Refusal("bad-request", "Missing endpoint id", null);
        }
        if (Xml.boolAttr(e, "expire")) {
            conf.endpoints.remove(id);
            out.append("<endpoint id='").append(Xml.esc(id)).append("' expire='true'/>");
            return false;
        }
        Optional<Element> transport = Xml.child(e, "transport", NS);
        boolean create = Xml.boolAttr(e, "create");
        Endpoint ep;
        if (create) {
            if (conf.endpoints.containsKey(id)) {
                throw new Refusal("conflict", "Endpoint with ID " + id + " already exists", null);
            }
            if (transport.isEmpty()) {
                throw new Refusal("bad-request", "Attempt to create endpoint " + id + " with no <transport>", null);
            }
            ep = new Endpoint(id);
            conf.endpoints.put(id, ep);
            if (Xml.child(transport.get(), "sctp").isPresent() && !sctpSupported) {
                throw new Refusal("feature-not-implemented", "SCTP support is not configured", null);
            }
        } else {
            ep = conf.endpoints.get(id);
            if (ep == null) {
                throw new Refusal("item-not-found", "Endpoint not found for ID: " + id, "unknown_endpoint",
                        "<endpoint xmlns='" + NS + "' id='" + Xml.esc(id) + "'/>");
            }
        }
        transport.flatMap(ColibriState::iceOf).ifPresent(t -> ep.remote = ep.remote == null ? t : ep.remote.merge(t));
        Optional<Element> sources = Xml.child(e, "sources", NS);
        if (sources.isPresent()) {
            ep.sources = List.copyOf(ColibriState.sourcesOf(sources.get()));
        }
        if (create) {
            boolean sctp = Xml.child(transport.get(), "sctp").isPresent();
            out.append("<endpoint id='").append(Xml.esc(id)).append("'>")
                    .append(transport("colibri-ws", conf.wsId, id, false, sctp)).append("</endpoint>");
        } else {
            out.append("<endpoint id='").append(Xml.esc(id)).append("'/>");
        }
        return create;
    }

    private void relay(Conf conf, Element r, StringBuilder out) throws Refusal {
        String id = Xml.attr(r, "id");
        if (id == null) {
            throw new Refusal("bad-request", "Missing relay id", null);
        }
        if (Xml.boolAttr(r, "expire")) {
            conf.relays.remove(id);
            out.append("<relay id='").append(Xml.esc(id)).append("' expire='true'/>");
            return;
        }
        Optional<Element> transport = Xml.child(r, "transport", NS);
        boolean create = Xml.boolAttr(r, "create");
        Relay relay;
        if (create) {
            if (conf.relays.containsKey(id)) {
                throw new Refusal("conflict", "Relay with ID " + id + " already exists", null);
            }
            if (transport.isEmpty()) {
                throw new Refusal("bad-request", "Attempt to create relay " + id + " with no <transport>", null);
            }
            relay = new Relay(id, Xml.attr(r, "mesh-id"));
            conf.relays.put(id, relay);
        } else {
            relay = conf.relays.get(id);
            if (relay == null) {
                throw new Refusal("bad-request", "Unknown relay " + id, null);
            }
        }
        if (transport.isPresent() && Xml.child(transport.get(), "sctp").isPresent() && !sctpSupported) {
            throw new Refusal("feature-not-implemented", "SCTP support is not configured", null);
        }
        transport.flatMap(ColibriState::iceOf)
                .ifPresent(t -> relay.remote = relay.remote == null ? t : relay.remote.merge(t));
        for (Element eps : Xml.children(r, "endpoints")) {
            for (Element ep : Xml.children(eps, "endpoint")) {
                relayEndpoint(relay, ep);
            }
        }
        if (create) {
            boolean unique = Xml.boolAttr(transport.get(), "use-unique-port");
            out.append("<relay id='").append(Xml.esc(id)).append("'>")
                    .append(transport("colibri-relay-ws", conf.wsId, id, unique, false)).append("</relay>");
        } else {
            out.append("<relay id='").append(Xml.esc(id)).append("'/>");
        }
    }

    /** A remote endpoint on a relay: sources replaced on every create/update; an update of an unknown one is ignored. */
    private static void relayEndpoint(Relay relay, Element ep) {
        String epId = Xml.attr(ep, "id");
        if (epId == null) {
            return;
        }
        if (Xml.boolAttr(ep, "expire")) {
            relay.endpoints.remove(epId);
            return;
        }
        List<MediaSourceEntry> sources = Xml.child(ep, "sources", NS).map(ColibriState::sourcesOf).orElse(List.of());
        if (Xml.boolAttr(ep, "create") || relay.endpoints.containsKey(epId)) {
            relay.endpoints.put(epId, List.copyOf(sources));
        }
    }

    private String transport(String wsPath, String confWsId, String id, boolean uniquePort, boolean sctp) {
        String ufrag = alnum(14);
        String pwd = alnum(26);
        int port = uniquePort ? 30000 + random.nextInt(30000) : mediaPort;
        StringBuilder b = new StringBuilder("<transport><transport xmlns='" + ICE_NS + "' pwd='" + pwd + "' ufrag='"
                + ufrag + "'><rtcp-mux/>"
                + "<fingerprint xmlns='" + DTLS_NS + "' setup='actpass' hash='sha-256'>" + fingerprint + "</fingerprint>"
                + "<web-socket xmlns='" + COLIBRI_NS + "' url='ws://127.0.0.1:" + wsPort + "/" + wsPath + "/"
                + Xml.esc(relayId) + "/" + confWsId + "/" + Xml.esc(id) + "?pwd=" + alnum(22) + "'/>");
        if (hostOnlyAddress != null) {
            b.append("<candidate component='1' foundation='1' generation='0' id='").append(hex(33))
                    .append("' network='0' priority='2130706431' protocol='udp' type='host' ip='")
                    .append(Xml.esc(hostOnlyAddress)).append("' port='").append(port).append("'/>");
        } else {
            b.append("<candidate component='1' foundation='1' generation='0' id='").append(hex(24))
                    .append("' network='0' priority='2130706431' protocol='udp' type='host' ip='192.0.2.2' port='")
                    .append(port).append("'/>")
                    .append("<candidate component='1' foundation='2' generation='0' id='").append(hex(32))
                    .append("' network='0' priority='1694498815' protocol='udp' type='srflx' ip='127.0.0.1' port='")
                    .append(port).append("' rel-addr='192.0.2.2' rel-port='").append(port).append("'/>");
        }
        b.append("</transport>");
        if (sctp) {
            b.append("<sctp port='").append(SCTP_PORT).append("' role='server'/>");
        }
        return b.append("</transport>").toString();
    }

    /** Forgets everything (a bridge restart). */
    public void clear() {
        conferences.clear();
    }

    /** An immutable copy of every conference with its endpoints' and relays' state. */
    public ModelSnapshot snapshot() {
        Map<String, ConferenceState> m = new HashMap<>();
        conferences.forEach((k, c) -> {
            Map<String, Set<String>> relays = new HashMap<>();
            Map<String, BridgeRelay> relayDetails = new LinkedHashMap<>();
            c.relays.forEach((r, relay) -> {
                relays.put(r, Set.copyOf(relay.endpoints.keySet()));
                relayDetails.put(r, relay.snapshot());
            });
            Map<String, BridgeEndpoint> eps = new LinkedHashMap<>();
            c.endpoints.forEach((id, ep) -> eps.put(id, ep.snapshot()));
            m.put(k, new ConferenceState(c.meetingId, c.name, new LinkedHashSet<>(c.endpoints.keySet()), relays, eps,
                    relayDetails));
        });
        return new ModelSnapshot(m);
    }

    public int conferenceCount() {
        return conferences.size();
    }

    public int endpointCount() {
        return conferences.values().stream().mapToInt(c -> c.endpoints.size()).sum();
    }

    public int relayedEndpointCount() {
        return conferences.values().stream().mapToInt(c -> c.relays.values().stream()
                .mapToInt(r -> r.endpoints.size()).sum()).sum();
    }

    public int largestConference() {
        return conferences.values().stream().mapToInt(c -> c.endpoints.size()).max().orElse(0);
    }

    private String hex(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(random.nextInt(16), 16));
        }
        return b.toString();
    }

    private String alnum(int n) {
        String a = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(a.charAt(random.nextInt(a.length())));
        }
        return b.toString();
    }
}
