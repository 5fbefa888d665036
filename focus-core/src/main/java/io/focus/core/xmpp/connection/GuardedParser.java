package io.focus.core.xmpp.connection;

import java.io.IOException;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * The parser Smack reads one stanza with. It passes everything through to the stream's parser, except
 * {@link #nextText()}, and it measures the stanza.
 *
 * <p><b>nextText.</b> Smack's parsers read many elements as text ({@code nextText}: a presence's {@code <status>}, a
 * form's {@code <value>}, an error's {@code <text>}, ...). Smack's StAX parser implements it with StAX's
 * {@code getElementText}, which, on an element inside, throws having moved into that element without Smack's depth
 * counting it. Smack then skips "the rest of the stanza" by that depth, stops one element early, and reads what is
 * left of the stanza as top-level stanzas: any client could smuggle in a stanza with any {@code from} (say a bridge
 * leaving the brewery), which Prosody never saw as a stanza, and the stream is out of step after it (with
 * assertions on, Smack's depth check kills the reader). Here {@code nextText} reads through {@link #next()}, so the
 * depth stays right, and an element inside is a parse error at that element.
 *
 * <p><b>Size.</b> It adds up how large the stanza is as XML: tag names, namespace declarations, attribute names and values, and text, in UTF-8 bytes,
 * plus the markup around them ({@code <}, {@code ='…'}, {@code </…>}, {@code <…/>} for an empty element), with the
 * characters Prosody escapes counted as their entities: the size as Prosody writes the stanza to the focus. Within a
 * few percent of the wire size for real stanzas (GuardedParserTest, on the recorded calls).
 *
 * <p>Why not count the socket's bytes: Smack's StAX parser reads ahead, so the bytes read between a stanza's start
 * and end say little about that stanza. Why not re-serialise the parsed stanza: a payload a provider refused is gone
 * by then, and the figure is needed before anyone handles the stanza.
 *
 * <p>Construct it on the stanza's start tag; it counts that tag at once and every event it is moved over after.
 */
final class GuardedParser implements XmlPullParser {
    private final XmlPullParser p;
    private long bytes;
    /** The last event counted was a start tag: an end tag now closes an empty element. */
    private boolean justStarted;
    /** The stanza element's depth. */
    private final int depth;
    private QName firstChild;

    GuardedParser(XmlPullParser parser) throws XmlPullParserException {
        this.p = parser;
        this.depth = parser.getDepth();
        count(p.getEventType());
    }

    /** The size so far; the whole stanza's once Smack has read it. */
    long bytes() { return bytes; }

    /** The stanza's first child element, once the parser got to it; null before (or when it has none). */
    QName firstChild() { return firstChild; }

    private void count(Event event) throws XmlPullParserException {
        if (event == null) {
            return;
        }
        switch (event) {
            case START_ELEMENT -> {
                if (firstChild == null && p.getDepth() == depth + 1) {
                    firstChild = new QName(p.getNamespace(), p.getName());
                }
                bytes += 2 + utf8(qualified(p.getPrefix(), p.getName())); // <name>
                int ns = p.getNamespaceCount();
                for (int i = 0; i < ns; i++) {
                    String prefix = p.getNamespacePrefix(i);
                    // ␣xmlns='uri' or ␣xmlns:prefix='uri'
                    bytes += 9 + (prefix == null || prefix.isEmpty() ? 0 : 1 + utf8(prefix)) + utf8(p.getNamespaceUri(i));
                }
                int n = p.getAttributeCount();
                for (int i = 0; i < n; i++) {
                    // ␣name='value'
                    bytes += 4 + utf8(qualified(p.getAttributePrefix(i), p.getAttributeName(i)))
                            + utf8(p.getAttributeValue(i));
                }
            }
            // </name>, or the / of <name/> (as Prosody writes an empty element)
            case END_ELEMENT -> bytes += justStarted ? 1 : 3 + utf8(qualified(p.getPrefix(), p.getName()));
            case TEXT_CHARACTERS, IGNORABLE_WHITESPACE, ENTITY_REFERENCE, COMMENT -> bytes += utf8(p.getText());
            default -> { }
        }
        justStarted = event == Event.START_ELEMENT;
    }

    private static String qualified(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? String.valueOf(name) : prefix + ":" + name;
    }

    /**
     * The UTF-8 length of {@code s} as Prosody writes it in text or an attribute value (each of {@code & < > " '} as
     * its entity), without encoding it.
     */
    static long utf8(CharSequence s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == '&') {
                n += 5;
            } else if (c == '<' || c == '>') {
                n += 4;
            } else if (c == '"' || c == '\'') {
                n += 6;
            } else if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4; // with its low surrogate
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ moving: counted

    @Override
    public Event next() throws IOException, XmlPullParserException {
        Event e = p.next();
        count(e);
        return e;
    }

    /**
     * The text of the element whose start tag the parser is on; leaves the parser on its end tag. An element inside
     * is an {@link XmlPullParserException}, with the parser on that element's start tag (its depth counted), so that
     * skipping the rest of the stanza by depth ends at the stanza's end tag.
     */
    @Override
    public String nextText() throws IOException, XmlPullParserException {
        if (p.getEventType() != Event.START_ELEMENT) {
            throw new XmlPullParserException("nextText() on " + p.getEventType() + ", not on a start tag");
        }
        String element = p.getName();
        StringBuilder text = new StringBuilder();
        while (true) {
            Event e = next();
            switch (e) {
                case TEXT_CHARACTERS, ENTITY_REFERENCE, IGNORABLE_WHITESPACE -> text.append(p.getText());
                case END_ELEMENT -> {
                    return text.toString();
                }
                case START_ELEMENT -> throw new XmlPullParserException("<" + element + "> may hold only text, not <"
                        + p.getName() + ">");
                case END_DOCUMENT -> throw new XmlPullParserException("the stream ended inside <" + element + ">");
                default -> { } // a comment or processing instruction (Prosody sends neither)
            }
        }
    }

    @Override
    public TagEvent nextTag() throws IOException, XmlPullParserException {
        TagEvent e = p.nextTag();
        count(e == TagEvent.START_ELEMENT ? Event.START_ELEMENT : Event.END_ELEMENT);
        return e;
    }

    // ------------------------------------------------------------------ looking: passed through

    @Override public Object getProperty(String name) { return p.getProperty(name); }
    @Override public String getInputEncoding() { return p.getInputEncoding(); }
    @Override public int getNamespaceCount() throws XmlPullParserException { return p.getNamespaceCount(); }
    @Override public String getNamespacePrefix(int pos) throws XmlPullParserException { return p.getNamespacePrefix(pos); }
    @Override public String getNamespaceUri(int pos) throws XmlPullParserException { return p.getNamespaceUri(pos); }
    @Override public String getNamespace(String prefix) { return p.getNamespace(prefix); }
    @Override public String getDefaultNamespace() { return p.getDefaultNamespace(); }
    @Override public int getDepth() { return p.getDepth(); }
    @Override public String getPositionDescription() { return p.getPositionDescription(); }
    @Override public int getLineNumber() { return p.getLineNumber(); }
    @Override public int getColumnNumber() { return p.getColumnNumber(); }
    @Override public boolean isWhiteSpace() throws XmlPullParserException { return p.isWhiteSpace(); }
    @Override public String getText() { return p.getText(); }
    @Override public String getNamespace() { return p.getNamespace(); }
    @Override public String getName() { return p.getName(); }
    @Override public QName getQName() { return p.getQName(); }
    @Override public String getPrefix() { return p.getPrefix(); }
    @Override public int getAttributeCount() { return p.getAttributeCount(); }
    @Override public String getAttributeNamespace(int index) { return p.getAttributeNamespace(index); }
    @Override public String getAttributeName(int index) { return p.getAttributeName(index); }
    @Override public QName getAttributeQName(int index) { return p.getAttributeQName(index); }
    @Override public String getAttributePrefix(int index) { return p.getAttributePrefix(index); }
    @Override public String getAttributeType(int index) { return p.getAttributeType(index); }
    @Override public String getAttributeValue(int index) { return p.getAttributeValue(index); }
    @Override public String getAttributeValue(String namespace, String name) { return p.getAttributeValue(namespace, name); }
    @Override public String getAttributeValue(String name) { return p.getAttributeValue(name); }
    @Override public Event getEventType() throws XmlPullParserException { return p.getEventType(); }
    @Override public boolean supportsRoundtrip() { return p.supportsRoundtrip(); }
}
