package io.focus.core.colibri;

import io.focus.core.xmpp.XmlNode;
import java.util.List;
import org.jivesoftware.smack.packet.IQ;

/**
 * What a Colibri2 request ({@link ConferenceModifyIQ}) and its answer ({@link ConferenceModifiedIQ}) both carry: the
 * endpoints, relays, conference-level sources and unknown children of a conference, read the same way.
 */
abstract class ColibriConferenceIQ extends IQ {
    final ConferenceContent content;

    ColibriConferenceIQ(String element, ConferenceContent content) {
        super(element, Namespaces.COLIBRI2);
        this.content = content;
    }

    public List<Endpoint> endpoints() { return content.endpoints; }

    public List<Relay> relays() { return content.relays; }

    /**
     * Conference-level sources, or null: rare in a request; in the answer to a conference create, the bridge's
     * feedback sources (owner "jvb").
     */
    public Sources sources() { return content.sources; }

    public List<XmlNode> otherChildren() { return content.otherChildren; }

    /** The endpoint with that id, or null. */
    public Endpoint endpoint(String id) { return content.endpoint(id); }

    /** The relay with that id, or null. */
    public Relay relay(String id) { return content.relay(id); }
}
