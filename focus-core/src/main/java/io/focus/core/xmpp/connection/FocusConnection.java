package io.focus.core.xmpp.connection;

import io.focus.core.xmpp.EchoingErrorReplies;
import io.focus.core.xmpp.IqErrors;
import io.focus.core.xmpp.RefusedIQ;
import io.focus.core.xmpp.StanzaHygiene;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.SmackConfiguration.UnknownIqRequestReplyMode;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The focus's Smack connection: survives what it cannot parse and answers every IQ request it has no handler for
 * with a well-formed {@code service-unavailable} (see {@link StanzaHygiene}). Smack offers no hook for "no handler"
 * other than its own auto-reply, which is built from the request; so this connection keeps the set of handlers
 * registered on it (Smack's managers register theirs through the same methods) and answers the others itself.
 *
 * <p>Each stanza is measured while Smack parses it ({@link GuardedParser}) and goes through the {@link StanzaGate}
 * (size and per-sender rate, {@link StanzaLimits}) before any collector, listener or handler sees it.
 *
 * <p>What Smack cannot parse never closes the connection. Smack 4.4.8 only survives the parse failures it expects
 * and throws others out of its reader on well-formed input, which closes the connection: an IQ get/set whose child is
 * an {@code <error>} (NullPointerException), an error whose {@code <error>} has no type (NullPointerException) or a
 * condition that does not exist (IllegalStateException). Here the rest of such a stanza is skipped, so the stream
 * stays in step, and an IQ request is rebuilt from its envelope ({@link StanzaEnvelope}) and answered
 * {@code bad-request} like any other the focus cannot parse.
 *
 * <p>Every IQ request handler registered on it (by Smack's managers or anyone) answers errors with the error only,
 * never the request's payload as Smack re-serialises it ({@link PayloadFreeErrors}); only the focus's own handlers
 * marked {@link EchoingErrorReplies} send the request back in their errors, as Jicofo does.
 */
final class FocusConnection extends XMPPTCPConnection {
    private final StanzaHygiene hygiene;
    private final StanzaGate gate;
    private static final Logger log = LoggerFactory.getLogger(FocusConnection.class);

    // the stanza being parsed, on the reader thread; null between stanzas
    private GuardedParser parsing;
    private StanzaEnvelope envelope;
    /** Smack got as far as processing it: a failure from here on is no parse failure. */
    private boolean parsed;
    /**
     * Handlers by type and child element. Not initialised in a field initialiser: Smack's managers register their
     * handlers from the superclass constructor, before this class's fields are assigned.
     */
    private Map<String, Boolean> handled;
    /** Where replies to the focus's own requests go straight to ({@link #deliverRepliesTo}); null: Smack's way. */
    private volatile IqRequester replies;

    FocusConnection(XMPPTCPConnectionConfiguration config, StanzaHygiene hygiene, StanzaLimits limits) {
        super(config);
        this.hygiene = hygiene;
        this.gate = new StanzaGate(limits, hygiene, ownAccount(config), Ticker.systemTicker());
        setParsingExceptionCallback(stanza -> unparseable(stanza.getParsingException(), stanza.getContent()));
        // ours answers; Smack's would echo the request's payload
        setUnknownIqRequestReplyMode(UnknownIqRequestReplyMode.doNotReply);
    }

    /** The focus's own account, {@code focus@auth.meet.example.com}; null for an anonymous login. */
    private static BareJid ownAccount(XMPPTCPConnectionConfiguration config) {
        if (config.getUsername() == null) {
            return null;
        }
        try {
            return JidCreate.entityBareFrom(config.getUsername() + "@" + config.getXMPPServiceDomain());
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("not a JID: " + config.getUsername() + "@"
                    + config.getXMPPServiceDomain(), e);
        }
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

    /**
     * Registers {@code handler}, wrapped so that its error replies carry only the error ({@link PayloadFreeErrors}),
     * unless it is one of the focus's own that echo the request on purpose ({@link EchoingErrorReplies}). Smack's
     * managers call it from the superclass constructor, before this class's fields are assigned: the wrapper keeps
     * nothing of this connection, and {@link #handled()} makes its map on first use.
     *
     * @return the handler this one replaces, as it was registered (unwrapped), or null
     */
    @Override
    public IQRequestHandler registerIQRequestHandler(IQRequestHandler handler) {
        handled().put(key(handler.getType(), handler.getElement(), handler.getNamespace()), Boolean.TRUE);
        IQRequestHandler wrapped = handler instanceof EchoingErrorReplies ? handler : new PayloadFreeErrors(handler);
        return PayloadFreeErrors.unwrap(super.registerIQRequestHandler(wrapped));
    }

    /**
     * Unregisters by element, namespace and type, as Smack does (its {@code unregisterIQRequestHandler(handler)} is
     * final and calls this one): unregistering with the handler that was registered finds its wrapper.
     *
     * @return the handler removed, as it was registered (unwrapped), or null
     */
    @Override
    public IQRequestHandler unregisterIQRequestHandler(String element, String namespace, IQ.Type type) {
        handled().remove(key(type, element, namespace));
        return PayloadFreeErrors.unwrap(super.unregisterIQRequestHandler(element, namespace, type));
    }

    /**
     * A registered handler whose error replies are sent with the error only ({@link IqErrors#withoutPayload}): same
     * id, addresses swapped, the handler's {@code StanzaError}, no payload. Smack's managers answer errors with
     * {@code IQ.createErrorResponse}, which writes the request's child back after the error as Smack re-serialises
     * it (version, entity time and last activity when they have nothing to say), or with the request's own payload
     * type (service discovery's {@code item-not-found} for an unknown node echoes the node): whatever a client sent
     * Smack's parser came back re-written, which the client may not parse (a roster push's {@code jid='@@'} came back
     * as {@code jid='@'}) or Prosody may refuse (an {@code UnparsedIQ} is written as escaped text in an unclosed tag,
     * and Prosody closes the focus's stream). Results are passed on as they are. Static: Smack's managers register
     * their handlers from the superclass constructor, before this connection's fields are assigned.
     */
    static final class PayloadFreeErrors implements IQRequestHandler {
        private final IQRequestHandler handler;

        PayloadFreeErrors(IQRequestHandler handler) {
            this.handler = handler;
        }

        static IQRequestHandler unwrap(IQRequestHandler h) {
            return h instanceof PayloadFreeErrors w ? w.handler : h;
        }

        @Override
        public IQ handleIQRequest(IQ request) {
            IQ reply = handler.handleIQRequest(request);
            if (reply == null || reply.getType() != IQ.Type.error) {
                return reply;
            }
            // an error without its <error> (a handler's bug) still says it failed
            StanzaError error = reply.getError() != null ? reply.getError()
                    : StanzaError.getBuilder(StanzaError.Condition.internal_server_error).build();
            return IqErrors.withoutPayload(request, error);
        }

        @Override public Mode getMode() { return handler.getMode(); }
        @Override public IQ.Type getType() { return handler.getType(); }
        @Override public String getElement() { return handler.getElement(); }
        @Override public String getNamespace() { return handler.getNamespace(); }
        @Override public QName getQName() { return handler.getQName(); }
        @Override public String toString() { return "payload-free errors of " + handler; }
    }

    @Override
    protected void parseAndProcessStanza(XmlPullParser parser)
            throws XmlPullParserException, IOException, InterruptedException {
        int depth = parser.getDepth();
        envelope = StanzaEnvelope.read(parser);
        parsing = new GuardedParser(parser);
        parsed = false;
        try {
            super.parseAndProcessStanza(parsing);
        } catch (RuntimeException e) {
            if (parsed) {
                // not the sender's doing: a bug in what handles the stanza; the stream is in step (at its end tag)
                log.error("Processing a stanza failed: {}", envelope, e);
                return;
            }
            while (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == depth)) {
                parser.next();
            }
            unparseable(e, envelope.toString());
        } finally {
            parsing = null;
            envelope = null;
        }
    }

    /** A stanza Smack could not parse: an IQ request is answered bad-request (within the limits), the rest dropped. */
    private void unparseable(Exception cause, CharSequence what) {
        GuardedParser measured = parsing;
        StanzaEnvelope env = envelope;
        RefusedIQ request = env == null ? null : env.refusedRequest(measured == null ? null : measured.firstChild(),
                String.valueOf(cause));
        if (request == null) {
            hygiene.onUnparseable(this, cause, what);
        } else if (gate.admit(this, request, measured == null ? 0 : measured.bytes())) {
            hygiene.onRefused(this, request);
        }
    }

    /** Called by Smack's parseAndProcessStanza once the stanza is parsed, on the reader thread. */
    @Override
    protected void processStanza(Stanza stanza) throws InterruptedException {
        parsed = true;
        GuardedParser measured = parsing;
        if (gate.admit(this, stanza, measured == null ? 0 : measured.bytes())) {
            super.processStanza(stanza);
        }
    }

    /**
     * Replies to requests {@code requester} is waiting for are handed to it directly, off the reader thread, instead
     * of going through Smack's walk over every collector and stanza listener of the connection: nobody else waits for
     * the id of a request the focus sent through it, and that walk tries every filter on every stanza (Smack's
     * MultiUserChat adds four listeners and a collector per room, so with 200 conferences each Colibri2 or Jingle reply
     * was tried against about 1,000 filters on the one thread that reads from Prosody).
     */
    void deliverRepliesTo(IqRequester requester) {
        this.replies = requester;
    }

    @Override
    protected void invokeStanzaCollectorsAndNotifyRecvListeners(Stanza stanza) {
        IqRequester r = replies;
        if (r != null && stanza instanceof IQ iq && r.claims(iq)) {
            asyncGoLimited(() -> r.deliver(iq));
            return;
        }
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
