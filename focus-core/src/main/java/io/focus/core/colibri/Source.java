package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code <source xmlns="urn:xmpp:jingle:apps:rtp:ssma:0" ssrc name videoType>} with an optional
 * {@code <ssrc-info xmlns="http://jitsi.org/jitmeet" owner>} and {@code <parameter name value>} children (msid).
 * Shared by Colibri2 ({@code <media-source>}) and Jingle ({@code <description>}).
 */
public record Source(long ssrc, String name, String videoType, String owner, List<Parameter> parameters) {
    public Source {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        }
        parameters = List.copyOf(parameters);
    }

    public Source(long ssrc, String name) {
        this(ssrc, name, null, null, List.of());
    }

    public Source withVideoType(String type) { return new Source(ssrc, name, type, owner, parameters); }
    public Source withOwner(String o) { return new Source(ssrc, name, videoType, o, parameters); }

    public Source withParameter(String pname, String value) {
        List<Parameter> ps = new ArrayList<>(parameters);
        ps.add(new Parameter(pname, value));
        return new Source(ssrc, name, videoType, owner, ps);
    }

    /** The {@code msid} parameter, or null. */
    public String msid() {
        return parameters.stream().filter(p -> p.name().equals("msid")).map(Parameter::value).findFirst()
                .orElse(null);
    }

    public XmlNode toNode() {
        XmlNode.Builder b = XmlNode.builder("source", Namespaces.SSMA).attr("ssrc", ssrc).attr("name", name)
                .attr("videoType", videoType);
        if (owner != null) {
            b.child(XmlNode.builder("ssrc-info", Namespaces.JITMEET).attr("owner", owner).build());
        }
        for (Parameter p : parameters) {
            b.child(p.toNode(Namespaces.RTP));
        }
        return b.build();
    }

    public static Source fromNode(XmlNode n) throws StanzaParseException {
        String owner = null;
        List<Parameter> params = new ArrayList<>();
        for (XmlNode c : n.children()) {
            if (c.is("ssrc-info", Namespaces.JITMEET)) {
                owner = c.attr("owner");
            } else if (c.name().equals("parameter")) {
                params.add(Parameter.fromNode(c));
            }
        }
        return new Source(Attrs.requiredSsrc(n, "ssrc"), n.attr("name"), n.attr("videoType"), owner, params);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Source s && ssrc == s.ssrc && Objects.equals(name, s.name)
                && Objects.equals(videoType, s.videoType) && Objects.equals(owner, s.owner)
                && parameters.equals(s.parameters);
    }

    @Override
    public int hashCode() { return Objects.hash(ssrc, name, videoType, owner, parameters); }
}
