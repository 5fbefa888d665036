package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;

/**
 * {@code <iq type="result"><conference-modified xmlns="jitsi:colibri2">}: a bridge's answer to a
 * {@link ConferenceModifyIQ}. It carries, per endpoint and relay, the bridge side's transport (ICE ufrag/pwd,
 * DTLS fingerprint, candidates, colibri web-socket, SCTP port), and on a conference create the bridge's feedback
 * {@link #sources()} (owner "jvb").
 */
public final class ConferenceModifiedIQ extends IQ {
    public static final String ELEMENT = "conference-modified";
    public static final String NAMESPACE = Namespaces.COLIBRI2;

    private final List<Endpoint> endpoints;
    private final List<Relay> relays;
    private final Sources sources;
    private final List<XmlNode> otherChildren;

    private ConferenceModifiedIQ(Builder b) {
        super(ELEMENT, NAMESPACE);
        setType(Type.result);
        this.endpoints = List.copyOf(b.endpoints);
        this.relays = List.copyOf(b.relays);
        this.sources = b.sources;
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Endpoint> endpoints() { return endpoints; }
    public List<Relay> relays() { return relays; }
    /** The bridge's feedback sources (present on a conference create), or null. */
    public Sources sources() { return sources; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    /** The endpoint with that id, or null. */
    public Endpoint endpoint(String id) {
        return endpoints.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    }

    /** The relay with that id, or null. */
    public Relay relay(String id) {
        return relays.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        List<XmlNode> children = new ArrayList<>();
        endpoints.forEach(e -> children.add(e.toNode()));
        relays.forEach(r -> children.add(r.toNode()));
        if (sources != null) {
            children.add(sources.toNode());
        }
        children.addAll(otherChildren);
        if (children.isEmpty()) {
            xml.setEmptyElement();
            return xml;
        }
        xml.rightAngleBracket();
        StringBuilder sb = new StringBuilder();
        children.forEach(c -> c.appendTo(sb, NAMESPACE));
        xml.append(sb);
        return xml;
    }

    public static ConferenceModifiedIQ fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder();
        for (XmlNode c : n.children()) {
            if (c.is("endpoint", NAMESPACE)) {
                b.endpoint(Endpoint.fromNode(c));
            } else if (c.is("relay", NAMESPACE)) {
                b.relay(Relay.fromNode(c));
            } else if (c.is("sources", NAMESPACE)) {
                b.sources(Sources.fromNode(c));
            } else {
                b.otherChild(c);
            }
        }
        return b.build();
    }

    public static final class Builder {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<Relay> relays = new ArrayList<>();
        private Sources sources;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        public Builder endpoint(Endpoint e) { endpoints.add(e); return this; }
        public Builder relay(Relay r) { relays.add(r); return this; }
        public Builder sources(Sources s) { sources = s; return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(n); return this; }
        public ConferenceModifiedIQ build() { return new ConferenceModifiedIQ(this); }
    }
}
