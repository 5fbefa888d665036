package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Colibri2 {@code <sources>}: an endpoint's sources in a request, or the bridge's feedback sources (conference
 * level, in a response). An empty {@code Sources} still serializes as {@code <sources/>} (Jicofo sends that for a
 * new endpoint that has not signalled any source yet); "no sources element" is a null {@code Sources}.
 */
public record Sources(List<MediaSource> mediaSources) {
    public static final Sources EMPTY = new Sources(List.of());

    public Sources {
        mediaSources = List.copyOf(mediaSources);
    }

    public static Sources of(MediaSource... ms) {
        return new Sources(List.of(ms));
    }

    /** Every SSRC of every media source, in order. */
    public List<Long> ssrcs() {
        List<Long> out = new ArrayList<>();
        mediaSources.forEach(m -> m.sources().forEach(s -> out.add(s.ssrc())));
        return out;
    }

    public boolean isEmpty() { return mediaSources.isEmpty(); }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("sources", Namespaces.COLIBRI2);
        mediaSources.forEach(m -> b.child(m.toNode()));
        return b.build();
    }

    public static Sources fromNode(XmlNode n) throws StanzaParseException {
        List<MediaSource> ms = new ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.is("media-source", Namespaces.COLIBRI2)) {
                ms.add(MediaSource.fromNode(c));
            }
        }
        return new Sources(ms);
    }
}
