package io.focus.conference;

import io.focus.core.loop.EventLoop;
import io.focus.core.loop.ExecutorEventLoop;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IQ requests and stanzas on one connection, for callers that must never block (the conference control thread):
 *
 * <ul>
 * <li><b>Sending</b> happens on a dedicated sender thread per connection, in the order the calls were made (so one
 *     participant's requests, and the answers to its requests, reach the wire in order). Smack's
 *     {@code sendStanza} blocks while its writer queue (500 stanzas) is full; here that wait is the sender thread's,
 *     never the caller's.</li>
 * <li><b>Replies</b> are matched by stanza id in a map, by one listener on the connection. Smack's
 *     {@code sendIqRequestAsync} registers one listener per request, and every incoming stanza is tested against
 *     every one of them on Smack's reader thread: with thousands of requests in flight (a mass move re-signalling
 *     hundreds of participants) the reader thread spends seconds per second matching, and everything incoming
 *     (session-accepts, Colibri2 answers) queues behind it. A reply must come from the JID the request was sent to.</li>
 * <li><b>Timeouts</b> start once the request is on its way (the time it waited for the sender thread does not
 *     count) and run on the given timer.</li>
 * </ul>
 *
 * <p>Futures fail with the exceptions Smack's own requests fail with ({@link XMPPException.XMPPErrorException} for an
 * error reply, {@link SmackException.NoResponseException} on timeout, {@link SmackException.NotConnectedException}
 * when it could not be sent), and complete on the thread that received the reply, the timer or the sender thread:
 * callers post their continuations to their own thread.
 */
public final class IqRequester {
    private static final Logger log = LoggerFactory.getLogger(IqRequester.class);
    private static final Map<XMPPConnection, IqRequester> PER_CONNECTION = new WeakHashMap<>();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static volatile ExecutorEventLoop sharedTimer;

    private final XMPPConnection connection;
    private final Executor sender;
    private final EventLoop timer;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();

    private record Pending(Jid to, CompletableFuture<IQ> future, IQ request, EventLoop.Cancellable[] timeout) {}

    /**
     * @param connection where requests go; one reply listener is added to it
     * @param sender runs the sends, one at a time in order (production: a single thread)
     * @param timer runs the reply timeouts
     */
    IqRequester(XMPPConnection connection, Executor sender, EventLoop timer) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.timer = Objects.requireNonNull(timer, "timer");
        StanzaListener onReply = s -> onReply((IQ) s);
        connection.addAsyncStanzaListener(onReply, s -> s instanceof IQ iq
                && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error)
                && iq.getStanzaId() != null && pending.containsKey(iq.getStanzaId()));
    }

    /** The requester of a connection (created with its sender thread on first use). */
    public static IqRequester of(XMPPConnection connection) {
        synchronized (PER_CONNECTION) {
            return PER_CONNECTION.computeIfAbsent(connection, c -> {
                int n = THREADS.incrementAndGet();
                ExecutorService s = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "focus-xmpp-sender-" + n);
                    t.setDaemon(true);
                    return t;
                });
                return new IqRequester(c, s, timer());
            });
        }
    }

    private static EventLoop timer() {
        if (sharedTimer == null) {
            synchronized (IqRequester.class) {
                if (sharedTimer == null) {
                    sharedTimer = new ExecutorEventLoop("focus-iq-timeouts");
                }
            }
        }
        return sharedTimer;
    }

    /**
     * Sends a request (type get or set) and returns its reply. Never blocks, never throws.
     *
     * @param timeout how long to wait for the reply once the request is sent
     */
    public CompletableFuture<IQ> request(IQ iq, Duration timeout) {
        return request(iq, timeout, null);
    }

    /**
     * As {@link #request(IQ, Duration)}; {@code onSent} (when not null) gets the returned future on the sender thread
     * right after the request went out (not when it could not be sent), so a caller can time the addressee from there.
     */
    public CompletableFuture<IQ> request(IQ iq, Duration timeout,
                                         java.util.function.Consumer<CompletableFuture<IQ>> onSent) {
        CompletableFuture<IQ> f = new CompletableFuture<>();
        if (iq.getType() != IQ.Type.get && iq.getType() != IQ.Type.set) {
            f.completeExceptionally(new IllegalArgumentException("not a request: " + iq.getType()));
            return f;
        }
        String id = iq.getStanzaId();
        if (id == null) {
            id = iq.setStanzaId();
        }
        Pending p = new Pending(iq.getTo(), f, iq, new EventLoop.Cancellable[1]);
        if (pending.putIfAbsent(id, p) != null) {
            f.completeExceptionally(new IllegalStateException("a request with id " + id + " is already pending"));
            return f;
        }
        final String key = id;
        enqueue(() -> {
            if (f.isDone()) {
                return;
            }
            try {
                connection.sendStanza(iq);
            } catch (Exception e) {
                if (pending.remove(key, p)) {
                    f.completeExceptionally(e instanceof SmackException.NotConnectedException ? e
                            : new SmackException.NotConnectedException(connection, "could not send " + key + ": " + e));
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (onSent != null) {
                try {
                    onSent.accept(f);
                } catch (RuntimeException e) {
                    log.error("onSent of {} failed", key, e);
                }
            }
            p.timeout()[0] = timer.schedule(() -> {
                if (pending.remove(key, p)) {
                    f.completeExceptionally(SmackException.NoResponseException.newWith(connection,
                            "reply to " + iq.getChildElementName() + " " + key + " from " + p.to() + " within "
                                    + timeout.toMillis() + " ms"));
                }
            }, timeout);
            if (f.isDone()) {
                p.timeout()[0].cancel();
            }
        });
        return f;
    }

    /** Sends a stanza (an answer, a presence) in order with the requests. Never blocks; failures are logged. */
    public void send(Stanza stanza) {
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
    }

    /** Requests waiting for their reply (sent or not yet). */
    public int pending() { return pending.size(); }

    /** Stanzas waiting for the sender thread. */
    public int queued() { return queued.get(); }

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

    /** On Smack's thread: completes the matching request; never throws into Smack. */
    private void onReply(IQ reply) {
        try {
            Pending p = pending.get(reply.getStanzaId());
            if (p == null || !fromAddressee(p.to(), reply.getFrom())) {
                if (p != null) {
                    log.debug("Reply {} from {} ignored: the request went to {}", reply.getStanzaId(),
                            reply.getFrom(), p.to());
                }
                return;
            }
            if (!pending.remove(reply.getStanzaId(), p)) {
                return;
            }
            EventLoop.Cancellable t = p.timeout()[0];
            if (t != null) {
                t.cancel();
            }
            if (reply.getType() == IQ.Type.error) {
                StanzaError err = reply.getError();
                p.future().completeExceptionally(new XMPPException.XMPPErrorException(reply, err, p.request()));
            } else {
                p.future().complete(reply);
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
}
