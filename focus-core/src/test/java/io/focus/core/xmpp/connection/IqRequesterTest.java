package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.testing.ManualLoop;
import io.focus.core.testing.RecordingConnection;
import java.util.ArrayList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.EmptyResultIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The requester at its seams: a Smack connection with no server behind it ({@link RecordingConnection}: Smack's own
 * send checks and incoming-stanza path, the sent stanzas recorded), a sender loop the test runs by hand, deadlines on
 * a manual loop with a fake clock. The requester on a real Prosody: XmppFeatureDiscoveryTest and
 * XmppColibriBackendGoldenTest (focus-conference).
 */
class IqRequesterTest {
    static final int MAX_OUTSTANDING = 3;
    final RecordingConnection connection = RecordingConnection.loggedIn("focus@auth.meet.test/focus");
    final ManualLoop timer = new ManualLoop();
    final ManualLoop sender = new ManualLoop();
    final AtomicInteger loopsClosed = new AtomicInteger();
    IqRequester requester;
    /** The requester's one reply listener and its filter, as registered on the connection. */
    StanzaListener listener;
    StanzaFilter filter;

    @BeforeEach
    void setUp() {
        Map<StanzaListener, StanzaFilter> smacks = connection.asyncListeners();
        requester = new IqRequester(connection, "client", sender, timer, MAX_OUTSTANDING, loopsClosed::incrementAndGet);
        Map<StanzaListener, StanzaFilter> added = new LinkedHashMap<>(connection.asyncListeners());
        added.keySet().removeAll(smacks.keySet());
        assertEquals(1, added.size(), "one reply listener for all requests");
        listener = added.keySet().iterator().next();
        filter = added.get(listener);
    }

    @Test
    void theCallerNeverWritesSendsGoOutInCallOrderOnTheSenderThread() {
        IQ a = request("room@conference.meet.test/a");
        IQ b = request("room@conference.meet.test/b");
        requester.request(a, Duration.ofSeconds(15));
        IQ answer = IQ.createResultIQ(request("room@conference.meet.test/c"));
        requester.send(answer);
        requester.request(b, Duration.ofSeconds(15));
        assertEquals(List.of(), connection.sent(), "nothing is connection.sent() on the caller's thread");
        assertEquals(3, requester.queued());
        runSender();
        assertEquals(List.of(a, answer, b), connection.sent());
        assertEquals(0, requester.queued());
        assertEquals(2, requester.pending());
    }

    /** The caller's hooks bracket the write: before it, nothing is on the wire; after it, the request is. */
    @Test
    void theWriteHooksRunOnTheSenderThreadJustBeforeAndRightAfterTheWrite() {
        IQ a = request("room@conference.meet.test/a");
        List<String> told = new ArrayList<>();
        List<CompletableFuture<IQ>> replies = new ArrayList<>();
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15), new IqRequester.Writes() {
            @Override public void writing() { told.add("writing, " + connection.sent().size() + " sent"); }
            @Override public void written(CompletableFuture<IQ> reply) {
                told.add("written, " + connection.sent().size() + " sent");
                replies.add(reply);
            }
        });
        assertEquals(List.of(), told, "nothing on the caller's thread");
        runSender();
        assertEquals(List.of("writing, 0 sent", "written, 1 sent"), told);
        assertEquals(List.of(fa), replies, "written() gets the request's own future");
        assertFalse(fa.isDone());
    }

    @Test
    void aReplyFromTheAddresseeCompletesTheRequestByItsId() throws Exception {
        IQ a = request("room@conference.meet.test/a");
        IQ b = request("room@conference.meet.test/b");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        CompletableFuture<IQ> fb = requester.request(b, Duration.ofSeconds(15));
        runSender();
        IQ replyB = IQ.createResultIQ(b);
        assertTrue(filter.accept(replyB));
        deliver(replyB);
        assertTrue(fb.isDone());
        assertEquals(replyB, fb.get());
        assertFalse(fa.isDone());
        assertEquals(1, requester.pending());
        assertFalse(filter.accept(replyB), "an answered id is no longer wanted");
        assertFalse(filter.accept(request("room@conference.meet.test/a")), "requests are not replies");
    }

    @Test
    void aReplyFromAnotherJidIsIgnored() throws Exception {
        IQ a = request("room@conference.meet.test/a");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        runSender();
        IQ spoofed = IQ.createResultIQ(a);
        spoofed.setFrom(JidCreate.from("room@conference.meet.test/mallory"));
        deliver(spoofed);
        assertFalse(fa.isDone());
        deliver(IQ.createResultIQ(a));
        assertTrue(fa.isDone());
    }

    @Test
    void anErrorReplyFailsWithTheStanzaError() {
        IQ a = request("room@conference.meet.test/a");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        runSender();
        deliver(IQ.createErrorResponse(a, StanzaError.Condition.item_not_found));
        ExecutionException e = failed(fa);
        XMPPException.XMPPErrorException x = assertInstanceOf(XMPPException.XMPPErrorException.class, e.getCause());
        assertEquals(StanzaError.Condition.item_not_found, x.getStanzaError().getCondition());
        assertEquals(0, requester.pending());
    }

    @Test
    void theDeadlineCountsFromTheRequestAndFailsASentRequestWithNoResponse() {
        IQ a = request("room@conference.meet.test/a");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        timer.advance(Duration.ofSeconds(5));
        runSender();
        timer.advance(Duration.ofSeconds(9));
        assertFalse(fa.isDone());
        timer.advance(Duration.ofSeconds(1));
        ExecutionException e = failed(fa);
        assertInstanceOf(SmackException.NoResponseException.class, e.getCause(),
                "15 s after the request, not 15 s after it went out");
        assertEquals(0, requester.pending());
        assertFalse(filter.accept(IQ.createResultIQ(a)), "a late reply is not wanted");
    }

    @Test
    void aRequestStillWaitingForTheSenderAtItsDeadlineFailsAsNotSentAndIsNeverWritten() {
        IQ a = request("room@conference.meet.test/a");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        timer.advance(Duration.ofSeconds(15));
        ExecutionException e = failed(fa);
        IqNotSentException x = assertInstanceOf(IqNotSentException.class, e.getCause(),
                "the addressee never saw it: not its silence");
        assertTrue(x.getMessage().contains("not sent within its 15000 ms"), x.getMessage());
        assertInstanceOf(SmackException.NotConnectedException.class, x, "callers treat it as not sent");
        runSender();
        assertEquals(List.of(), connection.sent(), "an expired request is not sent late");
        assertEquals(0, requester.pending());
    }

    @Test
    void closeFailsEveryOutstandingRequestAndTakesNoMore() throws Exception {
        CompletableFuture<IQ> sent = requester.request(request("room@conference.meet.test/a"), Duration.ofSeconds(15));
        runSender();
        CompletableFuture<IQ> queued = requester.request(request("room@conference.meet.test/b"),
                Duration.ofSeconds(15));
        requester.close();
        for (CompletableFuture<IQ> f : List.of(sent, queued)) {
            ExecutionException e = failed(f);
            assertInstanceOf(IqNotSentException.class, e.getCause());
        }
        assertEquals(0, requester.pending());
        assertEquals(0, timer.pendingTimers(), "no deadline left behind");
        assertEquals(1, loopsClosed.get(), "the requester's loops are stopped with it");
        assertFalse(connection.asyncListeners().containsKey(listener), "the reply listener is removed from the connection");
        runSender();
        assertEquals(1, connection.sent().size(), "the queued request is not connection.sent() after the close");
        CompletableFuture<IQ> late = requester.request(request("room@conference.meet.test/c"), Duration.ofSeconds(15));
        ExecutionException e = failed(late);
        assertInstanceOf(IqNotSentException.class, e.getCause());
        requester.close();
        assertEquals(1, loopsClosed.get(), "closing twice is closing once");
    }

    @Test
    void noMoreThanTheLimitOfRequestsWaitForTheirReply() throws Exception {
        List<IQ> sent = new ArrayList<>();
        for (int i = 0; i < MAX_OUTSTANDING; i++) {
            IQ q = request("room@conference.meet.test/p" + i);
            sent.add(q);
            assertFalse(requester.request(q, Duration.ofSeconds(15)).isDone());
        }
        CompletableFuture<IQ> over = requester.request(request("room@conference.meet.test/over"),
                Duration.ofSeconds(15));
        ExecutionException e = failed(over);
        IqNotSentException x = assertInstanceOf(IqNotSentException.class, e.getCause());
        assertTrue(x.getMessage().contains("too many requests outstanding on the client connection (3)"),
                x.getMessage());
        runSender();
        assertEquals(sent, connection.sent(), "the refused request is not connection.sent()");
        deliver(IQ.createResultIQ(sent.get(0)));
        assertFalse(requester.request(request("room@conference.meet.test/next"), Duration.ofSeconds(15)).isDone(),
                "an answered request makes room for the next");
        assertEquals(MAX_OUTSTANDING, requester.pending());
    }

    @Test
    void anAnsweredRequestLeavesNoTimerBehind() {
        IQ a = request("room@conference.meet.test/a");
        requester.request(a, Duration.ofSeconds(15));
        assertEquals(1, timer.pendingTimers(), "the deadline runs from the request");
        runSender();
        assertEquals(1, timer.pendingTimers());
        deliver(IQ.createResultIQ(a));
        assertEquals(0, timer.pendingTimers());
    }

    @Test
    void aRequestThatCannotBeWrittenFailsNotConnected() throws Exception {
        connection.instantShutdown();
        CompletableFuture<IQ> fa = requester.request(request("room@conference.meet.test/a"), Duration.ofSeconds(15));
        runSender();
        ExecutionException e = failed(fa);
        assertInstanceOf(SmackException.NotConnectedException.class, e.getCause());
        assertEquals(0, requester.pending());
        assertEquals(0, timer.pendingTimers());
        // A failing plain send is logged, not thrown at the caller or the sender thread.
        requester.send(IQ.createResultIQ(request("room@conference.meet.test/b")));
        runSender();
    }

    @Test
    void onlyRequestsAreAccepted() {
        CompletableFuture<IQ> f = requester.request(new EmptyResultIQ(), Duration.ofSeconds(1));
        assertTrue(f.isCompletedExceptionally());
        runSender();
        assertEquals(List.of(), connection.sent());
    }

    // ---------------------------------------------------------------------------------------------------------

    static IQ request(String to) {
        try {
            Jid jid = JidCreate.from(to);
            DiscoverInfo iq = DiscoverInfo.builder("id-" + to + "-" + System.nanoTime()).to(jid)
                    .ofType(IQ.Type.get).build();
            return iq;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The failure of a request that must have failed by now (never waits: everything here runs by hand). */
    static ExecutionException failed(CompletableFuture<IQ> f) {
        assertTrue(f.isDone(), "the request should have failed by now");
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
    }

    void runSender() {
        sender.runPending();
    }

    /** Through Smack's incoming path (the listener gets it only when its filter accepts it); returns when handled. */
    void deliver(IQ reply) {
        connection.deliver(reply);
    }
}
