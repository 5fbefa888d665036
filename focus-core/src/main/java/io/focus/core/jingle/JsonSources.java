package io.focus.core.jingle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focus.core.colibri.Source;
import io.focus.core.colibri.SsrcGroup;
import io.focus.core.xmpp.StanzaParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compact JSON form of sources Jicofo puts in {@code <json-message xmlns="http://jitsi.org/jitmeet">} for
 * clients that advertise {@code http://jitsi.org/json-encoded-sources}:
 * <pre>{"sources":{"&lt;owner&gt;":[[video sources],[video groups],[audio sources](,[audio groups])]}}</pre>
 * A source is {@code {"s":ssrc,"n":name,"m":msid}} plus {@code "v":"d"} for a desktop share; a group is
 * {@code ["f"|"s"|semantics, ssrc, ...]} ("f" = FID, "s" = SIM). The audio groups are written only when there are
 * any (as Jicofo does). Video sources without {@code v} are cameras; the video type is not written for them.
 */
public final class JsonSources {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSources() {}

    public static String encode(ConferenceSources sources) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode byOwner = root.putObject("sources");
        for (Map.Entry<String, EndpointSources> e : sources.byOwner().entrySet()) {
            EndpointSources s = e.getValue();
            ArrayNode arr = byOwner.putArray(e.getKey());
            arr.add(sourcesArray(s.video()));
            arr.add(groupsArray(s.videoGroups()));
            arr.add(sourcesArray(s.audio()));
            if (!s.audioGroups().isEmpty()) {
                arr.add(groupsArray(s.audioGroups()));
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize sources: " + e.getMessage(), e); // cannot happen
        }
    }

    private static ArrayNode sourcesArray(List<Source> sources) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Source s : sources) {
            ObjectNode o = a.addObject();
            o.put("s", s.ssrc());
            if (s.name() != null) {
                o.put("n", s.name());
            }
            if (s.msid() != null) {
                o.put("m", s.msid());
            }
            if ("desktop".equalsIgnoreCase(s.videoType())) {
                o.put("v", "d");
            }
        }
        return a;
    }

    private static ArrayNode groupsArray(List<SsrcGroup> groups) {
        ArrayNode a = MAPPER.createArrayNode();
        for (SsrcGroup g : groups) {
            ArrayNode ga = a.addArray();
            ga.add(switch (g.semantics()) {
                case "FID" -> "f";
                case "SIM" -> "s";
                default -> g.semantics();
            });
            g.ssrcs().forEach(ga::add);
        }
        return a;
    }

    /** Parses a json-message text; anything that is not the documented shape is a {@link StanzaParseException}. */
    public static ConferenceSources decode(String json) throws StanzaParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new StanzaParseException("<json-message> is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new StanzaParseException("<json-message> is not a JSON object");
        }
        JsonNode byOwner = root.get("sources");
        if (byOwner == null || !byOwner.isObject()) {
            throw new StanzaParseException("<json-message> has no \"sources\" object");
        }
        ConferenceSources out = ConferenceSources.EMPTY;
        Iterator<Map.Entry<String, JsonNode>> it = byOwner.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode arr = e.getValue();
            String where = "sources[\"" + e.getKey() + "\"]";
            if (!arr.isArray() || arr.size() > 4) {
                throw new StanzaParseException("<json-message> " + where + " is not an array of at most 4 arrays");
            }
            List<Source> video = sources(arr.get(0), where + "[0]", true);
            List<SsrcGroup> videoGroups = groups(arr.get(1), where + "[1]");
            List<Source> audio = sources(arr.get(2), where + "[2]", false);
            List<SsrcGroup> audioGroups = groups(arr.get(3), where + "[3]");
            out = out.with(e.getKey(), new EndpointSources(audio, video, audioGroups, videoGroups));
        }
        return out;
    }

    private static List<Source> sources(JsonNode a, String where, boolean video) throws StanzaParseException {
        List<Source> out = new ArrayList<>();
        if (a == null || a.isNull()) {
            return out;
        }
        if (!a.isArray()) {
            throw new StanzaParseException("<json-message> " + where + " is not an array");
        }
        for (JsonNode o : a) {
            if (!o.isObject()) {
                throw new StanzaParseException("<json-message> " + where + " holds a non-object source");
            }
            long ssrc = ssrc(o.get("s"), where);
            String name = text(o.get("n"));
            String msid = text(o.get("m"));
            Source s = new Source(ssrc, name);
            if (video && o.hasNonNull("v")) {
                s = s.withVideoType("desktop");
            }
            if (msid != null) {
                s = s.withParameter("msid", msid);
            }
            out.add(s);
        }
        return out;
    }

    private static List<SsrcGroup> groups(JsonNode a, String where) throws StanzaParseException {
        List<SsrcGroup> out = new ArrayList<>();
        if (a == null || a.isNull()) {
            return out;
        }
        if (!a.isArray()) {
            throw new StanzaParseException("<json-message> " + where + " is not an array");
        }
        for (JsonNode g : a) {
            if (!g.isArray() || g.size() < 2 || !g.get(0).isTextual()) {
                throw new StanzaParseException("<json-message> " + where + " holds a group that is not "
                        + "[semantics, ssrc, ...]");
            }
            String sem = switch (g.get(0).asText()) {
                case "f" -> "FID";
                case "s" -> "SIM";
                default -> g.get(0).asText().toUpperCase(Locale.ROOT);
            };
            List<Long> ssrcs = new ArrayList<>();
            for (int i = 1; i < g.size(); i++) {
                ssrcs.add(ssrc(g.get(i), where));
            }
            out.add(new SsrcGroup(sem, ssrcs));
        }
        return out;
    }

    private static long ssrc(JsonNode n, String where) throws StanzaParseException {
        if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
            return checkRange(n.asLong(), where);
        }
        if (n != null && n.isTextual()) {
            try {
                return checkRange(Long.parseLong(n.asText().trim()), where);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new StanzaParseException("<json-message> " + where + " has a bad ssrc: " + n);
    }

    private static long checkRange(long v, String where) throws StanzaParseException {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new StanzaParseException("<json-message> " + where + " ssrc " + v + " is not an unsigned 32-bit "
                    + "SSRC");
        }
        return v;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
