package io.focus.sim.bridge;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.w3c.dom.Element;

import io.focus.sim.xml.Xml;

/**
 * A small model of a JVB's conferences, endpoints and relays, answering Colibri2 {@code conference-modify}
 * requests the way the captured jitsi-videobridge did. Not thread-safe: the owning {@link SimBridge} calls it from
 * its one control thread.
 */
public final class ColibriModel {
    public static final String NS = "jitsi:colibri2";
    static final String ICE_NS = "urn:xmpp:jingle:transports:ice-udp:1";
    static final String DTLS_NS = "urn:xmpp:jingle:apps:dtls:0";
    static final String COLIBRI_NS = "http://jitsi.org/protocol/colibri";
    static final String SSMA_NS = "urn:xmpp:jingle:apps:rtp:ssma:0";

    private final String relayId;
    private final Random random;
    private final String fingerprint;
    private final int mediaPort;
    private final int wsPort;
    private boolean sctpSupported = true;
    private final Map<String, Conf> conferences = new LinkedHashMap<>();

    private static final class Conf {
        final String meetingId;
        final String name;
        final String wsId;
        final long audioSsrc;
        final long videoSsrc;
        final Set<String> endpoints = new LinkedHashSet<>();
        final Map<String, Set<String>> relays = new LinkedHashMap<>();

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

        Refusal(String condition, String text, String reason) {
            super(text, null, false, false);
            this.condition = condition;
            this.reason = reason;
        }
    }

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

    /** When false, endpoint or relay requests with {@code <sctp>} are refused like the captured bridge did. */
    public void setSctpSupported(boolean on) {
        this.sctpSupported = on;
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
            return new ColibriReply.Error(r.condition, r.getMessage(), r.reason, echo);
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
        } else if (conf == null) {
            throw new Refusal("item-not-found", "Conference not found for ID: " + meetingId, "conference_not_found");
        }
        if (!sctpSupported) {
            for (Element e : Xml.children(req)) {
                if (("endpoint".equals(e.getLocalName()) || "relay".equals(e.getLocalName()))
                        && e.getElementsByTagNameNS("*", "sctp").getLength() > 0) {
                    if (create && conf == null) {
                        // The real JVB creates the conference before it refuses the endpoint (real-call e-002: the
                        // same create again gets conflict/conference_already_exists, e-004).
                        conferences.put(meetingId, newConf(meetingId, Xml.attr(req, "name")));
                    }
                    throw new Refusal("feature-not-implemented", "SCTP support is not configured", null);
                }
            }
        }
        // validate before changing anything
        for (Element e : Xml.children(req)) {
            String id = Xml.attr(e, "id");
            if ("endpoint".equals(e.getLocalName())) {
                if (id == null) {
                    throw new Refusal("bad-request", "Missing endpoint id", null);
                }
                boolean exists = conf != null && conf.endpoints.contains(id);
                if (Xml.boolAttr(e, "create") && exists) {
                    throw new Refusal("bad-request", "Endpoint already exists: " + id, null);
                }
                if (!Xml.boolAttr(e, "create") && !Xml.boolAttr(e, "expire") && !exists) {
                    throw new Refusal("item-not-found", "Unknown endpoint " + id, null);
                }
            } else if ("relay".equals(e.getLocalName())) {
                if (id == null) {
                    throw new Refusal("bad-request", "Missing relay id", null);
                }
                boolean exists = conf != null && conf.relays.containsKey(id);
                if (Xml.boolAttr(e, "create") && exists) {
                    throw new Refusal("bad-request", "Relay already exists: " + id, null);
                }
                if (!Xml.boolAttr(e, "create") && !Xml.boolAttr(e, "expire") && !exists) {
                    throw new Refusal("item-not-found", "Unknown relay " + id, null);
                }
            }
        }

        if (conf == null) {
            conf = newConf(meetingId, Xml.attr(req, "name"));
            conferences.put(meetingId, conf);
        }
        if (Xml.boolAttr(req, "expire")) {
            conferences.remove(meetingId);
            return "";
        }
        StringBuilder out = new StringBuilder();
        boolean endpointCreated = false;
        boolean somethingExpired = false;
        for (Element e : Xml.children(req)) {
            String id = Xml.attr(e, "id");
            if ("endpoint".equals(e.getLocalName())) {
                if (Xml.boolAttr(e, "expire")) {
                    conf.endpoints.remove(id);
                    somethingExpired = true;
                    out.append("<endpoint xmlns='").append(NS).append("' id='").append(Xml.esc(id)).append("' expire='true'/>");
                } else if (Xml.boolAttr(e, "create")) {
                    conf.endpoints.add(id);
                    endpointCreated = true;
                    out.append("<endpoint id='").append(Xml.esc(id)).append("'>")
                            .append(transport("colibri-ws", conf.wsId, id)).append("</endpoint>");
                } else {
                    out.append("<endpoint xmlns='").append(NS).append("' id='").append(Xml.esc(id)).append("'/>");
                }
            } else if ("relay".equals(e.getLocalName())) {
                if (Xml.boolAttr(e, "expire")) {
                    conf.relays.remove(id);
                    somethingExpired = true;
                    out.append("<relay xmlns='").append(NS).append("' id='").append(Xml.esc(id)).append("' expire='true'/>");
                    continue;
                }
                Set<String> remote = conf.relays.computeIfAbsent(id, k -> new LinkedHashSet<>());
                for (Element eps : Xml.children(e, "endpoints")) {
                    for (Element ep : Xml.children(eps, "endpoint")) {
                        String epId = Xml.attr(ep, "id");
                        if (epId == null) {
                            continue;
                        }
                        if (Xml.boolAttr(ep, "expire")) {
                            remote.remove(epId);
                        } else {
                            remote.add(epId);
                        }
                    }
                }
                if (Xml.boolAttr(e, "create")) {
                    out.append("<relay id='").append(Xml.esc(id)).append("'>")
                            .append(transport("colibri-relay-ws", conf.wsId, id)).append("</relay>");
                } else {
                    out.append("<relay xmlns='").append(NS).append("' id='").append(Xml.esc(id)).append("'/>");
                }
            }
        }
        if (endpointCreated) {
            out.append("<sources>")
                    .append("<media-source type='audio' id='jvb-a0'><source xmlns='").append(SSMA_NS)
                    .append("' ssrc='").append(conf.audioSsrc).append("' name='jvb-a0'/></media-source>")
                    .append("<media-source type='video' id='jvb-v0'><source xmlns='").append(SSMA_NS)
                    .append("' ssrc='").append(conf.videoSsrc).append("' name='jvb-v0'/></media-source>")
                    .append("</sources>");
        }
        if (somethingExpired && conf.endpoints.isEmpty() && conf.relays.isEmpty()) {
            // like the JVB: the conference goes away with its last member
            conferences.remove(meetingId);
        }
        return out.toString();
    }

    private Conf newConf(String meetingId, String name) {
        return new Conf(meetingId, name, hex(8), 1_000_000L + (random.nextLong() & 0x7fffffffL),
                1_000_000L + (random.nextLong() & 0x7fffffffL));
    }

        private String transport(String wsPath, String confWsId, String id) {
        String ufrag = alnum(14);
        String pwd = alnum(26);
        return "<transport><transport xmlns='" + ICE_NS + "' pwd='" + pwd + "' ufrag='" + ufrag + "'><rtcp-mux/>"
                + "<fingerprint xmlns='" + DTLS_NS + "' setup='actpass' hash='sha-256'>" + fingerprint + "</fingerprint>"
                + "<web-socket xmlns='" + COLIBRI_NS + "' url='ws://127.0.0.1:" + wsPort + "/" + wsPath + "/"
                + Xml.esc(relayId) + "/" + confWsId + "/" + Xml.esc(id) + "?pwd=" + pwd + "'/>"
                + "<candidate component='1' foundation='1' generation='0' id='" + hex(24) + "' network='0'"
                + " priority='2130706431' protocol='udp' type='host' ip='192.0.2.2' port='" + mediaPort + "'/>"
                + "<candidate component='1' foundation='2' generation='0' id='" + hex(32) + "' network='0'"
                + " priority='1694498815' protocol='udp' type='srflx' ip='127.0.0.1' port='" + mediaPort + "'"
                + " rel-addr='192.0.2.2' rel-port='" + mediaPort + "'/>"
                + "</transport></transport>";
    }

    /** Forgets everything (a bridge restart). */
    public void clear() {
        conferences.clear();
    }

    public ModelSnapshot snapshot() {
        Map<String, ConferenceState> m = new HashMap<>();
        conferences.forEach((k, c) -> {
            Map<String, Set<String>> relays = new HashMap<>();
            c.relays.forEach((r, eps) -> relays.put(r, Set.copyOf(new HashSet<>(eps))));
            m.put(k, new ConferenceState(c.meetingId, c.name, c.endpoints, relays));
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
        return conferences.values().stream().mapToInt(c -> c.relays.values().stream().mapToInt(Set::size).sum()).sum();
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
