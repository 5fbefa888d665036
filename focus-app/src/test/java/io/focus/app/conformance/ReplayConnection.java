package io.focus.app.conformance;

import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.w3c.dom.Element;

/**
 * A raw XMPP client: Smack only for the login; after it, every stanza it receives is kept as text (never through a
 * Smack provider, never answered by Smack) and handed to the owner, and it sends recorded stanzas as raw text.
 */
final class ReplayConnection extends XMPPTCPConnection {
    private final List<Element> received = new CopyOnWriteArrayList<>();
    private final ExecutorService handler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replay-handler");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean raw;
    private volatile Consumer<Element> onStanza = s -> { };

    private ReplayConnection(XMPPTCPConnectionConfiguration config) {
        super(config);
    }

    /** Logs in ({@code localpart == null}: anonymously on the guest domain) and switches to raw mode. */
    static ReplayConnection login(ProsodyServer server, String localpart, String domain, String password) {
        XMPPTCPConnectionConfiguration.Builder b = localpart == null ? server.anonymousConfig()
                : server.connectionConfig(localpart, domain, password, null);
        ReplayConnection c = new ReplayConnection(b.setSendPresence(false).build());
        Roster.getInstanceFor(c).setRosterLoadedAtLogin(false);
        try {
            c.connect().login();
        } catch (Exception e) {
            throw new IllegalStateException("replay login " + localpart + "@" + domain + " failed: " + e, e);
        }
        c.raw = true;
        return c;
    }

    void onStanza(Consumer<Element> handler) {
        this.onStanza = handler;
    }

    /** Every stanza received since the login, in order. */
    List<Element> received() {
        return received;
    }

    String jid() {
        return getUser().toString();
    }

    void sendRaw(String xml) {
        try {
            sendNonza(new RawText(xml));
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + xml + ": " + e, e);
        }
    }

    /** Closes the TCP connection without a stream end or unavailable presence (as a killed process). */
    void kill() {
        instantShutdown();
        handler.shutdownNow();
    }

    void close() {
        disconnect();
        handler.shutdownNow();
    }

    @Override
    protected void parseAndProcessStanza(XmlPullParser parser)
            throws XmlPullParserException, IOException, InterruptedException {
        if (!raw) {
            super.parseAndProcessStanza(parser);
            return;
        }
        String xml = PacketParserUtils.parseElement(parser, true).toString();
        Element e = Xml.parse(xml);
        received.add(e);
        handler.execute(() -> onStanza.accept(e));
    }

    private record RawText(String xml) implements Nonza {
        @Override public String getNamespace() { return "jabber:client"; }
        @Override public String getElementName() { return "raw"; }
        @Override public CharSequence toXML(XmlEnvironment env) { return xml; }
    }
}
