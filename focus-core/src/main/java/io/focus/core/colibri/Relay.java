package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Colibri2 {@code <relay id mesh-id create expire>} (Octo link to another bridge, {@code id} = the other
 * bridge's relay_id) with media, transport and {@code <endpoints>} (the participants behind the other bridge).
 * {@link #endpoints()} is null when there is no {@code <endpoints>} element.
 */
public final class Relay {
    private final String id;
    private final String meshId;
    private final boolean create;
    private final boolean expire;
    private final List<Media> medias;
    private final Colibri2Transport transport;
    private final List<Endpoint> endpoints;
    private final List<XmlNode> otherChildren;

    private Relay(Builder b) {
        this.id = b.id;
        this.meshId = b.meshId;
        this.create = b.create;
        this.expire = b.expire;
        this.medias = List.copyOf(b.medias);
        this.transport = b.transport;
        this.endpoints = b.endpoints == null ? null : List.copyOf(b.endpoints);
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** {@code <relay id expire="true"/>}. */
    public static Relay expire(String id) {
        return builder(id).expire(true).build();
    }

    public String id() { return id; }
    public String meshId() { return meshId; }
    public boolean create() { return create; }
    public boolean expire() { return expire; }
    public List<Media> medias() { return medias; }
    public Colibri2Transport transport() { return transport; }
    public IceUdpTransport iceUdpTransport() { return transport == null ? null : transport.iceUdp(); }
    public List<Endpoint> endpoints() { return endpoints; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("relay", Namespaces.COLIBRI2).attr("id", id).flag("create", create)
                .flag("expire", expire).attr("mesh-id", meshId);
        medias.forEach(m -> b.child(m.toNode()));
        if (transport != null) {
            b.child(transport.toNode());
        }
        if (endpoints != null) {
            XmlNode.Builder eps = XmlNode.builder("endpoints", Namespaces.COLIBRI2);
            endpoints.forEach(e -> eps.child(e.toNode()));
            b.child(eps.build());
        }
        return b.children(otherChildren).build();
    }

    public static Relay fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder(Attrs.required(n, "id")).meshId(n.attr("mesh-id")).create(Attrs.flag(n, "create"))
                .expire(Attrs.flag(n, "expire"));
        for (XmlNode c : n.children()) {
            if (c.is("media", Namespaces.COLIBRI2)) {
                b.media(Media.fromNode(c));
            } else if (c.is("transport", Namespaces.COLIBRI2)) {
                b.transport(Colibri2Transport.fromNode(c));
            } else if (c.is("endpoints", Namespaces.COLIBRI2)) {
                List<Endpoint> eps = new ArrayList<>();
                for (XmlNode e : c.children("endpoint", Namespaces.COLIBRI2)) {
                    eps.add(Endpoint.fromNode(e));
                }
                b.endpoints(eps);
            } else {
                b.otherChild(c);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Relay r && toNode().equals(r.toNode());
    }

    @Override
    public int hashCode() { return toNode().hashCode(); }

    @Override
    public String toString() { return "Relay{" + id + (create ? ", create" : "") + (expire ? ", expire" : "") + "}"; }

    public static final class Builder {
        private final String id;
        private String meshId;
        private boolean create;
        private boolean expire;
        private final List<Media> medias = new ArrayList<>();
        private Colibri2Transport transport;
        private List<Endpoint> endpoints;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder meshId(String v) { meshId = v; return this; }
        public Builder create(boolean v) { create = v; return this; }
        public Builder expire(boolean v) { expire = v; return this; }
        public Builder media(Media m) { medias.add(m); return this; }
        public Builder medias(List<Media> ms) { medias.addAll(ms); return this; }
        public Builder transport(Colibri2Transport t) { transport = t; return this; }
        /** Adds to the {@code <endpoints>} element (creating it). */
        public Builder endpoint(Endpoint e) {
            if (endpoints == null) {
                endpoints = new ArrayList<>();
            }
            endpoints.add(e);
            return this;
        }
        public Builder endpoints(List<Endpoint> es) { endpoints = es == null ? null : new ArrayList<>(es); return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(n); return this; }
        public Relay build() { return new Relay(this); }
    }
}
