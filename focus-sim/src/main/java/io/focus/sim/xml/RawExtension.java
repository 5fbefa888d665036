package io.focus.sim.xml;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;

/** An extension element whose XML is a ready-made string (from the simulator's templates). */
public final class RawExtension implements ExtensionElement {
    private final String element;
    private final String namespace;
    private final String xml;

    public RawExtension(String element, String namespace, String xml) {
        this.element = element;
        this.namespace = namespace;
        this.xml = xml;
    }

    @Override public String getElementName() { return element; }
    @Override public String getNamespace() { return namespace; }
    @Override public CharSequence toXML(XmlEnvironment env) { return xml; }
    public String xml() { return xml; }
}
