package io.focus.core.xmpp.connection;

import io.focus.core.xmpp.RefusedIQ;
import io.focus.core.xmpp.StanzaHygiene;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.SmackConfiguration.UnknownIqRequestReplyMode;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * The focus's Smack connection: survives what it cannot parse and answers every IQ request it has no handler for
 * with a well-formed {@code service-unavailable} (see {@link StanzaHygiene}). Smack offers no hook for "no handler"
 * other than its own auto-reply, which is built from the request; so this connection keeps the set of handlers
 * registered on it (Smack's managers register theirs through the same methods) and answers the others itself.
 */
final class FocusConnection extends XMPPTCPConnection {
    private final StanzaHygiene hygiene;
    /**
     * Handlers by type and child element. Not initialised in a field initialiser: Smack's managers register their
     * handlers from the superclass constructor, before this class's fields are assigned.
     */
    private Map<String, Boolean> handled;

    FocusConnection(XMPPTCPConnectionConfiguration config, StanzaHygiene hygiene) {
        super(config);
        this.hygiene = hygiene;
        setParsingExceptionCallback(hygiene.parsingCallback(this));
        // ours answers; Smack's would echo the request's payload
        setUnknownIqRequestReplyMode(UnknownIqRequestReplyMode.doNotReply);
    }

    private synchronized Map<String, Boolean> handled() {
        if (handled == null) {
            handled = new ConcurrentHashMap<>();
        }
        return handled;
    }

    private static String key(IQ.Type type, String element, String namespace) {
        return type + " " + new QName(namespace, element);
    }

    @Override
    public IQRequestHandler registerIQRequestHandler(IQRequestHandler handler) {
        handled().put(key(handler.getType(), handler.getElement(), handler.getNamespace()), Boolean.TRUE);
        return super.registerIQRequestHandler(handler);
    }

    @Override
    public IQRequestHandler unregisterIQRequestHandler(String element, String namespace, IQ.Type type) {
        handled().remove(key(type, element, namespace));
        return super.unregisterIQRequestHandler(element, namespace, type);
    }

    @Override
    protected void invokeStanzaCollectorsAndNotifyRecvListeners(Stanza stanza) {
        if (stanza instanceof RefusedIQ refused) {
            hygiene.onRefused(this, refused);
            if (refused.isRequestIQ()) {
                return;
            }
        } else if (stanza instanceof IQ iq && iq.isRequestIQ()
                && !handled().containsKey(key(iq.getType(), iq.getChildElementName(), iq.getChildElementNamespace()))) {
            hygiene.onUnknownIq(this, iq);
            return;
        }
        super.invokeStanzaCollectorsAndNotifyRecvListeners(stanza);
    }
}
