package io.focus.core.xmpp.connection;

import static io.focus.core.xmpp.connection.FocusOnProsody.WAIT;
import static io.focus.core.xmpp.connection.FocusOnProsody.startFocus;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.xmpp.EchoingErrorReplies;
import io.focus.core.xmpp.IqErrors;
import io.focus.sim.prosody.ProsodyExtension;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The error replies of the IQ request handlers on the focus's connection carry the error only, never the request's
 * payload as Smack re-serialises it: Smack's managers' handlers (registered while the connection is created) and a
 * handler registered later, on a real Prosody, read as the raw XML the client receives. A handler of the focus's own
 * marked {@link EchoingErrorReplies} keeps sending the request back, as Jicofo does.
 */
class HandlerErrorRepliesIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String VERSION = "jabber:iq:version";
    private static final String PROBE = "urn:example:probe";

    /** A client that keeps the raw XML of every IQ it receives, by id. */
    static final class RawClient extends XMPPTCPConnection {
        final Map<String, String> iqs = new ConcurrentHashMap<>();

        RawClient(XMPPTCPConnectionConfiguration config) {
            super(config);
        }

        @Override
        protected void parseAndProcessStanza(XmlPullParser parser)
                throws XmlPullParserException, IOException, InterruptedException {
            if (!"iq".equals(parser.getName())) {
                super.parseAndProcessStanza(parser);
                return;
            }
            String id = parser.getAttributeValue("", "id");
            String xml = PacketParserUtils.parseElement(parser, true).toString();
            if (id != null) {
                iqs.put(id, xml);
            }
            super.parseAndProcessStanza(PacketParserUtils.getParserFor(xml));
        }

        void sendRaw(String xml) throws Exception {
            sendNonza(new Nonza() {
                @Override public String getNamespace() { return "jabber:client"; }
                @Override public String getElementName() { return "iq"; }
                @Override public CharSequence toXML(XmlEnvironment env) { return xml; }
            });
        }

        /** Sends {@code <iq type id to>payload</iq>} and waits for the reply's raw XML. */
        String ask(String type, String id, String to, String payload) throws Exception {
            sendRaw("<iq type='" + type + "' id='" + id + "' to='" + to + "'>" + payload + "</iq>");
            await("the reply to " + id).atMost(WAIT).until(() -> iqs.containsKey(id));
            return iqs.get(id);
        }
    }

    /** An error reply to the client with the condition, and no element beside the {@code <error>}. */
    private static void assertPayloadFreeError(String reply, String condition, String... notEchoed) {
        assertTrue(reply.matches("(?s)<iq [^>]*type=['\"]error['\"].*"), reply);
        assertTrue(reply.contains("<" + condition + " "), "condition " + condition + ": " + reply);
        String withoutError = reply.replaceAll("(?s)<error[ >].*</error>", "");
        assertTrue(withoutError.matches("(?s)<iq [^>]*>\\s*</iq>"), "nothing but the error in the reply: " + reply);
        for (String s : notEchoed) {
            assertFalse(reply.contains(s), "not echoed: " + s + " in " + reply);
        }
    }

    /** What a test does with a running focus and a raw client logged in beside it. */
    interface WithClient {
        void run(XmppConnectionManager focus, RawClient c, String to, List<String> lost) throws Exception;
    }

    /** Starts the focus's connection and a raw client, runs {@code test}, then closes both. */
    private void withFocusAndClient(WithClient test) throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        try (XmppConnectionManager focus = startFocus(prosody, new CollectorRegistry(), StanzaLimits.none(), lost)) {
            RawClient c = new RawClient(prosody.server().anonymousConfig().build());
            c.connect().login();
            try {
                test.run(focus, c, focus.connection().getUser().toString(), lost);
            } finally {
                c.disconnect();
            }
        }
    }

    @Test
    void errorsOfSmacksAndLateHandlersCarryNoPayloadAndTheFocussOwnEchoingOnesStillEcho() throws Exception {
        withFocusAndClient((focus, c, to, lost) -> {
            // Smack's service discovery: item-not-found for a node it does not know, as a disco reply of type
            // error with the node in it
            assertPayloadFreeError(c.ask("get", "e-1", to,
                            "<query xmlns='" + DISCO_INFO + "' node='urn:example:no-such-node'/>"),
                    "item-not-found", "no-such-node", DISCO_INFO);
            assertPayloadFreeError(c.ask("get", "e-2", to,
                            "<query xmlns='" + DISCO_ITEMS + "' node='urn:example:no-such-node'/>"),
                    "item-not-found", "no-such-node", DISCO_ITEMS);
            // Smack's version manager, which has no version to give: not-acceptable via
            // IQ.createErrorResponse, which wrote the request back after the error
            assertPayloadFreeError(c.ask("get", "e-3", to,
                            "<query xmlns='" + VERSION + "'/>"),
                    "not-acceptable", VERSION);

            // a handler registered after the connection was made: its request has no provider (UnparsedIQ),
            // which IQ.createErrorResponse writes back as escaped text in an unclosed tag
            IQRequestHandler late = new AbstractIqRequestHandler("probe", PROBE, IQ.Type.get,
                    IQRequestHandler.Mode.async) {
                @Override public IQ handleIQRequest(IQ request) {
                    return IQ.createErrorResponse(request, StanzaError.Condition.bad_request);
                }
            };
            focus.connection().registerIQRequestHandler(late);
            assertPayloadFreeError(c.ask("get", "e-4", to, "<probe xmlns='" + PROBE + "'><a>echo-me</a></probe>"),
                    "bad-request", PROBE, "echo-me");
            // unregistering with the handler that was registered removes it (and hands it back, not a wrapper)
            assertSame(late, focus.connection().unregisterIQRequestHandler(late));
            assertPayloadFreeError(c.ask("get", "e-5", to, "<probe xmlns='" + PROBE + "'/>"),
                    "service-unavailable", PROBE);

            // the focus's own handler that echoes on purpose (as the conference request handler does) is left
            // as it is: the request, as the focus's provider read it, comes back after the error
            IQRequestHandler echoing = new EchoingHandler();
            focus.connection().registerIQRequestHandler(echoing);
            String echoed = c.ask("set", "e-6", to,
                    "<conference xmlns='http://jitsi.org/protocol/focus' room='echo-me@conference.example.com'/>");
            assertTrue(echoed.contains("<not-acceptable"), echoed);
            assertTrue(echoed.contains("<conference") && echoed.contains("echo-me@conference.example.com"),
                    "the request echoed: " + echoed);
            assertSame(echoing, focus.connection().unregisterIQRequestHandler(echoing));

            // the focus's stream was never closed on it
            assertEquals(List.of(), lost);
            assertEquals(0, focus.losses());
        });
    }

    /**
     * Smack's bytestream managers send some errors themselves instead of returning them (in-band data or close for a
     * session nobody opened, a SOCKS5 offer nobody listens for), echoing the request as Smack re-serialised it; the
     * focus offers no bytestreams, so their handlers are gone and the focus's own payload-free reply answers.
     */
    @Test
    void bytestreamRequestsAreAnsweredWithoutTheirPayload() throws Exception {
        withFocusAndClient((focus, c, to, lost) -> {
            String ibb = "http://jabber.org/protocol/ibb";
            String socks5 = "http://jabber.org/protocol/bytestreams";
            assertPayloadFreeError(c.ask("set", "b-1", to, "<open xmlns='" + ibb
                    + "' block-size='4096' sid='echo-me' stanza='iq'/>"), "service-unavailable", ibb, "echo-me");
            assertPayloadFreeError(c.ask("set", "b-2", to, "<data xmlns='" + ibb
                    + "' seq='0' sid='echo-me'>aGVsbG8=</data>"), "service-unavailable", ibb, "echo-me");
            assertPayloadFreeError(c.ask("set", "b-3", to, "<close xmlns='" + ibb + "' sid='echo-me'/>"),
                    "service-unavailable", ibb, "echo-me");
            assertPayloadFreeError(c.ask("set", "b-4", to, "<query xmlns='" + socks5 + "' sid='echo-me' mode='tcp'>"
                            + "<streamhost jid='a@b/c' host='192.0.2.1' port='5'/></query>"),
                    "service-unavailable", socks5, "echo-me", "streamhost");
            // and the focus does not claim SOCKS5 in service discovery
            String info = c.ask("get", "b-5", to, "<query xmlns='" + DISCO_INFO + "'/>");
            assertTrue(info.contains("type='result'") || info.contains("type=\"result\""), info);
            assertFalse(info.contains(socks5), info);
            assertEquals(List.of(), lost);
        });
    }

    private static final class EchoingHandler extends AbstractIqRequestHandler implements EchoingErrorReplies {
        EchoingHandler() {
            super("conference", "http://jitsi.org/protocol/focus", IQ.Type.set, Mode.async);
        }

        @Override public IQ handleIQRequest(IQ request) {
            return IqErrors.reply(request, StanzaError.Condition.not_acceptable, null);
        }
    }
}
