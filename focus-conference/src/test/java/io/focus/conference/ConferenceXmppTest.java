package io.focus.conference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.xmpp.ConferenceIq;
import io.focus.sim.bridge.ColibriFault;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.prosody.ProsodyExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conference code over real XMPP: a real Prosody, simulated bridges in the brewery answering Colibri2 from
 * their model, participants that send the focus conference IQ and join the room with a region. The focus is
 * {@link XmppFocusHarness}: the real {@link XmppColibriBackend}, {@link MucConferenceRoom} and
 * {@link ConferenceIqHandler}, with the fake registry and selector; the test drives bridge events exactly as the
 * registry would (a crash ⇒ REMOVED when the bridge leaves the brewery).
 *
 * <p>The far end here is the bridges' allocations only: the participants are plain MUC clients and the harness runs
 * without a Jingle signaller, so no participant answers an offer and no bridge endpoint ever gets a participant's
 * transport or sources ({@code BridgeEndpoint.connected()} stays false by design). What each bridge holds is asserted
 * against the focus's view ({@link #bridgesMatchFocus()}), and relays, which the focus connects bridge to bridge without
 * any participant, are asserted connected. Calls with media at both ends are {@link JingleXmppTest}'s.
 */
class ConferenceXmppTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    XmppFocusHarness f;

    void start(boolean octo) throws Exception {
        f = XmppFocusHarness.start(prosody.server(), s -> s.withOcto(octo));
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** Sends the conference IQ as a client would and returns the reply (or the error). */
    IQ request(XMPPConnection c, String room) throws Exception {
        ConferenceIq iq = ConferenceIq.builder().room(room).property("rtcstatsEnabled", "false").build();
        iq.setType(IQ.Type.set);
        iq.setTo(JidCreate.from(f.focusFullJid()));
        try {
            return c.sendIqRequestAndWaitForResponse(iq);
        } catch (XMPPException.XMPPErrorException e) {
            return (IQ) e.getStanza();
        }
    }

    XMPPTCPConnection participant(String room, String nick, String region) throws Exception {
        XMPPTCPConnection c = f.anonymousClient();
        IQ reply = request(c, room);
        assertEquals(IQ.Type.result, reply.getType(), () -> "conference IQ answered " + reply.toXML());
        ConferenceIq ok = (ConferenceIq) reply;
        assertEquals(Boolean.TRUE, ok.ready());
        assertEquals(f.focusJid(), ok.focusJid());
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c).getMultiUserChat(JidCreate.entityBareFrom(room));
        var b = muc.getEnterConfigurationBuilder(Resourcepart.from(nick));
        if (region != null) {
            b.withPresence(p -> p.addExtension(StandardExtensionElement.builder("jitsi_participant_region",
                    "jabber:client").setText(region).build()));
        }
        muc.join(b.build());
        return c;
    }

    /** Every sim bridge's recorded Colibri2 state equals the focus's view (endpoints and relays). */
    boolean bridgesMatchFocus() {
        for (Map.Entry<String, SimBridge> e : f.sims.entrySet()) {
            SimBridge b = e.getValue();
            Map<String, Set<String>> expectedEndpoints = new HashMap<>();
            Map<String, Map<String, Set<String>>> expectedRelays = new HashMap<>();
            for (ConferenceView c : f.manager.snapshot().conferences()) {
                ConferenceView.BridgeUse use = c.bridge(b.occupantJid());
                if (use != null) {
                    expectedEndpoints.put(c.meetingId(), Set.copyOf(use.participants()));
                    Map<String, Set<String>> relays = new HashMap<>();
                    use.relayEndpoints().forEach((k, v) -> relays.put(k, Set.copyOf(v)));
                    expectedRelays.put(c.meetingId(), relays);
                }
            }
            if (b.state() != SimBridge.State.JOINED) {
                continue;  // a crashed bridge's leftovers are not the focus's business
            }
            Map<String, Set<String>> actualEndpoints = new HashMap<>();
            Map<String, Map<String, Set<String>>> actualRelays = new HashMap<>();
            for (ConferenceState cs : b.model().conferences().values()) {
                actualEndpoints.put(cs.meetingId(), Set.copyOf(cs.endpoints()));
                Map<String, Set<String>> relays = new HashMap<>();
                cs.relays().forEach((k, v) -> relays.put(k, Set.copyOf(v)));
                actualRelays.put(cs.meetingId(), relays);
            }
            if (!expectedEndpoints.equals(actualEndpoints) || !expectedRelays.equals(actualRelays)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A stock Jitsi Meet client accepts Jingle only from the focus it identifies by real JID ("Rejecting
     * session-initiate from non-focus" otherwise): the room must be non-anonymous, as Jicofo configures it
     * ({@code muc#roomconfig_whois = anyone}); Prosody's default is semi-anonymous.
     */
    @Test
    void theRoomShowsRealJidsToEveryoneSoClientsTrustTheFocus() throws Exception {
        start(false);
        f.bridge("jvb1", 0.1, null);
        String room = f.room("whois");
        XMPPTCPConnection c1 = participant(room, "p1", null);
        var info = org.jivesoftware.smackx.disco.ServiceDiscoveryManager.getInstanceFor(c1)
                .discoverInfo(JidCreate.entityBareFrom(room));
        assertTrue(info.containsFeature("muc_nonanonymous"), () -> "room features: " + info.toXML());
        assertFalse(info.containsFeature("muc_semianonymous"), () -> "room features: " + info.toXML());
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c1).getMultiUserChat(JidCreate.entityBareFrom(room));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var focus = muc.getOccupant(JidCreate.entityFullFrom(room + "/focus"));
            return focus != null && focus.getJid() != null
                    && focus.getJid().asBareJid().toString().equals(f.focusJid());
        });
        // and what the focus supports, as Jicofo's presence says it (clients then ask for ICE restarts by terminate)
        var presence = muc.getOccupantPresence(JidCreate.entityFullFrom(room + "/focus"));
        String xml = presence.toXML().toString().replace('\'', '"');
        assertTrue(xml.matches(".*<property (value=\"true\" key=\"support-terminate-restart\"|key=\"support-terminate-restart\" value=\"true\").*"), xml);
        assertTrue(xml.contains("<component name=\"focus\">"), xml);
    }

    @Test
    void threeParticipantsArePlacedOnTheLeastStressedBridge() throws Exception {
        start(false);
        f.bridge("jvb1", 0.5, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.1, null);
        f.bridge("jvb3", 0.3, null);
        String room = f.room("three");
        XMPPTCPConnection c1 = participant(room, "p1", null);
        participant(room, "p2", null);
        participant(room, "p3", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> f.placement(room).size() == 3);
        // The focus's room presence carries Jicofo's bridge-count property.
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c1).getMultiUserChat(JidCreate.entityBareFrom(room));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var p = muc.getOccupantPresence(JidCreate.entityFullFrom(room + "/focus"));
            if (p == null) {
                return false;
            }
            var props = p.getExtensionElement("conference-properties", MucConferenceRoom.FOCUS_NS);
            String xml = props == null ? "" : props.toXML().toString().replace('\'', '"');
            return xml.contains("key=\"bridge-count\"") && xml.contains("value=\"1\"")
                    && p.getExtensionElement("bridgeNotAvailable", MucConferenceRoom.FOCUS_NS) == null;
        });
        assertEquals(Map.of("p1", "jvb2", "p2", "jvb2", "p3", "jvb2"), f.placement(room));
        await().atMost(Duration.ofSeconds(5)).until(this::bridgesMatchFocus);
        assertEquals(Set.of("p1", "p2", "p3"), jvb2.model().endpoints());
        ParticipantView p1 = f.manager.conference(room).participant("p1");
        assertTrue(p1.allocation().transport().iceUdp().ufrag() != null, "the bridge's ICE transport is kept");
    }

    @Test
    void aRegionConferenceSpreadsOverTwoBridgesWithRelaysBothWays() throws Exception {
        start(true);
        SimBridge east = f.bridge("jvb1", 0.1, "us-east");
        SimBridge west = f.bridge("jvb2", 0.1, "eu-west");
        String room = f.room("regions");
        participant(room, "a", "us-east");
        participant(room, "b", "eu-west");

        await().atMost(Duration.ofSeconds(10)).until(() -> f.placement(room).size() == 2);
        assertEquals(Map.of("a", "jvb1", "b", "jvb2"), f.placement(room));
        String meeting = f.manager.conference(room).meetingId();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                east.model().conference(meeting).map(c -> c.relays().getOrDefault("jvb2", Set.of()).contains("b"))
                        .orElse(false)
                && west.model().conference(meeting).map(c -> c.relays().getOrDefault("jvb1", Set.of()).contains("a"))
                        .orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(this::bridgesMatchFocus);
        // the far end of the relay: each bridge received the other's relay transport (ICE and DTLS), so it connects
        await("relay jvb1<->jvb2 connected").atMost(Duration.ofSeconds(5))
                .until(() -> SimBridge.relayConnected(east, west, meeting));
    }

    @Test
    void aCrashedBridgesParticipantsMoveToAnotherBridgeAndTheModelsMatch() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        String room = f.room("crash");
        participant(room, "p1", null);
        participant(room, "p2", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.placement(room).size() == 2);
        assertEquals(Map.of("p1", "jvb1", "p2", "jvb1"), f.placement(room));

        jvb1.crash();
        f.bridges.remove("jvb1");  // the registry's REMOVED when the crashed bridge drops out of the brewery

        await().atMost(Duration.ofSeconds(10))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(f.placement(room)));
        await().atMost(Duration.ofSeconds(5)).until(this::bridgesMatchFocus);
        assertEquals(Set.of("p1", "p2"), jvb2.model().endpoints());
        assertFalse(f.manager.conference(room).anyMoving());
    }

    @Test
    void aColibriErrorMovesTheParticipantsAndTheFailingBridgeIsNotUsedAgain() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        jvb1.setColibriFault(ColibriFault.error("internal-server-error"));
        String room = f.room("colibri-error");
        participant(room, "p1", null);
        participant(room, "p2", null);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(f.placement(room)));
        assertEquals(Set.of("p1", "p2"), jvb2.model().endpoints());
        assertTrue(jvb1.model().endpoints().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(this::bridgesMatchFocus);
    }

    @Test
    void aHungBridgeTimesOutAndItsParticipantsMove() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        jvb1.setColibriFault(ColibriFault.noReply());
        String room = f.room("hang");
        participant(room, "p1", null);
        participant(room, "p2", null);
        // The reply timeout here is 3 s.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(f.placement(room)));
        assertEquals(Set.of("p1", "p2"), jvb2.model().endpoints());
    }

    @Test
    void aShuttingDownBridgesParticipantsMove() throws Exception {
        start(false);
        SimBridge jvb1 = f.bridge("jvb1", 0.1, null);
        SimBridge jvb2 = f.bridge("jvb2", 0.4, null);
        String room = f.room("shutdown");
        participant(room, "p1", null);
        participant(room, "p2", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.placement(room).size() == 2);

        jvb1.setShuttingDown(true);
        f.bridges.update("jvb1", b -> b.shuttingDown(true));
        f.bridges.fire(BridgeEvent.Type.SHUTTING_DOWN, jvb1.occupantJid(), "shutting_down");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> Map.of("p1", "jvb2", "p2", "jvb2").equals(f.placement(room)));
        await().atMost(Duration.ofSeconds(5)).until(() -> jvb1.model().endpoints().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(this::bridgesMatchFocus);
        assertEquals(Set.of("p1", "p2"), jvb2.model().endpoints());
    }

    @Test
    void badConferenceRequestsAreRefusedWithoutSideEffects() throws Exception {
        start(false);
        XMPPTCPConnection c = f.anonymousClient();
        IQ noRoom = request(c, null);
        assertEquals(IQ.Type.error, noRoom.getType());
        assertEquals(StanzaError.Condition.bad_request, noRoom.getError().getCondition());
        IQ otherDomain = request(c, "room@muc.elsewhere.test");
        assertEquals(StanzaError.Condition.not_acceptable, otherDomain.getError().getCondition());
        assertEquals(0, f.manager.conferenceCount());
        f.loop.submit(() -> null).get(5, TimeUnit.SECONDS);
        assertEquals(0, f.manager.conferenceCount());
    }
}
