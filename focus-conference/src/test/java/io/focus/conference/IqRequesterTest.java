package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.EmptyResultIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.mockito.ArgumentCaptor;

/**
 * The requester at its seams: a mocked Smack connection (only {@code addAsyncStanzaListener} and {@code sendStanza}
 * are used), a sender executor the test runs by hand, timeouts on a manual loop with a fake clock.
 */
class IqRequesterTest {
    final XMPPConnection connection = mock(XMPPConnection.class);
    final ManualLoop timer = new ManualLoop();
    final Deque<Runnable> senderQueue = new ArrayDeque<>();
    final Executor sender = senderQueue::addLast;
    final List<Stanza> written = new ArrayList<>();
    IqRequester requester;
    StanzaListener listener;
    StanzaFilter filter;

    @BeforeEach
    void setUp() throws Exception {
        when(connection.getUser()).thenReturn(JidCreate.entityFullFrom("focus@auth.meet.test/focus"));
        doAnswer(inv -> written.add(inv.getArgument(0))).when(connection).sendStanza(any());
        requester = new IqRequester(connection, sender, timer);
        ArgumentCaptor<StanzaListener> l = ArgumentCaptor.forClass(StanzaListener.class);
        ArgumentCaptor<StanzaFilter> f = ArgumentCaptor.forClass(StanzaFilter.class);
        verify(connection).addAsyncStanzaListener(l.capture(), f.capture());
        listener = l.getValue();
        filter = f.getValue();
    }

    @Test
    void theCallerNeverWritesSendsGoOutInCallOrderOnTheSenderThread() {
        IQ a = request("room@conference.meet.test/a");
        IQ b = request("room@conference.meet.test/b");
        requester.request(a, Duration.ofSeconds(15));
        IQ answer = IQ.createResultIQ(request("room@conference.meet.test/c"));
        requester.send(answer);
        requester.request(b, Duration.ofSeconds(15));
        assertEquals(List.of(), written, "nothing is written on the caller's thread");
        assertEquals(3, requester.queued());
        runSender();
        assertEquals(List.of(a, answer, b), written);
        assertEquals(0, requester.queued());
        assertEquals(2, requester.pending());
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
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, fa::get);
        XMPPException.XMPPErrorException x = assertInstanceOf(XMPPException.XMPPErrorException.class, e.getCause());
        assertEquals(StanzaError.Condition.item_not_found, x.getStanzaError().getCondition());
        assertEquals(0, requester.pending());
    }

    @Test
    void theTimeoutStartsWhenTheRequestIsSentAndFailsItWithNoResponse() {
        IQ a = request("room@conference.meet.test/a");
        CompletableFuture<IQ> fa = requester.request(a, Duration.ofSeconds(15));
        timer.advance(Duration.ofSeconds(20));
        assertFalse(fa.isDone(), "waiting for the sender thread does not count");
        runSender();
        timer.advance(Duration.ofSeconds(14));
        assertFalse(fa.isDone());
        timer.advance(Duration.ofSeconds(1));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, fa::get);
        assertInstanceOf(SmackException.NoResponseException.class, e.getCause());
        assertEquals(0, requester.pending());
        assertFalse(filter.accept(IQ.createResultIQ(a)), "a late reply is not wanted");
    }

    @Test
    void anAnsweredRequestLeavesNoTimerBehind() {
        IQ a = request("room@conference.meet.test/a");
        requester.request(a, Duration.ofSeconds(15));
        runSender();
        assertEquals(1, timer.pendingTimers());
        deliver(IQ.createResultIQ(a));
        assertEquals(0, timer.pendingTimers());
    }

    @Test
    void aRequestThatCannotBeWrittenFailsNotConnected() throws Exception {
        doAnswer(inv -> {
            throw new SmackException.NotConnectedException("gone");
        }).when(connection).sendStanza(any());
        CompletableFuture<IQ> fa = requester.request(request("room@conference.meet.test/a"), Duration.ofSeconds(15));
        runSender();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, fa::get);
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
        assertTrue(senderQueue.isEmpty());
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

    void runSender() {
        Runnable r;
        while ((r = senderQueue.pollFirst()) != null) {
            r.run();
        }
    }

    /** As Smack does: the listener gets the stanza only when the filter accepts it. */
    void deliver(IQ reply) {
        if (filter.accept(reply)) {
            try {
                listener.processStanza(reply);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
