package io.focus.sim.participant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.RawIQ;
import io.focus.sim.xml.Stanzas;
import io.focus.sim.xml.Xml;

class SimParticipantTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void conferenceRequestJoinAndLeave() throws Exception {
        ProsodyServer s = prosody.server();
        XMPPTCPConnection focus = new XMPPTCPConnection(s.connectionConfig("focus", s.authDomain(), "focuspass", "focus").build());
        focus.connect().login();
        List<String> requests = new CopyOnWriteArrayList<>();
        focus.registerIQRequestHandler(new AbstractIqRequestHandler("conference", SimParticipant.FOCUS_NS, IQ.Type.set,
                IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                String xml = Stanzas.childXml(iq);
                requests.add(xml);
                Element req = Xml.parse(xml);
                RawIQ r = new RawIQ("conference", SimParticipant.FOCUS_NS,
                        Map.of("room", req.getAttribute("room"), "focusjid", "focus@auth.meet.test", "ready", "true"),
                        "<property name='authentication' value='false'/>");
                r.setType(IQ.Type.result);
                r.setTo(iq.getFrom());
                r.setStanzaId(iq.getStanzaId());
                return r;
            }
        });
        String room = "room1@" + s.conferenceMucDomain();
        var observerMuc = MultiUserChatManager.getInstanceFor(focus).getMultiUserChat(JidCreate.entityBareFrom(room));
        List<String> presences = new CopyOnWriteArrayList<>();
        focus.addAsyncStanzaListener(st -> presences.add(st.toXML().toString()),
                st -> st instanceof Presence && st.getFrom() != null && st.getFrom().toString().startsWith(room + "/a1b2c3d4"));
        observerMuc.join(Resourcepart.from("focus"));

        try (SimParticipant a = SimParticipant.anonymous(s, "a1b2c3d4", "us-east")) {
            assertTrue(a.jid().contains("@guest.meet.test/"));
            FocusReply reply = a.requestConference(String.valueOf(focus.getUser()), room, Map.of("startBitrate", "800"), Duration.ofSeconds(5));
            assertTrue(reply.isResult(), reply::xml);
            assertTrue(reply.ready());
            assertEquals("focus@auth.meet.test", reply.focusJid());
            assertEquals(Map.of("authentication", "false"), reply.properties());
            Element sent = Xml.parse(requests.get(0));
            assertEquals(room, sent.getAttribute("room"));
            // shaped like the captured participant request
            assertEquals(Xml.shape(Fixtures.child("sim-focus-conference-request.xml")).lines().findFirst().orElseThrow(),
                    Xml.shape(sent).lines().findFirst().orElseThrow());

            a.join(room);
            await().until(() -> presences.stream().anyMatch(p -> p.contains("jitsi_participant_region") && p.contains("us-east")));
            String joined = presences.stream().filter(p -> p.contains("jitsi_participant_region")).findFirst().orElseThrow();
            assertTrue(joined.contains("a1b2c3d4-stats"));
            a.leave();
            await().until(() -> presences.stream().anyMatch(p -> p.contains("type='unavailable'") || p.contains("type=\"unavailable\"")));

            // nobody answers for this JID: an error, not a hang
            FocusReply err = a.requestConference("nobody@auth.meet.test", room, Map.of(), Duration.ofSeconds(5));
            assertTrue(err.isError(), err::toString);
        } finally {
            focus.disconnect();
        }
    }

    @Test
    void registeredUserOnTheMainDomain() {
        ProsodyServer s = prosody.server();
        s.register("usera", s.domain(), "pw");
        try (SimParticipant u = SimParticipant.user(s, "usera", "pw", null, "eu-west")) {
            assertTrue(u.jid().startsWith("usera@meet.test/"));
            assertEquals(8, u.endpointId().length());
        }
    }
}
