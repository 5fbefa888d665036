package io.focus.sim.xml;

import java.util.Map;

import org.jivesoftware.smack.packet.IQ;

/**
 * An IQ whose child element is written from a template: name, namespace, attributes and raw inner XML. Used for
 * every IQ the simulator sends, so it never depends on anyone's IQ classes or providers.
 */
public final class RawIQ extends IQ {
    private final Map<String, String> attributes;
    private final String innerXml;

    public RawIQ(String element, String namespace, Map<String, String> attributes, String innerXml) {
        super(element, namespace);
        this.attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.innerXml = innerXml == null ? "" : innerXml;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        // keep the template's order where the map has one (LinkedHashMap copies lose it; sort for determinism)
        attributes.keySet().stream().sorted(RawIQ::attrOrder).forEach(k -> xml.attribute(k, attributes.get(k)));
        if (innerXml.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(innerXml);
        }
        return xml;
    }

    private static int attrOrder(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
    }

    private static int rank(String a) {
        return switch (a) {
            case "meeting-id", "room", "id" -> 0;
            case "name" -> 1;
            case "create" -> 2;
            case "expire" -> 3;
            default -> 4;
        };
    }
}
