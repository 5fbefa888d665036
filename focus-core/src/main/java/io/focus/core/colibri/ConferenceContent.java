package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code <conference-modify>} request and a {@code <conference-modified>} answer both carry: endpoints,
 * relays, conference-level sources, and the children the focus does not model (kept, so nothing a bridge sends is
 * lost). Immutable.
 */
final class ConferenceContent {
    final List<Endpoint> endpoints;
    final List<Relay> relays;
    /** Conference-level sources (a bridge's feedback sources in an answer), or null. */
    final Sources sources;
    final List<XmlNode> otherChildren;

    private ConferenceContent(Collector c) {
        this.endpoints = List.copyOf(c.endpoints);
        this.relays = List.copyOf(c.relays);
        this.sources = c.sources;
        this.otherChildren = List.copyOf(c.otherChildren);
    }

    /** The endpoint with that id, or null. */
    Endpoint endpoint(String id) {
        return endpoints.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    }

    /** The relay with that id, or null. */
    Relay relay(String id) {
        return relays.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    /** The children in wire order: endpoints, relays, sources, the rest. */
    void addNodesTo(List<XmlNode> out) {
        endpoints.forEach(e -> out.add(e.toNode()));
        relays.forEach(r -> out.add(r.toNode()));
        if (sources != null) {
            out.add(sources.toNode());
        }
        out.addAll(otherChildren);
    }

    /** Gathers the content while a request or an answer is built or parsed. */
    static final class Collector {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<Relay> relays = new ArrayList<>();
        private Sources sources;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        void endpoint(Endpoint e) { endpoints.add(e); }
        void relay(Relay r) { relays.add(r); }
        void sources(Sources s) { sources = s; }
        void otherChild(XmlNode n) { otherChildren.add(n); }

        /** Takes one child of the parsed element; a malformed endpoint, relay or sources is an error naming it. */
        void read(XmlNode c) throws StanzaParseException {
            if (c.is("endpoint", Namespaces.COLIBRI2)) {
                endpoint(Endpoint.fromNode(c));
            } else if (c.is("relay", Namespaces.COLIBRI2)) {
                relay(Relay.fromNode(c));
            } else if (c.is("sources", Namespaces.COLIBRI2)) {
                sources(Sources.fromNode(c));
            } else {
                otherChild(c);
            }
        }

        ConferenceContent build() { return new ConferenceContent(this); }
    }
}
