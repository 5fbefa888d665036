package io.focus.core.xmpp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * An immutable, namespace-aware XML element: name, namespace, attributes (in insertion order), child elements and
 * text. The stanza classes read a whole element into a node first (which can only fail with the XML exceptions
 * Smack already handles), then map it to typed values, and map typed values back to nodes to serialize them.
 * Children the focus does not model are kept as nodes, so nothing is lost on the way through.
 *
 * <p>Serialization writes {@code xmlns} only where an element's namespace differs from its parent's.
 */
public final class XmlNode {
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    private final String name;
    private final String namespace;
    private final Map<String, String> attributes;
    private final List<XmlNode> children;
    private final String text;

    private XmlNode(Builder b) {
        this.name = b.name;
        this.namespace = b.namespace;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        this.children = List.copyOf(b.children);
        this.text = b.text.toString();
    }

    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** A builder pre-filled with this node's content. */
    public Builder toBuilder() {
        Builder b = new Builder(name, namespace);
        b.attributes.putAll(attributes);
        b.children.addAll(children);
        b.text.append(text);
        return b;
    }

    public String name() { return name; }
    /** The element's namespace, never null ("" for none). */
    public String namespace() { return namespace; }
    public Map<String, String> attributes() { return attributes; }
    public String attr(String attributeName) { return attributes.get(attributeName); }
    public List<XmlNode> children() { return children; }
    /** Text content directly inside this element (concatenated, untrimmed). */
    public String text() { return text; }

    public boolean is(String elementName, String elementNamespace) {
        return name.equals(elementName) && namespace.equals(elementNamespace);
    }

    /** The first child with that name and namespace, or null. */
    public XmlNode child(String elementName, String elementNamespace) {
        for (XmlNode c : children) {
            if (c.is(elementName, elementNamespace)) {
                return c;
            }
        }
        return null;
    }

    public List<XmlNode> children(String elementName, String elementNamespace) {
        List<XmlNode> out = new ArrayList<>();
        for (XmlNode c : children) {
            if (c.is(elementName, elementNamespace)) {
                out.add(c);
            }
        }
        return out;
    }

    /** This element as XML, with an {@code xmlns} attribute unless its namespace equals {@code parentNamespace}. */
    public String toXml(String parentNamespace) {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, parentNamespace);
        return sb.toString();
    }

    public void appendTo(StringBuilder sb, String parentNamespace) {
        sb.append('<').append(name);
        if (!namespace.equals(parentNamespace == null ? "" : parentNamespace)) {
            sb.append(" xmlns='");
            escapeAttribute(sb, namespace);
            sb.append('\'');
        }
        appendAttributes(sb, attributes);
        if (children.isEmpty() && text.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        escapeText(sb, text);
        for (XmlNode c : children) {
            c.appendTo(sb, namespace);
        }
        sb.append("</").append(name).append('>');
    }

    /** Appends {@code  name='value'} for each attribute. */
    public static void appendAttributes(StringBuilder sb, Map<String, String> attributes) {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            sb.append(' ').append(a.getKey()).append("='");
            escapeAttribute(sb, a.getValue());
            sb.append('\'');
        }
    }

    static void escapeAttribute(StringBuilder sb, String s) {
        escape(sb, s, true);
    }

    static void escapeText(StringBuilder sb, String s) {
        escape(sb, s, false);
    }

    /** XML escaping; quotes only matter in attribute values. */
    private static void escape(StringBuilder sb, String s, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\'' -> sb.append(attribute ? "&apos;" : "'");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                default -> sb.append(c);
            }
        }
    }

    /**
     * Writes an IQ's child element content: empty when there are no children, else the children (in the IQ's
     * namespace, so they carry no redundant xmlns).
     */
    public static IQ.IQChildElementXmlStringBuilder writeChildren(IQ.IQChildElementXmlStringBuilder xml,
                                                                   List<XmlNode> children, String namespace) {
        if (children.isEmpty()) {
            xml.setEmptyElement();
            return xml;
        }
        xml.rightAngleBracket();
        StringBuilder sb = new StringBuilder();
        children.forEach(c -> c.appendTo(sb, namespace));
        xml.append(sb);
        return xml;
    }

    /**
     * Reads the element the parser is positioned on (a START_ELEMENT) with everything inside it, and leaves the
     * parser on its END_ELEMENT. Attributes in a namespace other than {@code xml:} are dropped (the focus never
     * uses them).
     */
    public static XmlNode read(XmlPullParser parser) throws XmlPullParserException, IOException {
        if (parser.getEventType() != XmlPullParser.Event.START_ELEMENT) {
            throw new XmlPullParserException("expected a start tag, got " + parser.getEventType());
        }
        Builder b = new Builder(parser.getName(), parser.getNamespace());
        for (int i = 0; i < parser.getAttributeCount(); i++) {
            String ns = parser.getAttributeNamespace(i);
            String attrName = parser.getAttributeName(i);
            if (ns == null || ns.isEmpty()) {
                b.attributes.put(attrName, parser.getAttributeValue(i));
            } else if (XML_NS.equals(ns)) {
                b.attributes.put("xml:" + attrName, parser.getAttributeValue(i));
            }
        }
        int depth = parser.getDepth();
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case START_ELEMENT -> b.children.add(read(parser));
                case TEXT_CHARACTERS, ENTITY_REFERENCE -> b.text.append(parser.getText());
                case END_ELEMENT -> {
                    if (parser.getDepth() == depth) {
                        if (!b.children.isEmpty() && b.text.toString().isBlank()) {
                            b.text.setLength(0); // indentation between child elements is not content
                        }
                        return new XmlNode(b);
                    }
                }
                case END_DOCUMENT -> throw new XmlPullParserException("document ended inside <" + b.name + ">");
                default -> { }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof XmlNode n)) {
            return false;
        }
        return name.equals(n.name) && namespace.equals(n.namespace) && attributes.equals(n.attributes)
                && children.equals(n.children) && text.equals(n.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, attributes, children, text);
    }

    @Override
    public String toString() {
        return toXml("");
    }

    public static final class Builder {
        private final String name;
        private final String namespace;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<XmlNode> children = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        private Builder(String name, String namespace) {
            this.name = Objects.requireNonNull(name, "name");
            this.namespace = namespace == null ? "" : namespace;
        }

        /** Sets an attribute; a null value means "absent" and is skipped. */
        public Builder attr(String attributeName, Object value) {
            if (value != null) {
                attributes.put(attributeName, value.toString());
            }
            return this;
        }

        /** Sets {@code attributeName='true'} only when the flag is set. */
        public Builder flag(String attributeName, boolean set) {
            if (set) {
                attributes.put(attributeName, "true");
            }
            return this;
        }

        public Builder child(XmlNode child) {
            if (child != null) {
                children.add(child);
            }
            return this;
        }

        public Builder children(Collection<XmlNode> more) {
            for (XmlNode c : more) {
                child(c);
            }
            return this;
        }

        public Builder text(String s) {
            if (s != null) {
                text.append(s);
            }
            return this;
        }

        public XmlNode build() {
            return new XmlNode(this);
        }
    }
}
