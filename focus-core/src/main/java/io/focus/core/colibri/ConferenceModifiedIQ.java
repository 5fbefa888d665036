package io.focus.core.colibri;

import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <iq type="result"><conference-modified xmlns="jitsi:colibri2">}: a bridge's answer to a
 * {@link ConferenceModifyIQ}. It carries, per endpoint and relay, the bridge side's transport (ICE ufrag/pwd,
 * DTLS fingerprint, candidates, colibri web-socket, SCTP port), and on a conference create the bridge's feedback
 * {@link #sources()} (owner "jvb").
 */
public final class ConferenceModifiedIQ extends ColibriConferenceIQ {
    public static final String ELEMENT = "conference-modified";
    public static final String NAMESPACE = Namespaces.COLIBRI2;

    private ConferenceModifiedIQ(Builder b) {
        super(ELEMENT, b.content.build());
        setType(Type.result);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        List<XmlNode> children = new ArrayList<>();
        content.addNodesTo(children);
        return XmlNode.writeChildren(xml, children, NAMESPACE);
    }

    public static ConferenceModifiedIQ fromNode(XmlNode n) throws StanzaParseException {
        Builder b = builder();
        for (XmlNode c : n.children()) {
            b.content.read(c);
        }
        return b.build();
    }

    public static final class Builder {
        private final ConferenceContent.Collector content = new ConferenceContent.Collector();

        public Builder endpoint(Endpoint e) { content.endpoint(e); return this; }
        public Builder relay(Relay r) { content.relay(r); return this; }
        public Builder sources(Sources s) { content.sources(s); return this; }
        public Builder otherChild(XmlNode n) { content.otherChild(n); return this; }
        public ConferenceModifiedIQ build() { return new ConferenceModifiedIQ(this); }
    }
}
