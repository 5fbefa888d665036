package io.focus.core.testing;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Structural XML comparison for golden tests: both documents are parsed namespace-aware into a DOM and compared
 * element by element (local name, namespace URI, attribute set and values, child elements in order, non-blank
 * text). Whitespace between elements, attribute order, quote style and namespace-declaration placement are
 * ignored, and so are the given attributes of the root element only (by default {@code id}, {@code to},
 * {@code from}, {@code xml:lang}).
 */
public final class XmlAssert {
    public static final Set<String> ROOT_ADDRESSING = Set.of("id", "to", "from", "lang");
    /** Serialize stanzas in this environment, as inside a c2s stream (no xmlns='jabber:client' on the root). */
    public static final org.jivesoftware.smack.packet.XmlEnvironment STREAM =
            new org.jivesoftware.smack.packet.XmlEnvironment("jabber:client");

    private XmlAssert() {}

    public static void assertSameStructure(String expectedXml, String actualXml) {
        assertSameStructure(expectedXml, actualXml, ROOT_ADDRESSING);
    }

    public static void assertSameStructure(String expectedXml, String actualXml, Set<String> ignoredRootAttrs) {
        Element expected = parse(expectedXml);
        Element actual = parse(actualXml);
        List<String> diffs = new ArrayList<>();
        compare(expected, actual, "/" + expected.getLocalName(), ignoredRootAttrs, diffs);
        if (!diffs.isEmpty()) {
            throw new AssertionError("XML differs structurally:\n  " + String.join("\n  ", diffs)
                    + "\nexpected: " + cut(expectedXml) + "\nactual:   " + cut(actualXml));
        }
    }

    private static String cut(String s) {
        return s.length() > 1500 ? s.substring(0, 1500) + "...(" + s.length() + " chars)" : s;
    }

    public static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    private static void compare(Element e, Element a, String path, Set<String> ignored, List<String> diffs) {
        if (!e.getLocalName().equals(a.getLocalName()) || !ns(e).equals(ns(a))) {
            diffs.add(path + ": expected element {" + ns(e) + "}" + e.getLocalName() + " but was {" + ns(a) + "}"
                    + a.getLocalName());
            return;
        }
        Map<String, String> ea = attrs(e, ignored);
        Map<String, String> aa = attrs(a, ignored);
        if (!ea.equals(aa)) {
            diffs.add(path + ": attributes expected " + ea + " but were " + aa);
        }
        List<Element> ec = children(e);
        List<Element> ac = children(a);
        if (ec.isEmpty() && ac.isEmpty()) {
            String et = e.getTextContent().trim();
            String at = a.getTextContent().trim();
            if (!et.equals(at)) {
                diffs.add(path + ": text expected '" + et + "' but was '" + at + "'");
            }
        }
        for (int i = 0; i < Math.max(ec.size(), ac.size()); i++) {
            if (i >= ec.size()) {
                diffs.add(path + ": unexpected extra child #" + i + " <" + ac.get(i).getLocalName() + ">");
            } else if (i >= ac.size()) {
                diffs.add(path + ": missing child #" + i + " <" + ec.get(i).getLocalName() + ">");
            } else {
                compare(ec.get(i), ac.get(i), path + "/" + ec.get(i).getLocalName() + "[" + i + "]", Set.of(), diffs);
            }
        }
    }

    private static String ns(Node n) {
        return n.getNamespaceURI() == null ? "" : n.getNamespaceURI();
    }

    private static Map<String, String> attrs(Element e, Set<String> ignored) {
        Map<String, String> out = new TreeMap<>();
        NamedNodeMap m = e.getAttributes();
        for (int i = 0; i < m.getLength(); i++) {
            Attr at = (Attr) m.item(i);
            if ("http://www.w3.org/2000/xmlns/".equals(at.getNamespaceURI())) {
                continue; // namespace declarations are compared through element namespaces
            }
            String local = at.getLocalName() == null ? at.getName() : at.getLocalName();
            if (ignored.contains(local)) {
                continue;
            }
            out.put((at.getNamespaceURI() == null ? "" : "{" + at.getNamespaceURI() + "}") + local, at.getValue());
        }
        return out;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }
}
