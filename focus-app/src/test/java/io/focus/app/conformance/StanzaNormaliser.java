package io.focus.app.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.focus.sim.xml.Xml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Makes a stanza of this run and the recorded one comparable: drops what differs per run by nature (stanza ids,
 * addressing, {@code xml:lang}, Jingle {@code sid}, Colibri2 {@code meeting-id}, {@code bridge-session} id, Prosody's
 * {@code occupant-id}), replaces the per-run strings it is given (anonymous JIDs, room names) by role names, trims
 * whitespace-only text and writes {@code json-message} JSON with sorted keys. Attribute order and namespace-prefix
 * placement do not matter to the DOM comparison in {@link XmlDiff}.
 */
final class StanzaNormaliser {
    static final String PLACEHOLDER = "*";
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Set<String> STANZA_ATTRS_DROPPED = Set.of("id", "to", "from", "lang", "xml:lang", "xmlns");

    private final Map<String, String> renames = new LinkedHashMap<>();

    /** Replaces {@code value} (in attribute values and text) by {@code role}. Longer values are replaced first. */
    StanzaNormaliser rename(String value, String role) {
        renames.put(value, role);
        return this;
    }

    /** A normalised deep copy of {@code stanza}. */
    Element normalise(Element stanza) {
        Element e = Xml.parse(Xml.toString(stanza));
        for (String a : Xml.attributes(e).keySet()) {
            if (STANZA_ATTRS_DROPPED.contains(a)) {
                e.removeAttribute(a);
            }
        }
        e.removeAttributeNS("http://www.w3.org/XML/1998/namespace", "lang");
        walk(e);
        return e;
    }

    private void walk(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            a.setValue(replace(a.getValue()));
        }
        String name = e.getLocalName();
        if (("jingle".equals(name) && e.hasAttribute("sid"))) {
            e.setAttribute("sid", PLACEHOLDER);
        }
        if ("conference-modify".equals(name) && e.hasAttribute("meeting-id")) {
            e.setAttribute("meeting-id", PLACEHOLDER);
        }
        if ("bridge-session".equals(name) && e.hasAttribute("id")) {
            e.setAttribute("id", PLACEHOLDER);
        }
        for (Node n = e.getFirstChild(); n != null; ) {
            Node next = n.getNextSibling();
            if (n instanceof Element c) {
                if ("occupant-id".equals(c.getLocalName())) {
                    e.removeChild(c);
                } else {
                    walk(c);
                }
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                String t = n.getNodeValue().trim();
                if (t.isEmpty()) {
                    e.removeChild(n);
                } else {
                    n.setNodeValue("json-message".equals(name) ? canonicalJson(replace(t)) : replace(t));
                }
            } else {
                e.removeChild(n);
            }
            n = next;
        }
    }

    private String replace(String v) {
        String out = v;
        for (Map.Entry<String, String> r : renames.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length())).toList()) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }

    static String canonicalJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (Exception e) {
            return text;
        }
    }

    /** Removes every descendant element named {@code localName} (in namespace {@code ns}). */
    static Element without(Element e, String localName, String ns) {
        for (Element c : Xml.children(e)) {
            if (localName.equals(c.getLocalName()) && ns.equals(c.getNamespaceURI())) {
                e.removeChild(c);
            } else {
                without(c, localName, ns);
            }
        }
        return e;
    }
}
