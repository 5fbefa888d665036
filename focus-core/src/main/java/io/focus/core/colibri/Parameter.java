package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.Objects;

/** {@code <parameter name value/>} of a payload type or a source. */
public record Parameter(String name, String value) implements PayloadType.Child {
    public Parameter {
        Objects.requireNonNull(name, "name");
    }

    XmlNode toNode(String namespace) {
        return XmlNode.builder("parameter", namespace).attr("name", name).attr("value", value).build();
    }

    static Parameter fromNode(XmlNode n) throws StanzaParseException {
        return new Parameter(Attrs.required(n, "name"), n.attr("value"));
    }
}
