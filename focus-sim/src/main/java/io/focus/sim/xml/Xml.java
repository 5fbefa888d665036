package io.focus.sim.xml;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The simulator's own XML reading: a namespace-aware DOM parse of a stanza string. The simulator never relies on
 * Smack providers (focus-core registers JVM-global ones for the same elements), so incoming stanzas are turned
 * into text and read here.
 */
public final class Xml {
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    private Xml() { }

    /** Parses one element; throws {@link IllegalArgumentException} with the cause on malformed input. */
    public static Element parse(String xml) {
        try {
            DocumentBuilder b = BUILDER.get();
            b.reset();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("malformed XML: " + e.getMessage(), e);
        }
    }

    public static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    public static List<Element> children(Element e, String localName) {
        return children(e).stream().filter(c -> localName.equals(c.getLocalName())).toList();
    }

    public static Optional<Element> child(Element e, String localName) {
        return children(e).stream().filter(c -> localName.equals(c.getLocalName())).findFirst();
    }

    public static Optional<Element> child(Element e, String localName, String ns) {
        return children(e).stream()
                .filter(c -> localName.equals(c.getLocalName()) && ns.equals(c.getNamespaceURI())).findFirst();
    }

    /** Attribute value or null when absent. */
    public static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    public static boolean boolAttr(Element e, String name) {
        return "true".equalsIgnoreCase(attr(e, name)) || "1".equals(attr(e, name));
    }

    /** Attributes in document order, without namespace declarations. */
    public static Map<String, String> attributes(Element e) {
        Map<String, String> m = new LinkedHashMap<>();
        NamedNodeMap a = e.getAttributes();
        for (int i = 0; i < a.getLength(); i++) {
            Attr at = (Attr) a.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(at.getNamespaceURI())) {
                continue;
            }
            m.put(at.getName(), at.getValue());
        }
        return m;
    }

    public static String toString(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (TransformerException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Escapes text for an attribute value or element text. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A structural signature of an element tree: element names with namespaces and sorted attribute names, for
     * comparing generated stanzas with captured ones (values differ, shape must not).
     */
    public static String shape(Element e) {
        StringBuilder b = new StringBuilder();
        shape(e, b, 0);
        return b.toString();
    }

    private static void shape(Element e, StringBuilder b, int depth) {
        b.append("  ".repeat(depth)).append('{').append(e.getNamespaceURI()).append('}').append(e.getLocalName());
        b.append(' ').append(attributes(e).keySet().stream().sorted().toList()).append('\n');
        for (Element c : children(e)) {
            shape(c, b, depth + 1);
        }
    }
}
