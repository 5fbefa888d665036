package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code <ssrc-group xmlns="urn:xmpp:jingle:apps:rtp:ssma:0" semantics="FID|SIM"><source ssrc/>...}. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        Objects.requireNonNull(semantics, "semantics");
        ssrcs = List.copyOf(ssrcs);
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("ssrc-group", Namespaces.SSMA).attr("semantics", semantics);
        for (long s : ssrcs) {
            b.child(XmlNode.builder("source", Namespaces.SSMA).attr("ssrc", s).build());
        }
        return b.build();
    }

    public static SsrcGroup fromNode(XmlNode n) throws StanzaParseException {
        List<Long> ssrcs = new ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.name().equals("source")) {
                ssrcs.add(Attrs.requiredSsrc(c, "ssrc"));
            }
        }
        return new SsrcGroup(Attrs.required(n, "semantics"), ssrcs);
    }
}
