package io.focus.sim.participant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.RawIqConnection;
import io.focus.sim.xml.Stanzas;
import io.focus.sim.xml.Xml;

/**
 * The focus side of the Jingle tests: raw Smack, an occupant {@code focus} of the room, sending the captured Jicofo
 * stanzas with {@code to}/{@code sid}/owner substituted, and keeping every Jingle IQ it receives as XML.
 */
final class FakeFocus implements AutoCloseable {
    final RawIqConnection connection;
    final String room;
    final List<Element> received = new CopyOnWriteArrayList<>();
    /** Decides the reply to a received Jingle element: null = result, else that error condition. */
    volatile Function<Element, StanzaError.Condition> responder = j -> null;

    FakeFocus(ProsodyServer s, String room) throws Exception {
        this.room = room;
        connection = new RawIqConnection(s.connectionConfig(ProsodyExtension.FOCUS_USER, s.authDomain(),
                ProsodyExtension.FOCUS_PASSWORD, "focus").build(), Set.of(new RawIqConnection.Child("jingle", JingleCodec.JINGLE_NS)));
        connection.registerIQRequestHandler(new AbstractIqRequestHandler("jingle", JingleCodec.JINGLE_NS, IQ.Type.set,
                IQRequestHandler.Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                Element j = Xml.parse(Stanzas.childXml(iq));
                received.add(j);
                StanzaError.Condition c = responder.apply(j);
                if (c == null) {
                    return IQ.createResultIQ(iq);
                }
                RawIQ err = new RawIQ(null, null, Map.of(), "");
                err.setType(IQ.Type.error);
                err.setTo(iq.getFrom());
                err.setStanzaId(iq.getStanzaId());
                err.setError(StanzaError.getBuilder(c).setType(StanzaError.Type.CANCEL).build());
                return err;
            }
        });
        connection.connect().login();
        MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(JidCreate.entityBareFrom(room))
                .join(Resourcepart.from("focus"));
    }

    /** The Jingle elements received with {@code action}, in order. */
    List<Element> received(String action) {
        return received.stream().filter(j -> action.equals(j.getAttribute("action"))).toList();
    }

    /**
     * Sends the {@code <jingle>} of a captured Jicofo stanza (producer form) to {@code endpoint} in the room, with
     * attributes overridden and the inner XML edited; returns the reply, or null on timeout.
     */
    IQ send(String fixture, String endpoint, Map<String, String> attrs, UnaryOperator<String> edit, long timeoutMs) throws Exception {
        Element j = Fixtures.child(fixture);
        Map<String, String> a = new LinkedHashMap<>(Xml.attributes(j));
        a.putAll(attrs);
        StringBuilder inner = new StringBuilder();
        Xml.children(j).forEach(c -> inner.append(Xml.toString(c)));
        return sendRaw(endpoint, a, edit.apply(inner.toString()), timeoutMs);
    }

    IQ send(String fixture, String endpoint, String sid) throws Exception {
        return send(fixture, endpoint, Map.of("sid", sid), s -> s, 5000);
    }

    IQ sendRaw(String endpoint, Map<String, String> attrs, String inner, long timeoutMs) throws Exception {
        RawIQ iq = new RawIQ("jingle", JingleCodec.JINGLE_NS, attrs, inner);
        iq.setType(IQ.Type.set);
        iq.setTo(JidCreate.from(room + "/" + endpoint));
        try (StanzaCollector c = connection.createStanzaCollectorAndSend(new StanzaIdFilter(iq.getStanzaId()), iq)) {
            return c.nextResult(timeoutMs);
        }
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
