package io.focus.app.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small XML element tree for the fuzz test: templates are built as trees, mutated, and written out. What it writes
 * is always well-formed and namespace-well-formed (every attribute and text escaped, a namespace only as a default
 * {@code xmlns} declaration, element and attribute names from the generator's own lists), so Prosody never closes the
 * sender's stream over it: the focus gets every stanza.
 */
final class FuzzNode {
    final String name;
    /** Declared as {@code xmlns='…'} on this element; null inherits. */
    String ns;
    final Map<String, String> attrs = new LinkedHashMap<>();
    final List<FuzzNode> children = new ArrayList<>();
    /** Text before the children (escaped when written); null for none. */
    String text;
    /** Written as a CDATA section instead of escaped text (only when it holds no {@code ]]>}). */
    boolean cdata;

    FuzzNode(String name, String ns) {
        this.name = name;
        this.ns = ns;
    }

    static FuzzNode el(String name, String ns) { return new FuzzNode(name, ns); }

    static FuzzNode el(String name) { return new FuzzNode(name, null); }

    FuzzNode attr(String k, String v) {
        attrs.put(k, v);
        return this;
    }

    FuzzNode add(FuzzNode... c) {
        children.addAll(List.of(c));
        return this;
    }

    FuzzNode text(String t) {
        text = t;
        return this;
    }

    FuzzNode copy() {
        FuzzNode n = new FuzzNode(name, ns);
        n.attrs.putAll(attrs);
        n.text = text;
        n.cdata = cdata;
        children.forEach(c -> n.children.add(c.copy()));
        return n;
    }

    /** Every element of the tree, this one first. */
    List<FuzzNode> all() {
        List<FuzzNode> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<FuzzNode> out) {
        out.add(this);
        children.forEach(c -> c.collect(out));
    }

    String xml() {
        StringBuilder sb = new StringBuilder();
        write(sb);
        return sb.toString();
    }

    void write(StringBuilder sb) {
        sb.append('<').append(name);
        if (ns != null) {
            sb.append(" xmlns='").append(esc(ns)).append('\'');
        }
        attrs.forEach((k, v) -> sb.append(' ').append(k).append("='").append(esc(v)).append('\''));
        if (children.isEmpty() && text == null) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        if (text != null) {
            if (cdata && !text.contains("]]>")) {
                sb.append("<![CDATA[").append(text).append("]]>");
            } else {
                sb.append(esc(text));
            }
        }
        children.forEach(c -> c.write(sb));
        sb.append("</").append(name).append('>');
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\'' -> sb.append("&apos;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
