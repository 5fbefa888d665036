package io.focus.core.xmpp;

/**
 * Typed reads of {@link XmlNode} attributes. Every failure is a {@link StanzaParseException} whose message names
 * the element, the attribute and the bad value.
 */
public final class Attrs {
    private Attrs() {}

    public static String required(XmlNode node, String attr) throws StanzaParseException {
        String v = node.attr(attr);
        if (v == null || v.isEmpty()) {
            throw new StanzaParseException("<" + node.name() + "> is missing required attribute '" + attr + "'");
        }
        return v;
    }

    public static String optional(XmlNode node, String attr) {
        return node.attr(attr);
    }

    public static Integer optInt(XmlNode node, String attr) throws StanzaParseException {
        String v = node.attr(attr);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(node, attr, v, "an integer");
        }
    }

    public static int requiredInt(XmlNode node, String attr) throws StanzaParseException {
        required(node, attr);
        return optInt(node, attr);
    }

    public static Long optLong(XmlNode node, String attr) throws StanzaParseException {
        String v = node.attr(attr);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(node, attr, v, "an integer");
        }
    }

    public static long requiredLong(XmlNode node, String attr) throws StanzaParseException {
        required(node, attr);
        return optLong(node, attr);
    }

    /** An SSRC: an unsigned 32-bit integer. */
    public static long requiredSsrc(XmlNode node, String attr) throws StanzaParseException {
        long v = requiredLong(node, attr);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw bad(node, attr, node.attr(attr), "an unsigned 32-bit SSRC");
        }
        return v;
    }

    /** {@code true}/{@code 1} or {@code false}/{@code 0}; absent is null. */
    public static Boolean optBool(XmlNode node, String attr) throws StanzaParseException {
        String v = node.attr(attr);
        if (v == null) {
            return null;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1":
                return Boolean.TRUE;
            case "false", "0":
                return Boolean.FALSE;
            default:
                throw bad(node, attr, v, "a boolean");
        }
    }

    /** As {@link #optBool} but absent means false. */
    public static boolean flag(XmlNode node, String attr) throws StanzaParseException {
        return Boolean.TRUE.equals(optBool(node, attr));
    }

    private static StanzaParseException bad(XmlNode node, String attr, String value, String what) {
        return new StanzaParseException("<" + node.name() + (node.namespace().isEmpty() ? "" : " xmlns='"
                + node.namespace() + "'") + "> attribute '" + attr + "'='" + value + "' is not " + what);
    }
}
