package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.RecordingConnection;
import io.focus.core.xmpp.StanzaHygiene;
import io.prometheus.client.CollectorRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.time.Clock;

class StanzaGateTest {
    static final long LIMIT = 16 * 1024;
    final CollectorRegistry metrics = new CollectorRegistry();
    final StanzaHygiene hygiene = new StanzaHygiene(metrics, Clock.systemUTC());
    final AtomicLong nanos = new AtomicLong();
    /** Where the gate's error replies go (recorded); the limits on a real Prosody: StanzaLimitsIntegrationTest. */
    final RecordingConnection connection = RecordingConnection.loggedIn("focus@auth.meet.test/focus");
    StanzaGate gate;

    @BeforeEach
    void setUp() throws Exception {
        gate = new StanzaGate(new StanzaLimits(LIMIT, 2, 3,
                Set.of(JidCreate.entityBareFrom("jvbbrewery@internal.auth.meet.test"))), hygiene,
                JidCreate.entityBareFrom("focus@auth.meet.test"), nanos::get);
    }

    static Ping ping(String from) throws Exception {
        Ping p = new Ping(JidCreate.from("focus@auth.meet.test/focus"));
        p.setFrom(JidCreate.from(from));
        p.setStanzaId("p-" + System.nanoTime());
        return p;
    }

    double rejected(String reason) {
        Double v = metrics.getSampleValue("focus_stanzas_rejected_total", new String[] {"reason"}, new String[] {reason});
        return v == null ? 0 : v;
    }

    @Test
    void anIqRequestOverTheSizeIsAnsweredPolicyViolationSayingTheLimit() throws Exception {
        Ping big = ping("user@guest.meet.test/web");
        assertFalse(gate.admit(connection, big, LIMIT + 1));
        assertEquals(1, connection.sent().size());
        IQ reply = (IQ) connection.sent().get(0);
        assertEquals(IQ.Type.error, reply.getType());
        assertEquals(big.getStanzaId(), reply.getStanzaId());
        assertEquals(big.getFrom(), reply.getTo());
        assertEquals(StanzaError.Condition.policy_violation, reply.getError().getCondition());
        assertEquals(StanzaError.Type.MODIFY, reply.getError().getType());
        assertTrue(reply.getError().getDescriptiveText().contains("over the focus's limit of " + LIMIT + " bytes"),
                reply.getError().getDescriptiveText());
        assertNull(reply.getChildElementName() == null ? null : reply.getExtension("ping", "urn:xmpp:ping"),
                "the reply does not echo the request");
        assertEquals(1, rejected("too-large"));
        assertTrue(gate.admit(connection, ping("user@guest.meet.test/web"), LIMIT), "at the limit is fine");
    }

    @Test
    void otherStanzasOverTheSizeAreDroppedWithoutAReplyButALeaveIsKept() throws Exception {
        Message m = MessageBuilder.buildMessage().from(JidCreate.from("room@conference.meet.test/abcd"))
                .to(JidCreate.from("focus@auth.meet.test/focus")).ofType(Message.Type.groupchat).build();
        assertFalse(gate.admit(connection, m, LIMIT * 4));
        Presence p = PresenceBuilder.buildPresence().from(JidCreate.from("room@conference.meet.test/abcd")).build();
        assertFalse(gate.admit(connection, p, LIMIT * 4));
        IQ result = IQ.createResultIQ(ping("user@guest.meet.test/web"));
        result.setFrom(JidCreate.from("user@guest.meet.test/web"));
        assertFalse(gate.admit(connection, result, LIMIT * 4), "a result too");
        Presence leave = PresenceBuilder.buildPresence().ofType(Presence.Type.unavailable)
                .from(JidCreate.from("room@conference.meet.test/abcd")).build();
        assertTrue(gate.admit(connection, leave, LIMIT * 4), "a leave, whatever its size: no ghost participant");
        assertEquals(List.of(), connection.sent());
        assertEquals(3, rejected("too-large"));
    }

    @Test
    void overTheRateAnIqRequestGetsResourceConstraintWaitAndAMessageIsDropped() throws Exception {
        String user = "user@guest.meet.test/web";
        for (int i = 0; i < 3; i++) {
            assertTrue(gate.admit(connection, ping(user), 100), "burst " + i);
        }
        Ping fourth = ping(user);
        assertFalse(gate.admit(connection, fourth, 100));
        IQ reply = (IQ) connection.sent().get(0);
        assertEquals(fourth.getStanzaId(), reply.getStanzaId());
        assertEquals(StanzaError.Condition.resource_constraint, reply.getError().getCondition());
        assertEquals(StanzaError.Type.WAIT, reply.getError().getType());
        assertTrue(reply.getError().getDescriptiveText().contains("more than 2 requests per second from " + user),
                reply.getError().getDescriptiveText());
        Message m = MessageBuilder.buildMessage().from(JidCreate.from(user)).build();
        assertFalse(gate.admit(connection, m, 100), "a message takes a token too");
        assertEquals(1, connection.sent().size(), "no reply to a message");
        assertEquals(2, rejected("rate-limited"));
        nanos.addAndGet(500_000_000L); // 2/s: one token back
        assertTrue(gate.admit(connection, ping(user), 100));
    }

    @Test
    void presencesAndRepliesNeverTakeATokenAndTheServerOwnAccountAndBridgesAreExempt() throws Exception {
        String user = "user@guest.meet.test/web";
        for (int i = 0; i < 50; i++) {
            Presence p = PresenceBuilder.buildPresence().from(JidCreate.from(user)).build();
            assertTrue(gate.admit(connection, p, 100));
            IQ result = IQ.createResultIQ(ping("focus@auth.meet.test/focus"));
            result.setFrom(JidCreate.from(user));
            assertTrue(gate.admit(connection, result, 100));
        }
        for (String exempt : List.of("auth.meet.test", "conference.meet.test", "focus@auth.meet.test/focus-service",
                "jvbbrewery@internal.auth.meet.test/jvb1")) {
            for (int i = 0; i < 50; i++) {
                assertTrue(gate.admit(connection, ping(exempt), 100), exempt + " " + i);
            }
        }
        assertTrue(gate.admit(connection, ping(user), 100), "the user's bucket is untouched");
        // the server and the focus's own account are not size-limited either; a bridge is
        assertTrue(gate.admit(connection, ping("auth.meet.test"), LIMIT * 4));
        assertTrue(gate.admit(connection, ping("focus@auth.meet.test/focus-service"), LIMIT * 4));
        assertFalse(gate.admit(connection, ping("jvbbrewery@internal.auth.meet.test/jvb1"), LIMIT * 4));
        // a component-forwarded request (domain + resource) is an ordinary sender
        String proxied = "focus.meet.test/user\\40guest.meet.test\\2fweb";
        for (int i = 0; i < 3; i++) {
            assertTrue(gate.admit(connection, ping(proxied), 100));
        }
        assertFalse(gate.admit(connection, ping(proxied), 100));
    }

    @Test
    void limitsOffLetEverythingThrough() throws Exception {
        StanzaGate open = new StanzaGate(StanzaLimits.none(), hygiene, null, nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertTrue(open.admit(connection, ping("user@guest.meet.test/web"), 1 << 20));
        }
        assertEquals(0, open.trackedSenders());
    }
}
