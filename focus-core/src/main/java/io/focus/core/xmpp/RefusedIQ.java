package io.focus.core.xmpp;

import java.io.IOException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IqProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.jid.Jid;

/**
 * An IQ whose payload one of the focus's providers refused (a Jingle without a sid, an SSRC that is not a number, …).
 * Smack only hands a parse failure to its callback with the tail of the stanza, without the envelope, so nobody could
 * answer the sender; with {@link #tolerant} around each provider the IQ arrives as this, with its type, id and sender
 * intact, and {@link StanzaHygiene} answers it {@code bad-request} with the parser's message.
 */
public final class RefusedIQ extends IQ {
    private final String problem;

    RefusedIQ(String element, String namespace, String problem) {
        super(element, namespace);
        this.problem = problem;
    }

    /**
     * An IQ request whose parsing failed before any provider could say so (Smack's own parsing threw on it), rebuilt
     * from its envelope so that it can be answered.
     *
     * @param element its child element, or null when unknown
     */
    public static RefusedIQ request(IQ.Type type, String id, Jid from, Jid to, String element, String namespace,
                                    String problem) {
        if (type != IQ.Type.get && type != IQ.Type.set) {
            throw new IllegalArgumentException("not a request: " + type);
        }
        RefusedIQ iq = new RefusedIQ(element, namespace, problem);
        iq.setType(type);
        iq.setStanzaId(id);
        iq.setFrom(from);
        iq.setTo(to);
        return iq;
    }

    /** What the parser said. */
    public String problem() { return problem; }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.setEmptyElement();
        return xml;
    }

    /** Wraps a provider so that what it refuses becomes a {@link RefusedIQ} instead of a parsing exception. */
    public static IqProvider<IQ> tolerant(String element, String namespace, IqProvider<? extends IQ> provider) {
        return new IqProvider<>() {
            @Override
            public IQ parse(XmlPullParser parser, int initialDepth, IqData iqData, XmlEnvironment env)
                    throws XmlPullParserException, IOException {
                try {
                    return provider.parse(parser, initialDepth, iqData, env);
                } catch (SmackParsingException | RuntimeException e) {
                    // the rest of the element is skipped, so the stream stays in step
                    while (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT
                            && parser.getDepth() == initialDepth)) {
                        parser.next();
                    }
                    return new RefusedIQ(element, namespace, e.getMessage());
                }
            }
        };
    }
}
