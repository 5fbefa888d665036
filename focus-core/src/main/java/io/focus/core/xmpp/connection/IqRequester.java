package io.focus.core.xmpp.connection;

import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IQ requests and stanzas on one connection, for callers that must never block (the conference control thread). The
 * connection's {@link XmppConnectionManager} makes it ({@link XmppConnectionManager#requests()}) and closes it with the
 * connection.
 *
 * <ul>
 * <li><b>Sending</b> happens on the requester's sender loop, in the order the calls were made (so one participant's
 *     requests, and the answers to its requests, reach the wire in order). Smack's {@code sendStanza} blocks while
 *     its writer queue (500 stanzas) is full; here that wait is the sender thread's, never the caller's.</li>
 * <li><b>Replies</b> are matched by stanza id in a map, by one listener on the connection. Smack's
 *     {@code sendIqRequestAsync} registers one listener per request, and every incoming stanza is tested against
 *     every one of them on Smack's reader thread: with thousands of requests in flight (a mass move re-signalling
 *     hundreds of participants) the reader thread spends seconds per second matching, and everything incoming
 *     (session-accepts, Colibri2 answers) queues behind it. A reply must come from the JID the request was sent to.</li>
 * <li><b>Deadlines</b> count from the moment the request is asked for. A request still waiting for the sender thread
 *     at its deadline fails as not sent ({@link IqNotSentException}: the addressee never saw it, its silence is not
 *     in question); one sent and not answered fails with {@link SmackException.NoResponseException}.</li>
 * <li><b>Bounded:</b> at most {@code maxOutstanding} requests wait for their reply (sent or not); one more fails at
 *     once with {@link IqNotSentException} and a warning in the log.</li>
 * <li><b>Closing</b> ({@link #close()}) fails every outstanding request ({@link IqNotSentException}), lets the
 *     sender loop write what it still holds for a moment, and stops both loops.</li>
 * </ul>
 *
 * <p>Futures fail with the exceptions Smack's own requests fail with ({@link XMPPException.XMPPErrorException} for an
 * error reply, {@link SmackException.NoResponseException} on timeout, {@link SmackException.NotConnectedException}
 * when it could not be sent), and complete on the thread that received the reply, the timer or the sender thread:
 * callers post their continuations to their own thread.
 */
public final class IqRequester implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IqRequester.class);
    /** Requests that may wait for their reply at once on one connection (far above what a mass move needs). */
    public static final int DEFAULT_MAX_OUTSTANDING = 10_000;

    private final XMPPConnection connection;
    private final String name;
    private final EventLoop sender;
    private final EventLoop timer;
    private final int maxOutstanding;
    private final Runnable closeLoops;
    private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final StanzaListener replyListener = s -> onReply((IQ) s);
    private volatile boolean closed;

    /**
     * A requester on loops of its own ({@code focus-xmpp-<name>-sender} and {@code focus-xmpp-<name>-iq-timeouts}),
     * closed with it.
     *
     * @param connection where requests go; one reply listener is added to it
     * @param name the connection's name (client, service) for the loops and the log
     */
    public static IqRequester open(XMPPConnection connection, String name, EventLoops loops) {
        ExecutorEventLoop sender = loops.create("focus-xmpp-" + name + "-sender");
        ExecutorEventLoop timer = loops.create("focus-xmpp-" + name + "-iq-timeouts");
        return new IqRequester(connection, name, sender, timer, DEFAULT_MAX_OUTSTANDING, () -> {
            sender.close();
            timer.close();
        });
    }

    /**
     * @param sender runs the sends, one at a time in order
     * @param timer runs the deadlines
     * @param closeLoops stops the loops when the requester closes (they are its own)
     */
    IqRequester(XMPPConnection connection, String name, EventLoop sender, EventLoop timer, int maxOutstanding,
                Runnable closeLoops) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.name = Objects.requireNonNull(name, "name");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be >= 1, got " + maxOutstanding);
        }
        this.maxOutstanding = maxOutstanding;
        this.closeLoops = Objects.requireNonNull(closeLoops, "closeLoops");
        connection.addAsyncStanzaListener(replyListener, s -> s instanceof IQ iq && claims(iq));
    }

    /**
     * A result or error whose id is a request of this requester's still waiting for its reply. The focus's own
     * connection hands those to {@link #deliver} directly ({@link FocusConnection#deliverRepliesTo}); on any other
     * connection the reply listener added in the constructor gets them.
     */
    boolean claims(IQ iq) {
        return (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error) && iq.getStanzaId() != null
                && pending.containsKey(iq.getStanzaId());
    }

    /** A reply {@link #claims} said is ours: completes its request (once; a reply from elsewhere is ignored). */
    void deliver(IQ reply) {
        onReply(reply);
    }

    /** The connection the requests go out on. */
    public XMPPConnection connection() { return connection; }

    /**
     * Sends a request (type get or set) and returns its reply. Never blocks, never throws.
     *
     * @param timeout how long to wait for the reply, counted from now
     */
    public CompletableFuture<IQ> request(IQ iq, Duration timeout) {
        return request(iq, timeout, null);
    }

    /**
     * Told about one request's write, on the sender thread: just before it and right after it, so a caller can time
     * the addressee from the write and place the request among others written to the connection.
     */
    public interface Writes {
        /** The request is about to be written (not called for a request dropped unsent). */
        void writing();

        /**
         * The request was written just now (not called when the write failed); {@code reply} is the future
         * {@link #request} returned.
         */
        void written(CompletableFuture<IQ> reply);
    }

    /** As {@link #request(IQ, Duration)}; {@code writes} (when not null) is told about the request's write. */
    public CompletableFuture<IQ> request(IQ iq, Duration timeout, Writes writes) {
        CompletableFuture<IQ> f = new CompletableFuture<>();
        if (iq.getType() != IQ.Type.get && iq.getType() != IQ.Type.set) {
            f.completeExceptionally(new IllegalArgumentException("not a request: " + iq.getType()));
            return f;
        }
        if (closed) {
            f.completeExceptionally(new IqNotSentException("the " + name + " connection's requests are closed"));
            return f;
        }
        if (outstanding.incrementAndGet() > maxOutstanding) {
            outstanding.decrementAndGet();
            log.warn("XMPP {}: {} requests already wait for their reply; {} to {} not sent", name, maxOutstanding,
                    iq.getChildElementName(), iq.getTo());
            f.completeExceptionally(new IqNotSentException("too many requests outstanding on the " + name
                    + " connection (" + maxOutstanding + ")"));
            return f;
        }
        String id = iq.getStanzaId() != null ? iq.getStanzaId() : iq.setStanzaId();
        PendingRequest p = new PendingRequest(id, iq, f, timeout);
        if (pending.putIfAbsent(id, p) != null) {
            outstanding.decrementAndGet();
            f.completeExceptionally(new IllegalStateException("a request with id " + id + " is already pending"));
            return f;
        }
        p.deadline = timer.schedule(() -> expire(p), timeout);
        try {
            enqueue(() -> send(p, writes));
        } catch (RejectedExecutionException e) {
            fail(p, new IqNotSentException("the " + name + " connection's sender did not take the request: "
                    + e.getMessage()));
        }
        return f;
    }

    /** Sends a stanza (an answer, a presence) in order with the requests. Never blocks; failures are logged. */
    public void send(Stanza stanza) {
        if (closed) {
            log.info("Not sending {} to {}: the {} connection's requests are closed",
                    stanza.getClass().getSimpleName(), stanza.getTo(), name);
            return;
        }
        try {
            enqueue(() -> {
                try {
                    connection.sendStanza(stanza);
                } catch (Exception e) {
                    log.info("Could not send {} to {}: {}", stanza.getClass().getSimpleName(), stanza.getTo(),
                            e.toString());
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("Not sending {} to {}: {}", stanza.getClass().getSimpleName(), stanza.getTo(), e.getMessage());
        }
    }

    /** Requests waiting for their reply (sent or not yet). */
    public int pending() { return outstanding.get(); }

    /** Stanzas waiting for the sender thread. */
    public int queued() { return queued.get(); }

    public int maxOutstanding() { return maxOutstanding; }

    /**
     * Fails every outstanding request ({@link IqNotSentException}), takes no more, removes the reply listener, lets
     * the sender write what it already holds for a moment, and stops the loops. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.removeAsyncStanzaListener(replyListener);
        List<PendingRequest> left = List.copyOf(pending.values());
        for (PendingRequest p : left) {
            fail(p, new IqNotSentException("the " + name + " connection closed before the reply to "
                    + p.request.getChildElementName() + " " + p.id + " came"));
        }
        if (!left.isEmpty()) {
            log.info("XMPP {}: closed with {} request(s) outstanding; failed them", name, left.size());
        }
        closeLoops.run();
    }

    // ------------------------------------------------------------------ sender thread

    private void send(PendingRequest p, Writes writes) {
        if (p.future.isDone()) {
            return; // its deadline passed while it waited, or the requester closed
        }
        if (writes != null) {
            try {
                writes.writing();
            } catch (RuntimeException e) {
                log.error("writing() of {} failed", p.id, e);
            }
        }
        try {
            connection.sendStanza(p.request);
        } catch (Exception e) {
            fail(p, e instanceof SmackException.NotConnectedException ? e
                    : new SmackException.NotConnectedException(connection, "could not send " + p.id + ": " + e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        p.sent = true;
        if (writes != null) {
            try {
                writes.written(p.future);
            } catch (RuntimeException e) {
                log.error("written() of {} failed", p.id, e);
            }
        }
    }

    private void enqueue(Runnable send) {
        queued.incrementAndGet();
        try {
            sender.execute(() -> {
                queued.decrementAndGet();
                try {
                    send.run();
                } catch (RuntimeException e) {
                    log.error("Sending on {} failed", connection.getUser(), e);
                }
            });
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            throw e;
        }
    }

    // ------------------------------------------------------------------ timer thread

    private void expire(PendingRequest p) {
        if (p.sent) {
            fail(p, SmackException.NoResponseException.newWith(connection, "reply to "
                    + p.request.getChildElementName() + " " + p.id + " from " + p.request.getTo() + " within "
                    + p.timeout.toMillis() + " ms"));
        } else {
            fail(p, new IqNotSentException(p.request.getChildElementName() + " " + p.id + " to " + p.request.getTo()
                    + " not sent within its " + p.timeout.toMillis() + " ms: the " + name + " connection's sender is "
                    + queued.get() + " stanza(s) behind"));
        }
    }

    // ------------------------------------------------------------------ Smack's thread

    /** Completes the matching request; never throws into Smack. */
    private void onReply(IQ reply) {
        try {
            PendingRequest p = pending.get(reply.getStanzaId());
            if (p == null) {
                return;
            }
            if (!fromAddressee(p.request.getTo(), reply.getFrom())) {
                log.debug("Reply {} from {} ignored: the request went to {}", reply.getStanzaId(), reply.getFrom(),
                        p.request.getTo());
                return;
            }
            if (!finish(p)) {
                return;
            }
            if (reply.getType() == IQ.Type.error) {
                p.future.completeExceptionally(new XMPPException.XMPPErrorException(reply, reply.getError(),
                        p.request));
            } else {
                p.future.complete(reply);
            }
        } catch (RuntimeException e) {
            log.error("Handling the reply {} from {} failed", reply.getStanzaId(), reply.getFrom(), e);
        }
    }

    /** A reply must come from where the request went (a request to our server may be answered by it bare). */
    private boolean fromAddressee(Jid to, Jid from) {
        if (to == null) {
            Jid me = connection.getUser();
            return from == null || (me != null && (from.equals(me.asBareJid()) || from.equals(me.asDomainBareJid())));
        }
        return to.equals(from);
    }

    // ------------------------------------------------------------------ any thread

    private void fail(PendingRequest p, Exception e) {
        if (finish(p)) {
            p.future.completeExceptionally(e);
        }
    }

    /** Takes the request out of the pending ones; true for the one caller that did (it completes the future). */
    private boolean finish(PendingRequest p) {
        if (!pending.remove(p.id, p)) {
            return false;
        }
        outstanding.decrementAndGet();
        EventLoop.Cancellable d = p.deadline;
        if (d != null) {
            d.cancel();
        }
        return true;
    }

    private static final class PendingRequest {
        final String id;
        final IQ request;
        final CompletableFuture<IQ> future;
        final Duration timeout;
        volatile EventLoop.Cancellable deadline;
        volatile boolean sent;

        PendingRequest(String id, IQ request, CompletableFuture<IQ> future, Duration timeout) {
            this.id = id;
            this.request = request;
            this.future = future;
            this.timeout = timeout;
        }
    }

    @Override
    public String toString() { return "IqRequester[" + name + "]"; }
}
