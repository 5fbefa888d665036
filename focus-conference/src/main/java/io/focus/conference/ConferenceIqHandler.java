package io.focus.conference;

import io.focus.core.log.RateLimitedLog;
import org.slf4j.event.Level;
import java.time.Duration;

import io.focus.core.xmpp.EchoingErrorReplies;
import io.focus.core.xmpp.IqErrors;
import io.focus.core.xmpp.ConferenceIq;
import io.focus.core.xmpp.connection.IqRequester;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the focus conference IQ ({@code <conference xmlns="http://jitsi.org/protocol/focus" room=...>}, type set) on
 * the client connection. Register it with {@link #register}. The handler returns at once (Smack gets no blocking
 * work): the request is handed to the {@link ConferenceManager}, and the answer is sent when the focus is in the room:
 * {@code ready="true"} with {@code focusjid}, or an error ({@code bad-request} without a room, {@code not-acceptable}
 * for a room outside the conference MUC, {@code not-authorized} when authentication is on and a guest asks for a room
 * that does not exist, {@code service-unavailable} when the room cannot be joined).
 *
 * <p><b>Client proxy.</b> In a stock Jitsi Meet deployment clients send the request to {@code focus.<host>}, a Prosody
 * component ({@code mod_client_proxy}) that forwards it with {@code from="focus.<host>/<original sender's full JID>"}.
 * When such a request comes from the configured {@link ConferenceSettings#clientProxy()} domain, the original sender
 * is read from the resource (as Jicofo does; an unparsable resource leaves the sender as it is) and is the requester
 * the authentication looks at; the answer goes back to the proxy, which forwards it. A request sent directly to the
 * focus works the same without unwrapping.
 *
 * <p>Its errors carry the request back, as Jicofo's do ({@link EchoingErrorReplies}).
 */
public final class ConferenceIqHandler extends AbstractIqRequestHandler implements EchoingErrorReplies {
    private static final Logger log = LoggerFactory.getLogger(ConferenceIqHandler.class);
    /** Longest wait for the room join before answering service-unavailable. */
    static final long ANSWER_TIMEOUT_SECONDS = 30;
    static final Duration REFUSED_LOG_INTERVAL = Duration.ofSeconds(10);

    private final ConferenceManager manager;
    private final IqRequester requests;
    private final String focusJid;
    /** Refusals are caused by clients, any number of them: at most one INFO line per interval, the rest at DEBUG. */
    private final RateLimitedLog refusedLog;

    /**
     * @param requests the client connection's requests (the answer is sent through them, on that connection)
     * @param focusJid the bare JID clients see as the focus ({@code focus@auth.meet.example.com})
     */
    public ConferenceIqHandler(ConferenceManager manager, IqRequester requests, String focusJid) {
        super(ConferenceIq.ELEMENT, ConferenceIq.NAMESPACE, IQ.Type.set, Mode.async);
        this.manager = manager;
        this.requests = requests;
        this.focusJid = focusJid;
        this.refusedLog = new RateLimitedLog(manager.clock(), REFUSED_LOG_INTERVAL);
    }

    /** Registers a handler on the requests' connection and returns it (unregister with {@link #unregister}). */
    public static ConferenceIqHandler register(ConferenceManager manager, IqRequester requests, String focusJid) {
        ConferenceIqHandler h = new ConferenceIqHandler(manager, requests, focusJid);
        requests.connection().registerIQRequestHandler(h);
        return h;
    }

    public void unregister() {
        requests.connection().unregisterIQRequestHandler(this);
    }

    @Override public IQ handleIQRequest(IQ iq) {
        try {
            if (!(iq instanceof ConferenceIq request)) {
                return IqErrors.reply(iq, StanzaError.Condition.bad_request, null);
            }
            Jid proxied = request.getFrom();
            Jid requester = unwrapClientProxy(manager.settings().clientProxy(), proxied);
            answer(request, requester).whenComplete((reply, e) -> {
                IQ out = reply != null ? reply : IqErrors.reply(iq, StanzaError.Condition.internal_server_error, null);
                // Completes on the control thread: the sender thread writes it.
                requests.send(out);
            });
        } catch (RuntimeException e) {
            log.error("Conference request failed", e);
            return IqErrors.reply(iq, StanzaError.Condition.internal_server_error, null);
        }
        return null;
    }

    /**
     * The original sender of a request forwarded by the client-proxy component: {@code from} is
     * {@code <proxy domain>/<original full JID>}. Any other sender (or a resource that is not a JID) is returned as it
     * is.
     *
     * @param clientProxy the proxy component's domain ({@code focus.meet.example.com}), or null for none
     */
    static Jid unwrapClientProxy(String clientProxy, Jid from) {
        if (clientProxy == null || from == null || from.hasLocalpart()
                || !from.asDomainBareJid().toString().equalsIgnoreCase(clientProxy)) {
            return from;
        }
        Resourcepart resource = from.getResourceOrNull();
        if (resource == null) {
            return from;
        }
        try {
            return JidCreate.from(resource.toString());
        } catch (XmppStringprepException | IllegalArgumentException e) {
            log.info("Conference request from the client proxy {} with a resource that is not a JID: {}", clientProxy,
                    resource);
            return from;
        }
    }

    /**
     * The text of an error answer: never null (Smack's writer throws on a null text, which closes the focus's
     * connection; a request that times out has no message) and at most 300 characters (a message can quote the
     * request, e.g. its room).
     */
    static String errorText(Throwable cause) {
        String text = cause instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + ANSWER_TIMEOUT_SECONDS + " s"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** The answer to a request sent directly (the requester is its sender). */
    CompletableFuture<IQ> answer(ConferenceIq request) {
        return answer(request, request.getFrom());
    }

    /**
     * The answer to one request (a result or an error IQ, addressed to the request's sender); never fails.
     *
     * @param requester the original sender (unwrapped from the client proxy)
     */
    CompletableFuture<IQ> answer(ConferenceIq request, Jid requester) {
        Map<String, String> props = request.properties();
        AuthenticationSettings auth = manager.settings().authentication();
        return manager.requestConference(request.room(), props, requester == null ? null : requester.toString())
                .orTimeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((result, e) -> {
                    if (e == null) {
                        ConferenceIq.Builder b = ConferenceIq.builder().room(result.roomJid()).ready(result.ready())
                                .focusJid(focusJid).property("authentication", String.valueOf(auth.enabled()));
                        if (auth.enabled()) {
                            b.property("externalAuth", String.valueOf(auth.external()));
                        }
                        ConferenceIq reply = b.property("visitors-supported", "false").build();
                        reply.setType(IQ.Type.result);
                        reply.setStanzaId(request.getStanzaId());
                        reply.setTo(request.getFrom());
                        reply.setFrom(request.getTo());
                        log.info("Conference request for {} from {}: ready", result.roomJid(), requester);
                        return (IQ) reply;
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    StanzaError.Condition condition = StanzaError.Condition.service_unavailable;
                    if (cause instanceof ConferenceRequestException cre) {
                        condition = switch (cre.kind()) {
                            case BAD_REQUEST -> StanzaError.Condition.bad_request;
                            case NOT_ACCEPTABLE -> StanzaError.Condition.not_acceptable;
                            case NOT_AUTHORIZED -> StanzaError.Condition.not_authorized;
                            case UNAVAILABLE -> StanzaError.Condition.service_unavailable;
                        };
                    }
                    refusedLog.log(log, Level.INFO, "Conference request for {} from {} refused: {} ({})",
                            request.room(), requester, condition, cause.getMessage());
                    return IqErrors.reply(request, condition, errorText(cause));
                });
    }
}
