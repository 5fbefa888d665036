package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.xmpp.ConferenceIq;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The secure domain (jicofo.authentication.*) at the manager and IQ-handler seams, and the client-proxy unwrapping.
 */
class SecureDomainTest {
    static final ConferenceSettings SECURE = ConferenceSettings.defaults(Harness.MUC)
            .withAuthentication(AuthenticationSettings.xmpp("meet.test"));

    Harness h = new Harness(SECURE);

    private ConferenceRequestException refusal(java.util.concurrent.CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(ConferenceRequestException.class, e.getCause());
    }

    @Test
    void onlyAnAuthenticatedUserCreatesARoomAndGuestsThenJoinIt() {
        var guest = h.manager.requestConference(Harness.room("r"), Map.of(), "x1y2@guest.meet.test/abc");
        h.loop.runPending();
        ConferenceRequestException e = refusal(guest);
        assertEquals(ConferenceRequestException.Kind.NOT_AUTHORIZED, e.kind());
        assertEquals(403, e.kind().httpStatus());
        assertEquals(0, h.manager.conferenceCount(), "a refused guest creates nothing");
        assertTrue(h.rooms.rooms.isEmpty(), "and the focus joins no room");

        var user = h.manager.requestConference(Harness.room("r"), Map.of(), "alice@meet.test/web");
        h.loop.runPending();
        assertTrue(user.join().ready());
        var guestAgain = h.manager.requestConference(Harness.room("r"), Map.of(), "x1y2@guest.meet.test/abc");
        h.loop.runPending();
        assertTrue(guestAgain.join().ready(), "a guest may join an existing conference");
        assertEquals(1, h.manager.conferenceCount());
    }

    @Test
    void anUnknownRequesterOrAnotherDomainMayNotCreateARoom() {
        var anonymous = h.manager.requestConference(Harness.room("a"), Map.of());
        var other = h.manager.requestConference(Harness.room("b"), Map.of(), "bob@evil.test/x");
        var sub = h.manager.requestConference(Harness.room("c"), Map.of(), "bob@sub.meet.test/x");
        var domainOnly = h.manager.requestConference(Harness.room("d"), Map.of(), "meet.test");
        h.loop.runPending();
        for (var f : java.util.List.of(anonymous, other, sub, domainOnly)) {
            assertEquals(ConferenceRequestException.Kind.NOT_AUTHORIZED, refusal(f).kind());
        }
        assertEquals(0, h.manager.conferenceCount());
    }

    @Test
    void withoutAuthenticationAnybodyCreatesARoom() {
        Harness open = new Harness();
        var f = open.manager.requestConference(Harness.room("r"), Map.of(), "x1y2@guest.meet.test/abc");
        open.loop.runPending();
        assertTrue(f.join().ready());
    }

    // ---- the IQ handler ----

    private static ConferenceIq request(String from, String room) throws Exception {
        ConferenceIq iq = ConferenceIq.builder().room(room).build();
        iq.setType(IQ.Type.set);
        iq.setStanzaId("c1");
        iq.setFrom(JidCreate.from(from));
        iq.setTo(JidCreate.from("focus@auth.meet.test/focus"));
        return iq;
    }

    private IQ answer(ConferenceIqHandler handler, ConferenceIq iq, Jid requester) {
        var f = handler.answer(iq, requester);
        h.loop.runPending();
        return f.join();
    }

    @Test
    void theAnswerSaysAuthenticationIsOnAndAGuestGetsNotAuthorized() throws Exception {
        ConferenceIqHandler handler = new ConferenceIqHandler(h.manager, null, "focus@auth.meet.test");
        ConferenceIq guest = request("x1y2@guest.meet.test/abc", Harness.room("r"));
        IQ refused = answer(handler, guest, guest.getFrom());
        assertEquals(IQ.Type.error, refused.getType());
        assertEquals(StanzaError.Condition.not_authorized, refused.getError().getCondition());
        assertEquals(guest.getFrom(), refused.getTo());

        ConferenceIq user = request("alice@meet.test/web", Harness.room("r"));
        ConferenceIq ok = assertInstanceOf(ConferenceIq.class, answer(handler, user, user.getFrom()));
        assertEquals(Boolean.TRUE, ok.ready());
        assertEquals("true", ok.properties().get("authentication"));
        assertEquals("false", ok.properties().get("externalAuth"));
    }

    @Test
    void withoutAuthenticationTheAnswerSaysSo() throws Exception {
        Harness open = new Harness();
        ConferenceIqHandler handler = new ConferenceIqHandler(open.manager, null, "focus@auth.meet.test");
        var f = handler.answer(request("x@guest.meet.test/a", Harness.room("r")));
        open.loop.runPending();
        ConferenceIq ok = assertInstanceOf(ConferenceIq.class, f.join());
        assertEquals("false", ok.properties().get("authentication"));
        assertNull(ok.properties().get("externalAuth"));
    }

    // ---- the client proxy ----

    @ParameterizedTest
    @CsvSource(value = {
        // from, expected requester
        "focus.meet.test/alice@meet.test/web, alice@meet.test/web",
        "focus.meet.test/x1y2@guest.meet.test/abc, x1y2@guest.meet.test/abc",
        "Focus.Meet.Test/alice@meet.test/web, alice@meet.test/web",
        // direct requests and other components are taken as they are
        "alice@meet.test/web, alice@meet.test/web",
        "other.meet.test/alice@meet.test/web, other.meet.test/alice@meet.test/web",
        "focus.meet.test, focus.meet.test",
        "user@focus.meet.test/alice@meet.test, user@focus.meet.test/alice@meet.test"})
    void theClientProxyIsUnwrapped(String from, String expected) throws Exception {
        assertEquals(JidCreate.from(expected),
                ConferenceIqHandler.unwrapClientProxy("focus.meet.test", JidCreate.from(from)));
    }

    @Test
    void withoutAClientProxyNothingIsUnwrapped() throws Exception {
        Jid proxied = JidCreate.from("focus.meet.test/alice@meet.test/web");
        assertEquals(proxied, ConferenceIqHandler.unwrapClientProxy(null, proxied));
    }

    @Test
    void aProxiedUserIsAuthenticatedAndAProxiedGuestIsNot() throws Exception {
        ConferenceIqHandler handler = new ConferenceIqHandler(h.manager, null, "focus@auth.meet.test");
        ConferenceIq viaProxy = request("focus.meet.test/x1y2@guest.meet.test/abc", Harness.room("p"));
        IQ refused = answer(handler, viaProxy,
                ConferenceIqHandler.unwrapClientProxy("focus.meet.test", viaProxy.getFrom()));
        assertEquals(StanzaError.Condition.not_authorized, refused.getError().getCondition());
        assertEquals(viaProxy.getFrom(), refused.getTo(), "the answer goes back through the proxy");

        ConferenceIq userViaProxy = request("focus.meet.test/alice@meet.test/web", Harness.room("p"));
        IQ ok = answer(handler, userViaProxy,
                ConferenceIqHandler.unwrapClientProxy("focus.meet.test", userViaProxy.getFrom()));
        assertEquals(IQ.Type.result, ok.getType());
        assertEquals(userViaProxy.getFrom(), ok.getTo());
        // without unwrapping, the proxy itself is not a user of meet.test: the same request would be refused
        IQ wrapped = answer(handler, request("focus.meet.test/alice@meet.test/web", Harness.room("q")),
                JidCreate.from("focus.meet.test/alice@meet.test/web"));
        assertEquals(StanzaError.Condition.not_authorized, wrapped.getError().getCondition());
    }

    // ---- settings ----

    @Test
    void settingsReadJicofoAuthenticationKeys() {
        var off = ConferenceSettings.fromConfig(ConfigFactory.parseString("jicofo.xmpp.client.xmpp-domain = meet.test"));
        assertFalse(off.authentication().enabled());
        assertNull(off.clientProxy());

        var xmpp = ConferenceSettings.fromConfig(ConfigFactory.parseString(String.join("\n",
                "jicofo.xmpp.client.xmpp-domain = meet.test",
                "jicofo.xmpp.client.client-proxy = focus.meet.test",
                "jicofo.authentication { enabled = true, type = XMPP }")));
        assertEquals(new AuthenticationSettings(true, AuthenticationSettings.Type.XMPP, "meet.test"),
                xmpp.authentication());
        assertEquals("focus.meet.test", xmpp.clientProxy());

        var jwt = ConferenceSettings.fromConfig(ConfigFactory.parseString(String.join("\n",
                "jicofo.xmpp.client.xmpp-domain = meet.test",
                "jicofo.authentication { enabled = true, type = JWT, login-url = \"https://Secure.Meet.Test/login\" }")));
        assertEquals("secure.meet.test", jwt.authentication().domain());
        assertTrue(jwt.authentication().external());
    }

    @Test
    void badAuthenticationConfigNamesTheKey() {
        var shib = ConfigFactory.parseString("jicofo.xmpp.client.xmpp-domain = meet.test\n"
                + "jicofo.authentication { enabled = true, type = SHIBBOLETH }");
        var e = assertThrows(ConfigException.class, () -> ConferenceSettings.fromConfig(shib));
        assertTrue(e.getMessage().contains("jicofo.authentication.type"), e.getMessage());
        var noDomain = ConfigFactory.parseString("jicofo.authentication.enabled = true");
        var e2 = assertThrows(ConfigException.class, () -> ConferenceSettings.fromConfig(noDomain));
        assertTrue(e2.getMessage().contains("jicofo.authentication.login-url"), e2.getMessage());
    }
}
