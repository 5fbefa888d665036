package io.focus.core.colibri;

import io.focus.core.xmpp.Attrs;
import io.focus.core.xmpp.StanzaParseException;
import io.focus.core.xmpp.XmlNode;

/** Colibri2 {@code <force-mute audio video/>} (AV moderation). */
public record ForceMute(boolean audio, boolean video) {
    public XmlNode toNode() {
        return XmlNode.builder("force-mute", Namespaces.COLIBRI2).attr("audio", audio).attr("video", video).build();
    }

    public static ForceMute fromNode(XmlNode n) throws StanzaParseException {
        return new ForceMute(Attrs.flag(n, "audio"), Attrs.flag(n, "video"));
    }
}
