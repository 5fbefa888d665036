package io.focus.app.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focus.sim.xml.Xml;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;

/** The owners and SSRCs of the JSON-encoded sources ({@code json-message}) of a Jingle IQ sent to a client. */
final class SourceJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JITMEET = "http://jitsi.org/jitmeet";

    private SourceJson() { }

    /** The endpoint ids whose sources the IQ carries; a marker when they are XML or unreadable. */
    static Set<String> owners(Element iq) {
        Set<String> out = new TreeSet<>();
        JsonNode sources = sources(iq, out);
        if (sources != null) {
            sources.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** The SSRCs the IQ carries for {@code owner}. */
    static Set<String> ssrcs(Element iq, String owner) {
        Set<String> out = new TreeSet<>();
        JsonNode sources = sources(iq, out);
        if (sources != null) {
            collect(sources.path(owner), out);
        }
        return out;
    }

    /** The SSRCs the IQ carries, of every owner. */
    static Set<String> ssrcs(Element iq) {
        Set<String> out = new TreeSet<>();
        JsonNode sources = sources(iq, out);
        if (sources != null) {
            sources.forEach(s -> collect(s, out));
        }
        return out;
    }

    private static JsonNode sources(Element iq, Set<String> problems) {
        Element j = ReplayClient.jingleOf(iq);
        Element m = j == null ? null : Xml.child(j, "json-message", JITMEET).orElse(null);
        if (m == null) {
            problems.add("(XML sources, not JSON)");
            return null;
        }
        try {
            return JSON.readTree(m.getTextContent()).path("sources");
        } catch (Exception e) {
            problems.add("(unreadable JSON)");
            return null;
        }
    }

    /** Owner JSON: [[video sources {s,n,m}], [groups], [audio sources]]; groups repeat SSRCs and are skipped. */
    private static void collect(JsonNode owner, Set<String> out) {
        if (!owner.isArray()) {
            return;
        }
        for (int i = 0; i < owner.size(); i++) {
            if (i == 1) {
                continue;
            }
            owner.get(i).forEach(src -> {
                if (src.has("s")) {
                    out.add(src.get("s").asText());
                }
            });
        }
    }
}
