package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.focus.core.providers.FocusProviders;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;
import java.time.Clock;

/**
 * The connection's reader path without a server: stanzas on which Smack's own parser throws what its reader would not
 * survive are counted and skipped, and the stanza after each is read as usual (the stream stays in step).
 */
class FocusConnectionParseTest {
    static final String S = "urn:ietf:params:xml:ns:xmpp-stanzas";

    @Test
    void smacksOwnParseFailuresAreSurvivedAndTheStreamStaysInStep() throws Exception {
        FocusProviders.registerAll();
        CollectorRegistry metrics = new CollectorRegistry();
        FocusConnection c = new FocusConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain("auth.meet.test")
                .setUsernameAndPassword("focus", "pw").build(), new StanzaHygiene(metrics, Clock.systemUTC()),
                StanzaLimits.none());
        String[] hostile = {
            "<iq type='set' id='1' from='a@b/c'><error type='cancel'><bad-request xmlns='" + S + "'/></error></iq>",
            "<iq type='get' id='2' from='a@b/c'><error/></iq>",
            "<iq type='result' id='3' from='a@b/c'><error/></iq>",
            "<iq type='error' id='4' from='a@b/c'><error type='cancel'><nonsense xmlns='" + S + "'/></error></iq>",
            // and one Smack does survive (an IllegalArgumentException), for comparison
            "<presence from='a@b/c' type='junk'/>",
        };
        StringBuilder stream = new StringBuilder("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>");
        for (int i = 0; i < hostile.length; i++) {
            stream.append(hostile[i]).append("<message from='a@b/c' id='after-").append(i).append("'><body>x</body>"
                    + "</message>");
        }
        XmlPullParser p = PacketParserUtils.getParserFor(stream.append("</stream:stream>").toString());
        try (StanzaCollector messages = c.createStanzaCollector(StanzaTypeFilter.MESSAGE)) {
            streamOpened(c, p); // the parser starts on <stream:stream>
            while (p.next() != XmlPullParser.Event.END_DOCUMENT) {
                if (p.getEventType() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2) {
                    c.parseAndProcessStanza(p); // threw out of the reader before (NPE, IllegalStateException)
                }
            }
            for (int i = 0; i < hostile.length; i++) {
                Message m = messages.pollResult();
                assertNotNull(m, "the message after hostile stanza " + i);
                assertEquals("after-" + i, m.getStanzaId());
            }
        }
        assertEquals(hostile.length, metrics.getSampleValue("focus_stanzas_rejected_total", new String[] {"reason"},
                new String[] {"unparseable"}));
    }

    /**
     * Where Smack's parsers read an element as text ({@code nextText}: a presence's {@code <status>}, a form's
     * {@code <value>}, ...) and the sender put an element in it: Smack's StAX parser throws having moved into that
     * element without counting it, so its depth is one short from then on, the rest of the stanza is skipped only
     * in part, and what is left of it is read as top-level stanzas. A client could have smuggled in a presence with
     * any {@code from} (a bridge leaving the brewery, say), which Prosody never sees as a stanza to stamp. (Found
     * by XmppFuzzE2ETest: with assertions on, the depth went below zero and killed the reader.)
     */
    @Test
    void anElementWhereSmackReadsTextCannotSmuggleAStanzaIn() throws Exception {
        FocusProviders.registerAll();
        CollectorRegistry metrics = new CollectorRegistry();
        FocusConnection c = new FocusConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain("auth.meet.test")
                .setUsernameAndPassword("focus", "pw").build(), new StanzaHygiene(metrics, Clock.systemUTC()),
                StanzaLimits.none());
        String smuggled = "<presence from='jvbbrewery@internal.auth.meet.test/jvb1' type='unavailable' id='smuggled'/>";
        XmlPullParser p = PacketParserUtils.getParserFor("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<presence from='a@b/c' id='hostile'><status>x<a/></status>" + smuggled + "</presence>"
                + "<message from='a@b/c' id='after'><body>x</body></message>"
                + "<iq type='get' id='form' from='a@b/c'><query xmlns='http://jabber.org/protocol/muc#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='v'><value><a/></value>" + smuggled
                + "</field></x></query></iq>"
                + "<message from='a@b/c' id='after-form'><body>x</body></message>"
                + "</stream:stream>");
        List<String> seen = new ArrayList<>();
        c.addSyncStanzaListener(st -> seen.add(st.getStanzaId()), st -> true);
        try (StanzaCollector all = c.createStanzaCollector(st -> true)) {
            streamOpened(c, p);
            while (p.next() != XmlPullParser.Event.END_DOCUMENT) {
                if (p.getEventType() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2) {
                    c.parseAndProcessStanza(p);
                }
            }
            List<String> ids = new ArrayList<>();
            for (Stanza s = all.pollResult(); s != null; s = all.pollResult()) {
                ids.add(s.getStanzaId());
            }
            assertEquals(List.of("after", "after-form"), ids, "only the two messages; nothing smuggled");
        }
        assertEquals(2.0, metrics.getSampleValue("focus_stanzas_rejected_total", new String[] {"reason"},
                new String[] {"unparseable"}));
    }

    /**
     * What the connection's reader does at {@code <stream:stream>} (Smack's own {@code onStreamOpen}, which is not
     * visible here): it sets the stream's namespace that stanzas inherit. Without it, Smack cannot read a message.
     */
    private static void streamOpened(FocusConnection c, XmlPullParser p) throws Exception {
        Method open = AbstractXMPPConnection.class.getDeclaredMethod("onStreamOpen", XmlPullParser.class);
        open.setAccessible(true);
        open.invoke(c, p);
    }
}
