package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A structural comparison of two (normalised) elements: names, namespaces, attributes with values, text and
 * children. Children are compared in document order under parents where order carries meaning (codec preference in
 * {@code description}/{@code media}, {@code group}, Jingle contents) and as multisets elsewhere. The answer is the path
 * to the first difference with both sides, or empty when equal.
 */
final class XmlDiff {
    private static final Set<String> ORDERED = Set.of("description", "media", "group", "jingle");

    private XmlDiff() { }

    static Optional<String> diff(Element expected, Element actual) {
        List<String> out = new ArrayList<>();
        compare(expected, actual, "/" + label(expected), out);
        if (out.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(out.get(0) + "\n  expected (Jicofo): " + shortly(expected)
                + "\n  actual (focus):    " + shortly(actual));
    }

    private static void compare(Element e, Element a, String path, List<String> out) {
        if (!out.isEmpty()) {
            return;
        }
        if (!e.getLocalName().equals(a.getLocalName()) || !ns(e).equals(ns(a))) {
            out.add("at " + path + ": expected element {" + ns(e) + "}" + e.getLocalName() + " but was {" + ns(a) + "}"
                    + a.getLocalName() + "\n    Jicofo's: " + shortly(e) + "\n    focus's:  " + shortly(a));
            return;
        }
        Map<String, String> ea = new TreeMap<>(Xml.attributes(e));
        Map<String, String> aa = new TreeMap<>(Xml.attributes(a));
        for (String k : ea.keySet()) {
            if (!aa.containsKey(k)) {
                out.add("at " + path + ": attribute " + k + "='" + ea.get(k) + "' missing");
                return;
            }
            if (!ea.get(k).equals(aa.get(k))) {
                out.add("at " + path + "/@" + k + ": expected '" + ea.get(k) + "' but was '" + aa.get(k) + "'");
                return;
            }
        }
        for (String k : aa.keySet()) {
            if (!ea.containsKey(k)) {
                out.add("at " + path + ": unexpected attribute " + k + "='" + aa.get(k) + "'");
                return;
            }
        }
        String et = text(e);
        String at = text(a);
        if (!et.equals(at)) {
            out.add("at " + path + "/text(): expected '" + et + "' but was '" + at + "'");
            return;
        }
        List<Element> ec = children(e);
        List<Element> ac = children(a);
        for (int i = 0; i < Math.max(ec.size(), ac.size()); i++) {
            if (i >= ac.size()) {
                out.add("at " + path + ": missing child " + Xml.toString(ec.get(i)));
                return;
            }
            if (i >= ec.size()) {
                out.add("at " + path + ": unexpected child " + Xml.toString(ac.get(i)));
                return;
            }
            compare(ec.get(i), ac.get(i), path + "/" + label(ec.get(i)), out);
        }
    }

    private static String shortly(Element e) {
        String s = Xml.toString(e);
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }

    private static List<Element> children(Element e) {
        List<Element> c = new ArrayList<>(Xml.children(e));
        if (!ORDERED.contains(e.getLocalName())) {
            c.sort(Comparator.comparing(XmlDiff::sortKey));
        }
        return c;
    }

    private static String sortKey(Element e) {
        return ns(e) + " " + e.getLocalName() + " " + Xml.attributes(e).getOrDefault("id", "") + " "
                + Xml.attributes(e).getOrDefault("name", "") + " " + Xml.attributes(e).getOrDefault("type", "") + " "
                + new TreeMap<>(Xml.attributes(e)) + " " + Xml.toString(e);
    }

    private static String text(Element e) {
        StringBuilder b = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                b.append(n.getNodeValue());
            }
        }
        return b.toString().trim();
    }

    private static String ns(Element e) {
        // a stanza written without xmlns (the producer's wire form) is in the stream's jabber:client namespace
        return e.getNamespaceURI() == null || "jabber:client".equals(e.getNamespaceURI()) ? "" : e.getNamespaceURI();
    }

    private static String label(Element e) {
        for (String k : List.of("id", "name", "var", "type", "semantics", "ssrc")) {
            if (e.hasAttribute(k)) {
                return e.getLocalName() + "[" + k + "=" + e.getAttribute(k) + "]";
            }
        }
        return e.getLocalName();
    }
}
