package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.sim.prosody.ProsodyExtension;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replies to the focus's own requests (its {@link IqRequester}) reach it without Smack trying every other listener's
 * filter on them (with a MUC room per conference, about five per conference), on a real Prosody; everything else still
 * goes Smack's way.
 */
class OwnRepliesIntegrationTest {
    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void repliesToTheFocussOwnRequestsSkipEveryOtherListenerAndTheRestDoNot() throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        XMPPTCPConnection client = FocusOnProsody.client(prosody);
        PingManager.getInstanceFor(client); // answers pings
        try (XmppConnectionManager focus = FocusOnProsody.startFocus(prosody, new CollectorRegistry(),
                StanzaLimits.none(), lost)) {
            // a listener like MultiUserChat's: its filter is tried on whatever goes Smack's way
            AtomicInteger iqsTried = new AtomicInteger();
            StanzaListener nothing = s -> { };
            focus.connection().addSyncStanzaListener(nothing, s -> {
                // (the replies from the client: the focus also pings its own server now and then)
                if (s instanceof IQ && client.getUser().equals(s.getFrom())) {
                    iqsTried.incrementAndGet();
                }
                return false;
            });

            List<CompletableFuture<IQ>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(focus.requests().request(new Ping(client.getUser()), Duration.ofSeconds(10)));
            }
            for (CompletableFuture<IQ> r : replies) {
                assertEquals(IQ.Type.result, r.get(15, TimeUnit.SECONDS).getType(), "each ping answered");
            }

            // a request sent Smack's own way is answered as before, and its reply does go through the listeners
            IQ smacks = focus.connection().sendIqRequestAndWaitForResponse(new Ping(client.getUser()));
            assertEquals(IQ.Type.result, smacks.getType());
            // Smack tries the filters of its listeners in order, off the reader thread: once the last reply has been
            // tried, every earlier one that went Smack's way has been too
            Awaitility.await("the reply to Smack's own request tried against the listener").atMost(FocusOnProsody.WAIT)
                    .until(() -> iqsTried.get() >= 1);
            assertEquals(1, iqsTried.get(), "only the reply to Smack's own request was tried against the listener, "
                    + "none of the 20 replies to the focus's own requests");
            assertTrue(lost.isEmpty(), "the focus's connection was never lost: " + lost);
        } finally {
            client.disconnect();
        }
    }
}
