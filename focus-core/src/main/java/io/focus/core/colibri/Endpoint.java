package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Colibri2 {@code <endpoint id stats-id create expire muc-role>} with media, transport, sources, capabilities,
 * force-mute and initial-last-n. Used directly under {@code <conference-modify>}/{@code <conference-modified>} and
 * inside a relay's {@code <endpoints>}. Null / false fields are absent on the wire; {@link #sources()} is null when
 * there is no {@code <sources>} element and {@link Sources#EMPTY} for {@code <sources/>}.
 */
public final class Endpoint {
    private final String id;
    private final String statsId;
    private final boolean create;
    private final boolean expire;
    private final String mucRole;
    private final List<Media> medias;
    private final Colibri2Transport transport;
    private final Sources sources;
    private final List<String> capabilities;
    private final ForceMute forceMute;
    private final Integer initialLastN;
    private final List<XmlNode> otherChildren;

    private Endpoint(Builder b) {
        this.id = b.id;
        this.statsId = b.statsId;
        this.create = b.create;
        this.expire = b.expire;
        this.mucRole = b.mucRole;
        this.medias = List.copyOf(b.medias);
        this.transport = b.transport;
        this.sources = b.sources;
        this.capabilities = List.copyOf(b.capabilities);
        this.forceMute = b.forceMute;
        this.initialLastN = b.initialLastN;
        this.otherChildren = List.copyOf(b.otherChildren);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** {@code <endpoint id expire="true"/>}. */
    public static Endpoint expire(String id) {
        return builder(id).expire(true).build();
    }

    public String id() { return id; }
    public String statsId() { return statsId; }
    public boolean create() { return create; }
    public boolean expire() { return expire; }
    public String mucRole() { return mucRole; }
    public List<Media> medias() { return medias; }
    public Colibri2Transport transport() { return transport; }
    /** The ICE-UDP transport inside the transport, or null. */
    public IceUdpTransport iceUdpTransport() { return transport == null ? null : transport.iceUdp(); }
    public Sources sources() { return sources; }
    public List<String> capabilities() { return capabilities; }
    public ForceMute forceMute() { return forceMute; }
    public Integer initialLastN() { return initialLastN; }
    public List<XmlNode> otherChildren() { return otherChildren; }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("endpoint", Namespaces.COLIBRI2).attr("id", id).flag("create", create)
                .flag("expire", expire).attr("stats-id", statsId).attr("muc-role", mucRole);
        medias.forEach(m -> b.child(m.toNode()));
        if (transport != null) {
            b.child(transport.toNode());
        }
        if (sources != null) {
            b.child(sources.toNode());
        }
        capabilities.forEach(c -> b.child(XmlNode.builder("capability", Namespaces.COLIBRI2).attr("name", c).build()));
        if (forceMute != null) {
            b.child(forceMute.toNode());
        }
        if (initialLastN != null) {
            b.child(XmlNode.builder("initial-last-n", Namespaces.COLIBRI2).attr("value", initialLastN).build());
        }
        return b.children(otherChildren).build();
    }

    public static Endpoint fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder(Attrs.required(n, "id")).statsId(n.attr("stats-id")).create(Attrs.flag(n, "create"))
                .expire(Attrs.flag(n, "expire")).mucRole(n.attr("muc-role"));
        for (XmlNode c : n.children()) {
            if (!c.namespace().equals(Namespaces.COLIBRI2)) {
                b.otherChild(c);
                continue;
            }
            switch (c.name()) {
                case "media" -> b.media(Media.fromNode(c));
                case "transport" -> b.transport(Colibri2Transport.fromNode(c));
                case "sources" -> b.sources(Sources.fromNode(c));
                case "capability" -> b.capability(Attrs.required(c, "name"));
                case "force-mute" -> b.forceMute(ForceMute.fromNode(c));
                case "initial-last-n" -> b.initialLastN(Attrs.requiredInt(c, "value"));
                default -> b.otherChild(c);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && toNode().equals(e.toNode());
    }

    @Override
    public int hashCode() { return toNode().hashCode(); }

    @Override
    public String toString() { return "Endpoint{" + id + (create ? ", create" : "") + (expire ? ", expire" : "") + "}"; }

    public static final class Builder {
        private final String id;
        private String statsId;
        private boolean create;
        private boolean expire;
        private String mucRole;
        private final List<Media> medias = new ArrayList<>();
        private Colibri2Transport transport;
        private Sources sources;
        private final List<String> capabilities = new ArrayList<>();
        private ForceMute forceMute;
        private Integer initialLastN;
        private final List<XmlNode> otherChildren = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder statsId(String v) { statsId = v; return this; }
        public Builder create(boolean v) { create = v; return this; }
        public Builder expire(boolean v) { expire = v; return this; }
        public Builder mucRole(String v) { mucRole = v; return this; }
        public Builder media(Media m) { medias.add(m); return this; }
        public Builder medias(List<Media> ms) { medias.addAll(ms); return this; }
        public Builder transport(Colibri2Transport t) { transport = t; return this; }
        public Builder sources(Sources s) { sources = s; return this; }
        public Builder capability(String name) { capabilities.add(name); return this; }
        public Builder forceMute(ForceMute f) { forceMute = f; return this; }
        public Builder initialLastN(Integer n) { initialLastN = n; return this; }
        public Builder otherChild(XmlNode n) { otherChildren.add(n); return this; }
        public Endpoint build() { return new Endpoint(this); }
    }
}
