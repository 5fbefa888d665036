package io.focus.app.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.app.Main;
import io.focus.app.http.HttpApi;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.bridge.SimBridgeOptions;
import io.focus.sim.participant.FocusReply;
import io.focus.sim.participant.SimParticipant;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawIQ;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Issue #14, through a real Prosody and the daemon's own wiring: a moderator's recording and live-streaming requests
 * (Jibri IQs to the focus's occupant JID, as lib-jitsi-meet sends them) and dial-out / transcription requests (Rayo
 * {@code <dial>}) get {@code feature-not-implemented} with a text saying what is not supported, never silence and
 * never the bare {@code service-unavailable} an unknown IQ gets.
 */
class UnsupportedServicesE2ETest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @TempDir
    Path dir;

    Main.Daemon daemon;
    SimBridge bridge;
    SimParticipant moderator;

    @AfterEach
    void tearDown() {
        if (moderator != null) {
            moderator.close();
        }
        if (daemon != null) {
            daemon.stop();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void recordingStreamingDialOutAndTranscriptionRequestsAreRefusedWithAText() throws Exception {
        ProsodyServer server = prosody.server();
        bridge = SimBridge.start(SimBridgeOptions.forServer(server, "jvb1").statsInterval(Duration.ofSeconds(1)));
        daemon = Main.Daemon.start(DaemonFixture.configHolder(dir, DaemonFixture.jicofoConf(server, 0)
                + "jicofo.jibri.brewery-jid = \"JibriBrewery@internal.auth." + server.domain() + "\"\n"), Clock.systemUTC());
        Rest rest = new Rest(daemon.injector().getInstance(HttpApi.class).port(), DaemonFixture.TOKEN);
        await("bridge").atMost(Duration.ofSeconds(30)).until(() -> rest.bridgeNicks().equals(Set.of("jvb1")));

        String room = "recordme@" + server.conferenceMucDomain();
        String focusJid = "focus@" + server.authDomain() + "/focus";
        moderator = SimParticipant.anonymous(server, "a1a1a1a1", null);
        FocusReply reply = moderator.requestConference(focusJid, room, Map.of(), Duration.ofSeconds(20));
        assertTrue(reply.isResult() && reply.ready(), reply::toString);
        moderator.join(room);
        String focusOccupant = room + "/focus";

        // lib-jitsi-meet's JibriSession: start a file recording, to the focus's occupant JID in the room
        IQ e = refused(focusOccupant, iq("jibri", "http://jitsi.org/protocol/jibri",
                attrs("action", "start", "recording_mode", "file", "app_data", "{}"), ""));
        assertEquals(StanzaError.Condition.feature_not_implemented, e.getError().getCondition());
        assertEquals("recording is not supported by this focus (it has no Jibri support)", text(e));

        e = refused(focusOccupant, iq("jibri", "http://jitsi.org/protocol/jibri",
                attrs("action", "start", "recording_mode", "stream", "streamid", "abcd-efgh"), ""));
        assertEquals(StanzaError.Condition.feature_not_implemented, e.getError().getCondition());
        assertEquals("live streaming is not supported by this focus (it has no Jibri support)", text(e));

        // strophe.rayo: dial-out, with the room header; and the transcriber request; also to the focus's own JID
        String headers = "<header name='JvbRoomName' value='" + room + "'/>";
        e = refused(focusOccupant, iq("dial", "urn:xmpp:rayo:1", attrs("from", "fromnumber", "to", "+15551234567"),
                headers));
        assertEquals(StanzaError.Condition.feature_not_implemented, e.getError().getCondition());
        assertEquals("dial-out is not supported by this focus (it has no Jigasi support)", text(e));

        e = refused(focusJid, iq("dial", "urn:xmpp:rayo:1", attrs("from", "fromnumber", "to", "jitsi_meet_transcribe"),
                headers));
        assertEquals(StanzaError.Condition.feature_not_implemented, e.getError().getCondition());
        assertEquals("transcription is not supported by this focus (it has no Jigasi support)", text(e));

        CollectorRegistry metrics = daemon.injector().getInstance(CollectorRegistry.class);
        for (String f : new String[] {"recording", "live-streaming", "dial-out", "transcription"}) {
            assertEquals(1.0, metrics.getSampleValue("focus_unsupported_requests_total", new String[] {"feature"},
                    new String[] {f}), f);
        }
        // and start-up said so once, naming the key
        assertTrue(daemon.injector().getInstance(io.focus.app.config.ConfigHolder.class).loaded().warnings().stream()
                .anyMatch(w -> w.startsWith("jicofo.jibri is configured (brewery-jid in ")), "start-up warning");
    }

    private static RawIQ iq(String element, String namespace, Map<String, String> attrs, String inner) {
        RawIQ iq = new RawIQ(element, namespace, attrs, inner);
        iq.setType(IQ.Type.set);
        return iq;
    }

    private static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * The error's text. The focus sends {@code <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>}
     * (UnsupportedServicesIqHandlerTest checks the XML); the simulated client's Smack keeps it as an extension element
     * rather than as the descriptive text, so the reply's XML is read when the descriptive text is empty.
     */
    private static String text(IQ answer) {
        if (answer.getError().getDescriptiveText() != null) {
            return answer.getError().getDescriptiveText();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<text[^>]*>([^<]*)</text>")
                .matcher(answer.toXML().toString());
        return m.find() ? m.group(1) : null;
    }

    private IQ refused(String to, RawIQ iq) throws Exception {
        iq.setTo(JidCreate.from(to));
        try (StanzaCollector c = moderator.connection().createStanzaCollectorAndSend(
                new StanzaIdFilter(iq.getStanzaId()), iq)) {
            Stanza reply = c.nextResult(Duration.ofSeconds(10).toMillis());
            assertNotNull(reply, "no answer to <" + iq.getChildElementName() + "> sent to " + to);
            IQ answer = (IQ) reply;
            assertEquals(IQ.Type.error, answer.getType(), answer.toXML().toString());
            return answer;
        }
    }
}
