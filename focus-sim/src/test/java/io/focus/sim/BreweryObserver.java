package io.focus.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.w3c.dom.Element;

import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Xml;

/** The "focus" side in focus-sim's own tests: raw Smack in the brewery, reading stanzas as text. */
public final class BreweryObserver implements AutoCloseable {
    public final XMPPTCPConnection connection;
    public final MultiUserChat brewery;
    /** nick → latest stats element */
    public final Map<String, Element> stats = new ConcurrentHashMap<>();
    /** nicks whose unavailable presence arrived, in order */
    public final List<String> unavailable = new CopyOnWriteArrayList<>();
    /** every presence received from the brewery as XML */
    public final List<String> presences = new CopyOnWriteArrayList<>();

    public BreweryObserver(ProsodyServer s, String nick) throws Exception {
        connection = new XMPPTCPConnection(s.connectionConfig("focus", s.authDomain(), "focuspass", nick).build());
        connection.connect().login();
        connection.addAsyncStanzaListener(st -> onPresence((Presence) st),
                st -> st instanceof Presence && st.getFrom() != null
                        && st.getFrom().asBareJid().toString().equals(s.breweryJid()));
        brewery = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(JidCreate.entityBareFrom(s.breweryJid()));
        brewery.join(Resourcepart.from(nick));
    }

    private void onPresence(Presence p) {
        String nick = p.getFrom().getResourceOrEmpty().toString();
        presences.add(p.toXML().toString());
        if (p.getType() == Presence.Type.unavailable) {
            unavailable.add(nick);
            return;
        }
        ExtensionElement e = p.getExtensionElement("stats", "http://jitsi.org/protocol/colibri");
        if (e != null) {
            stats.put(nick, Xml.parse(e.toXML().toString()));
        }
    }

    public String stat(String nick, String name) {
        Element e = stats.get(nick);
        if (e == null) {
            return null;
        }
        for (Element s : Xml.children(e, "stat")) {
            if (name.equals(s.getAttribute("name"))) {
                return s.getAttribute("value");
            }
        }
        return null;
    }

    /** Sends an IQ with a raw child and returns the reply as a parsed stanza, or null after the timeout. */
    public Element request(String to, IQ.Type type, String element, String ns, Map<String, String> attrs, String inner,
                           Duration timeout) throws Exception {
        RawIQ iq = new RawIQ(element, ns, attrs, inner);
        iq.setType(type);
        iq.setTo(JidCreate.from(to));
        try (StanzaCollector c = connection.createStanzaCollectorAndSend(new StanzaIdFilter(iq.getStanzaId()), iq)) {
            Stanza reply = c.nextResult(timeout.toMillis());
            return reply == null ? null : Xml.parse(xml(reply));
        }
    }

    public static String xml(Stanza s) {
        return io.focus.sim.xml.Stanzas.xml(s);
    }

    public static List<String> statNames(Element stats) {
        List<String> out = new ArrayList<>();
        Xml.children(stats, "stat").forEach(s -> out.add(s.getAttribute("name")));
        return out;
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
