package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Colibri2 {@code <media-source type id>}: one source name with its SSRCs and SSRC groups. */
public record MediaSource(String type, String id, List<Source> sources, List<SsrcGroup> ssrcGroups) {
    public MediaSource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        sources = List.copyOf(sources);
        ssrcGroups = List.copyOf(ssrcGroups);
    }

    public MediaSource(String type, String id, List<Source> sources) {
        this(type, id, sources, List.of());
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("media-source", Namespaces.COLIBRI2).attr("type", type).attr("id", id);
        sources.forEach(s -> b.child(s.toNode()));
        ssrcGroups.forEach(g -> b.child(g.toNode()));
        return b.build();
    }

    public static MediaSource fromNode(XmlNode n) throws StanzaParseException {
        List<Source> sources = new ArrayList<>();
        List<SsrcGroup> groups = new ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.is("source", Namespaces.SSMA)) {
                sources.add(Source.fromNode(c));
            } else if (c.is("ssrc-group", Namespaces.SSMA)) {
                groups.add(SsrcGroup.fromNode(c));
            }
        }
        return new MediaSource(Attrs.required(n, "type"), Attrs.required(n, "id"), sources, groups);
    }
}
