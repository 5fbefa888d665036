package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.focus.core.testing.Fixtures;
import io.focus.core.testing.RequiresRecordings;
import io.focus.core.testing.Stanzas;
import io.focus.core.providers.FocusProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;

/** The size the focus measures a stanza at, against the bytes it had on the wire. */
class GuardedParserTest {

    /** Parses {@code stanzaXml} as a connection does, through a GuardedParser; returns what it measured. */
    static long measure(String stanzaXml) throws Exception {
        FocusProviders.registerAll();
        XmlPullParser p = PacketParserUtils.getParserFor("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams'>" + stanzaXml + "</stream:stream>");
        while (!(p.next() == XmlPullParser.Event.START_ELEMENT && p.getDepth() == 2)) {
            assertFalse(p.getEventType() == XmlPullParser.Event.END_DOCUMENT, "no stanza");
        }
        GuardedParser m = new GuardedParser(p);
        Stanza s = PacketParserUtils.parseStanza(m, Stanzas.STREAM);
        assertTrue(s != null);
        assertEquals(XmlPullParser.Event.END_ELEMENT, p.getEventType(), "Smack read the whole stanza");
        return m.bytes();
    }

    private static long wire(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void countsNamesAttributesNamespacesAndMultiByteText() throws Exception {
        String xml = "<message to='a@b.c/d' id='x1' type='chat'><body>héllo ✓ 😀</body>"
                + "<p:x xmlns:p='urn:example:p' p:k='v'><p:y/></p:x></message>";
        assertEquals(wire(xml), measure(xml));
    }

    @Test
    void nextTextReadsTextAndRefusesAnElementInsideWithoutLosingTheDepth() throws Exception {
        XmlPullParser p = PacketParserUtils.getParserFor("<r><a>x &amp; y</a><e/><m>1<b><c/></b>2</m><after/></r>");
        GuardedParser g = new GuardedParser(p);
        assertEquals(XmlPullParser.Event.START_ELEMENT, g.next());
        assertEquals("x & y", g.nextText());
        assertEquals(XmlPullParser.Event.END_ELEMENT, g.getEventType());
        g.next();
        assertEquals("", g.nextText());
        g.next();
        int depth = g.getDepth();
        org.jivesoftware.smack.xml.XmlPullParserException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jivesoftware.smack.xml.XmlPullParserException.class, g::nextText);
        assertTrue(e.getMessage().contains("<m> may hold only text, not <b>"), e.getMessage());
        assertEquals("b", g.getName());
        assertEquals(depth + 1, g.getDepth(), "the element it stopped on is counted");
        // skipping the rest of <m> by depth, as Smack does, ends at </m>: the next element is <after/>
        while (!(g.getEventType() == XmlPullParser.Event.END_ELEMENT && g.getDepth() == depth)) {
            g.next();
        }
        assertEquals("m", g.getName());
        assertEquals(XmlPullParser.Event.START_ELEMENT, g.next());
        assertEquals("after", g.getName());
    }

    @Test
    void aHugeAttributeOrTextIsCountedInFull() throws Exception {
        String big = "a".repeat(100_000);
        assertTrue(measure("<iq type='get' id='1' to='a@b.c'><q xmlns='urn:x' v='" + big + "'/></iq>") > 100_000);
        assertTrue(measure("<message to='a@b.c'><body>" + big + "</body></message>") > 100_000);
        assertTrue(measure("<presence to='a@b.c' junk='" + big + "'/>") > 100_000);
    }

    /**
     * Every stanza of the recorded calls as Prosody delivered it, measured as the focus's connection reads it: within
     * 5 % of its bytes on the wire. And the default limit leaves room: at least 4 times the largest stanza the focus received.
     */
    @Test
    @RequiresRecordings
    void recordedStanzasMeasureWithinFivePercentOfTheirWireSizeAndTheDefaultLeavesRoom() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Fixtures.dir(), Fixtures.realCallDir())) {
            try (Stream<Path> s = Files.list(dir)) {
                // as Prosody delivered them (its escaping, its attribute quotes): the producer's own copy of a stanza
                // that has a .delivered one never reached a recipient in that form
                s.filter(f -> f.toString().endsWith(".xml"))
                        .filter(f -> f.toString().endsWith(".delivered.xml") || !Files.exists(
                                f.resolveSibling(f.getFileName().toString().replaceAll("\\.xml$", ".delivered.xml"))))
                        .sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() > 250, "the recordings: " + files.size());
        long largestToFocus = 0;
        String largestName = null;
        double worst = 0;
        for (Path f : files) {
            String xml = Files.readString(f, StandardCharsets.UTF_8);
            long measured = measure(xml);
            double off = Math.abs(measured - wire(xml)) / (double) wire(xml);
            worst = Math.max(worst, off);
            assertTrue(off <= 0.05, () -> f.getFileName() + ": measured " + measured + ", on the wire " + wire(xml));
            if (xml.matches("(?s)<[a-z]+ [^>]*to=['\"]focus@.*") && measured > largestToFocus) {
                largestToFocus = measured;
                largestName = f.getFileName().toString();
            }
        }
        long limit = StanzaLimits.fromConfig(ConfigFactory.defaultReference()).maxStanzaBytes();
        System.out.printf("measured %d recorded stanzas, worst %.1f %% off the wire size; largest to the focus: %s,"
                + " %d bytes; focus.xmpp.max-stanza-bytes = %d%n", files.size(), worst * 100, largestName,
                largestToFocus, limit);
        assertTrue(largestToFocus > 4000, "found the session-accepts: " + largestName);
        assertTrue(limit >= 4 * largestToFocus, "the default limit " + limit + " leaves room over " + largestName);
    }
}
