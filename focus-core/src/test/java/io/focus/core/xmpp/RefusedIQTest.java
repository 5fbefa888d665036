package io.focus.core.xmpp;

import io.focus.core.providers.FocusProviders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.jingle.JingleIQ;
import io.focus.core.testing.Stanzas;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;

/** A payload our providers refuse still reaches the connection as an IQ with its envelope, and the stream stays in step. */
class RefusedIQTest {
    @Test
    void aRefusedJingleKeepsItsEnvelopeAndTheNextStanzaStillParses() throws Exception {
        FocusProviders.registerAll();
        XmlPullParser p = PacketParserUtils.getParserFor("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<iq type='set' id='bad1' from='room@conference.meet.test/abcd' to='focus@auth.meet.test/focus'>"
                + "<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='s1'><content name='video'>"
                + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>"
                + "<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='abc'><parameter name='msid' value='x'/>"
                + "</source></description></content></jingle></iq>"
                + "<iq type='set' id='good1' from='room@conference.meet.test/abcd' to='focus@auth.meet.test/focus'>"
                + "<jingle xmlns='urn:xmpp:jingle:1' action='source-add' sid='s1'/></iq>"
                + "</stream:stream>");
        Stanza first = next(p);
        RefusedIQ refused = assertInstanceOf(RefusedIQ.class, first);
        assertEquals(IQ.Type.set, refused.getType());
        assertEquals("bad1", refused.getStanzaId());
        assertEquals("room@conference.meet.test/abcd", String.valueOf(refused.getFrom()));
        assertEquals("jingle", refused.getChildElementName());
        assertTrue(refused.problem().contains("ssrc"), refused.problem());
        JingleIQ second = assertInstanceOf(JingleIQ.class, next(p));
        assertEquals("good1", second.getStanzaId());
    }

    private static Stanza next(XmlPullParser p) throws Exception {
        while (!(p.next() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2)) {
            assertTrue(p.getEventType() != XmlPullParser.Event.END_DOCUMENT, "no more stanzas");
        }
        return PacketParserUtils.parseStanza(p, Stanzas.STREAM);
    }
}
