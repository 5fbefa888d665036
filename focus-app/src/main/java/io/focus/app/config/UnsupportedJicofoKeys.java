package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.focus.selection.SelectionSettings;
import io.focus.selection.VisitorFallback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * Jicofo's settings for what the focus does not do, each refused with one warning at start-up that says what is not
 * supported and what happens instead (never accepted and silently ignored):
 * <ul>
 *   <li>{@code jicofo.jibri.*} and {@code jicofo.jibri-sip.*}: no Jibri brewery is joined; recording, live-streaming
 *       and SIP-via-Jibri requests sent to the focus are answered {@code feature-not-implemented};</li>
 *   <li>{@code jicofo.jigasi.*}: no Jigasi brewery is joined; dial-out and transcription requests (Rayo
 *       {@code <dial>}) are answered {@code feature-not-implemented};</li>
 *   <li>a few single keys of Jicofo's that only matter for what the focus does not do ({@link #KEYS}).</li>
 * </ul>
 * {@link UnknownKeys} leaves these subtrees to this class.
 */
final class UnsupportedJicofoKeys {
    /** Subtrees for Jibri and Jigasi, with what happens to the requests they would serve. */
    static final Map<String, String> SERVICES = new LinkedHashMap<>();
    /** Single Jicofo keys, with why they do nothing here. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        String jibri = "Jibri (recording, live streaming, SIP calls through Jibri) is not supported by the focus: no "
                + "Jibri brewery is joined, and a recording or live-streaming request (a <jibri "
                + "xmlns='http://jitsi.org/protocol/jibri'> IQ) sent to the focus is answered feature-not-implemented";
        SERVICES.put("jicofo.jibri", jibri);
        SERVICES.put("jicofo.jibri-sip", jibri);
        SERVICES.put("jicofo.jigasi", "Jigasi (SIP dial-out, transcription) is not supported by the focus: no Jigasi "
                + "brewery is joined, and a dial-out or transcription request (a Rayo <dial xmlns='urn:xmpp:rayo:1'> "
                + "IQ) sent to the focus is answered feature-not-implemented");

        String visitors = "visitors are not supported by the focus (its conference answers say visitors-supported=false)";
        KEYS.put("jicofo.visitors", visitors);
        KEYS.put("jicofo.xmpp.visitors", visitors);
        KEYS.put("jicofo.bridge.visitor-selection-strategy", visitors);
        KEYS.put("jicofo.bridge.topology-strategy", "the focus always links the bridges of a conference in one full "
                + "mesh (Jicofo's SingleMeshTopologyStrategy)");
        KEYS.put("jicofo.xmpp.trusted-domains", "it tells Jibri, Jigasi and transcriber members apart from participants, "
                + "and the focus supports none of them");
        KEYS.put("jicofo.conference.enable-moderator-checks", "it governs Jibri and Jigasi requests, which the focus "
                + "answers feature-not-implemented");
        KEYS.put("jicofo.transcription", "transcription through the bridge is not supported by the focus");
        KEYS.put("jicofo.conference.enable-auto-owner", "the focus always grants ownership as Jicofo does by default "
                + "(the first participant becomes the room's owner, and the next one when the owner leaves); the key "
                + "cannot turn that off");
        KEYS.put("jicofo.health", "the focus has no periodic self-check to tune: /about/health is worked out on each "
                + "request from its XMPP link and its bridges");
        KEYS.put("jicofo.metrics.update-interval", "the focus's metrics are computed when /metrics is read, not on a "
                + "timer");
        String sessions = "the focus keeps no login sessions of its own (Prosody authenticates the users)";
        KEYS.put("jicofo.authentication.authentication-lifetime", sessions);
        KEYS.put("jicofo.authentication.enable-auto-login", sessions);
    }

    private UnsupportedJicofoKeys() {}

    /** True for a key this class warns about (the key itself or one under it). */
    static boolean covers(String key) {
        for (String k : SERVICES.keySet()) {
            if (under(key, k)) {
                return true;
            }
        }
        for (String k : KEYS.keySet()) {
            if (under(key, k)) {
                return true;
            }
        }
        return false;
    }

    /** One warning per configured subtree or key, naming it and where it was set. */
    static List<String> warnings(Config c) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : SERVICES.entrySet()) {
            if (c.hasPath(e.getKey())) {
                out.add(e.getKey() + " is configured (" + origin(c, e.getKey()) + "), but " + e.getValue()
                        + "; the setting is ignored");
            }
        }
        boolean visitorStrategy = VisitorFallback.names(c.getString(SelectionSettings.STRATEGY));
        for (Map.Entry<String, String> e : KEYS.entrySet()) {
            if (visitorStrategy && e.getKey().equals(VisitorFallback.VISITOR_STRATEGY)) {
                continue; // VisitorFallback's warning names it
            }
            if (c.hasPath(e.getKey())) {
                out.add(e.getKey() + " (" + origin(c, e.getKey()) + ") is a Jicofo setting the focus does not "
                        + "implement and is ignored: " + e.getValue());
            }
        }
        return out;
    }

    static boolean under(String key, String prefix) {
        return key.equals(prefix) || key.startsWith(prefix + ".");
    }

    /** Where the key was set: for a subtree, the keys under it and where each came from (a file and line). */
    static String origin(Config c, String key) {
        ConfigValue v = c.getValue(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            return v.origin().description();
        }
        Map<String, ConfigValue> leaves = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig(key).entrySet()) {
            leaves.put(e.getKey(), e.getValue());
        }
        Set<String> origins = new LinkedHashSet<>();
        leaves.values().forEach(x -> origins.add(x.origin().description()));
        return String.join(", ", leaves.keySet()) + " in " + String.join(", ", origins);
    }
}
