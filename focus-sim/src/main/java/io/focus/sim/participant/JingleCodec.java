package io.focus.sim.participant;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.w3c.dom.Element;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.focus.sim.xml.Xml;

/**
 * The participant's reading of the Jingle the focus sends: offers, transports, codecs and sources in both forms
 * (XML {@code <source>}s with {@code <ssrc-info owner>}, and Jitsi's compact JSON in {@code <json-message>}).
 * Written from the captured Jicofo stanzas. Every reader throws {@link IllegalArgumentException} with a clear
 * message on bad input, so a caller can refuse the IQ without touching its state.
 */
public final class JingleCodec {
    public static final String JINGLE_NS = "urn:xmpp:jingle:1";
    public static final String RTP_NS = "urn:xmpp:jingle:apps:rtp:1";
    public static final String SSMA_NS = "urn:xmpp:jingle:apps:rtp:ssma:0";
    public static final String ICE_NS = "urn:xmpp:jingle:transports:ice-udp:1";
    public static final String DTLS_NS = "urn:xmpp:jingle:apps:dtls:0";
    public static final String GROUPING_NS = "urn:xmpp:jingle:apps:grouping:0";
    public static final String RTCP_FB_NS = "urn:xmpp:jingle:apps:rtp:rtcp-fb:0";
    public static final String JITMEET_NS = "http://jitsi.org/jitmeet";
    public static final String FOCUS_NS = "http://jitsi.org/protocol/focus";
    public static final String COLIBRI_NS = "http://jitsi.org/protocol/colibri";
    /** Owner used for sources that carry no {@code <ssrc-info owner>}. */
    public static final String UNKNOWN_OWNER = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();

    private JingleCodec() { }

    /** The {@code <jingle>} element of an IQ's child XML; refuses anything else. */
    public static Element jingle(String childXml) {
        Element e = Xml.parse(childXml);
        if (!"jingle".equals(e.getLocalName()) || !JINGLE_NS.equals(e.getNamespaceURI())) {
            throw new IllegalArgumentException("not a <jingle xmlns='" + JINGLE_NS + "'>: <" + e.getLocalName() + ">");
        }
        if (Xml.attr(e, "action") == null || e.getAttribute("action").isEmpty()) {
            throw new IllegalArgumentException("<jingle> without action");
        }
        if (Xml.attr(e, "sid") == null || e.getAttribute("sid").isEmpty()) {
            throw new IllegalArgumentException("<jingle action='" + e.getAttribute("action") + "'> without sid");
        }
        return e;
    }

    /** {@code <bridge-session xmlns='http://jitsi.org/protocol/focus'>} of a Jingle element. */
    public static Optional<Element> bridgeSession(Element jingle) {
        return Xml.child(jingle, "bridge-session", FOCUS_NS);
    }

    /** The transport of the first content that has one, or null. */
    public static IceTransport transport(Element jingle) {
        for (Element content : Xml.children(jingle, "content")) {
            Optional<Element> t = Xml.child(content, "transport", ICE_NS);
            if (t.isPresent()) {
                return transportOf(t.get());
            }
        }
        return null;
    }

    static IceTransport transportOf(Element t) {
        String fp = null;
        String hash = null;
        String setup = null;
        Optional<Element> f = Xml.child(t, "fingerprint", DTLS_NS);
        if (f.isPresent()) {
            fp = f.get().getTextContent().trim();
            hash = Xml.attr(f.get(), "hash");
            setup = Xml.attr(f.get(), "setup");
        }
        List<IceTransport.Candidate> cands = new ArrayList<>();
        for (Element c : Xml.children(t, "candidate")) {
            Map<String, String> a = Xml.attributes(c);
            if (a.get("ip") == null || a.get("port") == null) {
                throw new IllegalArgumentException("candidate without ip/port: " + a);
            }
            try {
                Integer.parseInt(a.get("port"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("candidate port is not a number: " + a.get("port"));
            }
            cands.add(new IceTransport.Candidate(a));
        }
        String ws = Xml.child(t, "web-socket", COLIBRI_NS).map(w -> Xml.attr(w, "url")).orElse(null);
        return new IceTransport(Xml.attr(t, "ufrag"), Xml.attr(t, "pwd"), fp, hash, setup, cands, ws,
                Xml.child(t, "rtcp-mux").isPresent());
    }

    /** Every payload type of every content, in document order. */
    public static List<Codec> codecs(Element jingle) {
        List<Codec> out = new ArrayList<>();
        for (Element content : Xml.children(jingle, "content")) {
            Optional<Element> d = Xml.child(content, "description", RTP_NS);
            if (d.isEmpty()) {
                continue;
            }
            String media = Xml.attr(d.get(), "media");
            for (Element pt : Xml.children(d.get(), "payload-type")) {
                Map<String, String> params = new LinkedHashMap<>();
                for (Element p : Xml.children(pt, "parameter")) {
                    params.put(p.getAttribute("name"), p.getAttribute("value"));
                }
                out.add(new Codec(media, intAttr(pt, "id", -1), Xml.attr(pt, "name"), intAttr(pt, "clockrate", 0),
                        intAttr(pt, "channels", 1), params));
            }
        }
        return out;
    }

    private static int intAttr(Element e, String name, int dflt) {
        String v = Xml.attr(e, name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("<" + e.getLocalName() + " " + name + "='" + v + "'> is not a number");
        }
    }

    /** Whether the element carries its sources as {@code <json-message xmlns='http://jitsi.org/jitmeet'>}. */
    public static boolean hasJsonSources(Element jingle) {
        return Xml.child(jingle, "json-message", JITMEET_NS).isPresent();
    }

    /**
     * The sources of a Jingle element by owner endpoint id, from its {@code <json-message>} if it has one, else from
     * the XML {@code <source>}/{@code <ssrc-group>} of its contents.
     */
    public static Map<String, EndpointSources> sources(Element jingle) {
        Optional<Element> json = Xml.child(jingle, "json-message", JITMEET_NS);
        return json.isPresent() ? sourcesFromJson(json.get().getTextContent()) : sourcesFromXml(jingle);
    }

    /** XML sources: owner from {@code <ssrc-info owner>} (resource part if a JID); groups go with their first SSRC's owner. */
    public static Map<String, EndpointSources> sourcesFromXml(Element jingle) {
        Map<String, List<MediaSource>> src = new LinkedHashMap<>();
        Map<String, List<SsrcGroup>> grp = new LinkedHashMap<>();
        Map<Long, String> ownerOf = new LinkedHashMap<>();
        List<SsrcGroup> pendingGroups = new ArrayList<>();
        for (Element content : Xml.children(jingle, "content")) {
            Optional<Element> d = Xml.child(content, "description", RTP_NS);
            if (d.isEmpty()) {
                continue;
            }
            String media = Xml.attr(d.get(), "media");
            if (media == null) {
                media = Xml.attr(content, "name");
            }
            for (Element s : Xml.children(d.get(), "source")) {
                if (!SSMA_NS.equals(s.getNamespaceURI())) {
                    continue;
                }
                long ssrc = ssrc(Xml.attr(s, "ssrc"));
                String owner = Xml.child(s, "ssrc-info", JITMEET_NS).map(i -> owner(Xml.attr(i, "owner")))
                        .orElse(UNKNOWN_OWNER);
                String msid = null;
                for (Element p : Xml.children(s, "parameter")) {
                    if ("msid".equals(p.getAttribute("name"))) {
                        msid = p.getAttribute("value");
                    }
                }
                src.computeIfAbsent(owner, k -> new ArrayList<>())
                        .add(new MediaSource(ssrc, media, Xml.attr(s, "name"), msid, Xml.attr(s, "videoType")));
                ownerOf.putIfAbsent(ssrc, owner);
            }
            for (Element g : Xml.children(d.get(), "ssrc-group")) {
                if (!SSMA_NS.equals(g.getNamespaceURI())) {
                    continue;
                }
                String sem = Xml.attr(g, "semantics");
                if (sem == null || sem.isEmpty()) {
                    throw new IllegalArgumentException("<ssrc-group> without semantics");
                }
                List<Long> ssrcs = new ArrayList<>();
                for (Element s : Xml.children(g, "source")) {
                    ssrcs.add(ssrc(Xml.attr(s, "ssrc")));
                }
                if (ssrcs.isEmpty()) {
                    throw new IllegalArgumentException("<ssrc-group semantics='" + sem + "'> without sources");
                }
                pendingGroups.add(new SsrcGroup(media, sem, ssrcs));
            }
        }
        for (SsrcGroup g : pendingGroups) {
            grp.computeIfAbsent(ownerOf.getOrDefault(g.ssrcs().get(0), UNKNOWN_OWNER), k -> new ArrayList<>()).add(g);
        }
        return merge(src, grp);
    }

    /**
     * Jitsi's compact JSON: {@code {"sources":{"<owner>":[[videoSources],[videoGroups],[audioSources],[audioGroups]?]}}},
     * a source {@code {"s":ssrc,"n":name,"m":msid,"v":videoType?}}, a group {@code ["f"|"s"|semantics, ssrc...]}
     * ({@code f} = FID, {@code s} = SIM).
     */
    public static Map<String, EndpointSources> sourcesFromJson(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json-message is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("json-message is not a JSON object");
        }
        JsonNode sources = root.get("sources");
        if (sources == null || !sources.isObject()) {
            throw new IllegalArgumentException("json-message has no \"sources\" object");
        }
        Map<String, List<MediaSource>> src = new LinkedHashMap<>();
        Map<String, List<SsrcGroup>> grp = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String owner = owner(e.getKey());
            JsonNode arr = e.getValue();
            if (!arr.isArray()) {
                throw new IllegalArgumentException("sources of " + owner + " are not an array");
            }
            List<MediaSource> s = src.computeIfAbsent(owner, k -> new ArrayList<>());
            List<SsrcGroup> g = grp.computeIfAbsent(owner, k -> new ArrayList<>());
            jsonSources(arr.get(0), "video", owner, s);
            jsonGroups(arr.get(1), "video", owner, g);
            jsonSources(arr.get(2), "audio", owner, s);
            jsonGroups(arr.get(3), "audio", owner, g);
        }
        return merge(src, grp);
    }

    private static void jsonSources(JsonNode arr, String media, String owner, List<MediaSource> out) {
        if (arr == null || arr.isNull()) {
            return;
        }
        if (!arr.isArray()) {
            throw new IllegalArgumentException(media + " sources of " + owner + " are not an array");
        }
        for (JsonNode s : arr) {
            JsonNode ssrc = s.get("s");
            if (ssrc == null || !ssrc.canConvertToLong()) {
                throw new IllegalArgumentException("a " + media + " source of " + owner + " has no numeric \"s\": " + s);
            }
            long v = ssrc.asLong();
            checkSsrc(v, ssrc.toString());
            String vt = s.hasNonNull("v") ? videoType(s.get("v").asText()) : null;
            out.add(new MediaSource(v, media, text(s, "n"), text(s, "m"), vt));
        }
    }

    private static String videoType(String v) {
        return switch (v) {
            case "d" -> "desktop";
            case "c" -> "camera";
            default -> v;
        };
    }

    private static void jsonGroups(JsonNode arr, String media, String owner, List<SsrcGroup> out) {
        if (arr == null || arr.isNull()) {
            return;
        }
        if (!arr.isArray()) {
            throw new IllegalArgumentException(media + " groups of " + owner + " are not an array");
        }
        for (JsonNode g : arr) {
            if (!g.isArray() || g.size() < 2) {
                throw new IllegalArgumentException("a " + media + " group of " + owner + " is not [semantics, ssrc...]: " + g);
            }
            String sem = switch (g.get(0).asText()) {
                case "f" -> "FID";
                case "s" -> "SIM";
                default -> g.get(0).asText();
            };
            List<Long> ssrcs = new ArrayList<>();
            for (int i = 1; i < g.size(); i++) {
                if (!g.get(i).canConvertToLong()) {
                    throw new IllegalArgumentException("group member of " + owner + " is not an SSRC: " + g.get(i));
                }
                checkSsrc(g.get(i).asLong(), g.get(i).toString());
                ssrcs.add(g.get(i).asLong());
            }
            out.add(new SsrcGroup(media, sem, ssrcs));
        }
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    private static Map<String, EndpointSources> merge(Map<String, List<MediaSource>> src, Map<String, List<SsrcGroup>> grp) {
        Map<String, EndpointSources> out = new LinkedHashMap<>();
        for (String o : src.keySet()) {
            out.put(o, new EndpointSources(src.get(o), grp.getOrDefault(o, List.of())));
        }
        grp.forEach((o, g) -> out.putIfAbsent(o, new EndpointSources(List.of(), g)));
        out.values().removeIf(EndpointSources::isEmpty);
        return out;
    }

    /** An endpoint id from an owner that may be an occupant JID ({@code room@conference/abcd1234}). */
    public static String owner(String owner) {
        if (owner == null || owner.isEmpty()) {
            return UNKNOWN_OWNER;
        }
        int slash = owner.indexOf('/');
        return slash >= 0 ? owner.substring(slash + 1) : owner;
    }

    static long ssrc(String v) {
        if (v == null) {
            throw new IllegalArgumentException("<source> without ssrc");
        }
        long l;
        try {
            l = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ssrc '" + v + "' is not a number");
        }
        checkSsrc(l, v);
        return l;
    }

    private static void checkSsrc(long l, String v) {
        if (l < 0 || l > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc " + v + " is not an unsigned 32-bit number");
        }
    }
}
