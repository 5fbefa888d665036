package io.focus.core.xmpp;

/** Parses the focus conference IQ (see {@link ConferenceIq} for what is lenient and what is an error). */
public final class ConferenceIqProvider extends XmlNodeIqProvider<ConferenceIq> {
    public ConferenceIqProvider() {
        super(ConferenceIq.ELEMENT, ConferenceIq::fromNode);
    }
}
