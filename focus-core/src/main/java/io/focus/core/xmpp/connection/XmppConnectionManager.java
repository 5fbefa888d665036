package io.focus.core.xmpp.connection;

import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.core.loop.ExecutorEventLoop;
import io.focus.core.providers.FocusProviders;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import io.focus.core.xmpp.StanzaHygiene;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one Smack {@link XMPPTCPConnection}: connects and logs in, reconnects with exponential backoff
 * ({@code focus.xmpp.reconnect-initial-delay} doubling up to {@code focus.xmpp.reconnect-max-delay}; Smack's own
 * ReconnectionManager is disabled), and tells listeners about connected / disconnected / reconnected. After a loss
 * of an established connection the first attempt is made at once and the next {@link #STEADY_RETRIES} are
 * {@code reconnect-initial-delay} apart before the delay doubles: a server restart takes a second or two, and the
 * focus's rooms and conferences wait for it.
 *
 * <p>All connection work and all listener calls run on its own event loop ({@code focus-xmpp-<name>}), never on
 * Smack's reader thread. It owns the connection's {@link IqRequester} ({@link #requests()}) and closes it, failing the
 * requests still outstanding, before it disconnects. Stream management is off unless {@code focus.xmpp.use-stream-management} is set (with
 * Prosody's smacks, sequential IQs are ~15x slower). Calls {@link FocusProviders#registerAll()} before connecting.
 *
 * <p>Dead connections: a server that vanished without closing TCP (its host lost the network) would go unnoticed for
 * Smack's default 30 minutes. Every {@code focus.xmpp.ping-interval} without anything received from the server, the
 * manager pings it (XEP-0199, via Smack's {@link PingManager}, whose own 30-minute schedule is turned off); no answer
 * within {@code focus.xmpp.ping-timeout} ⇒ the connection is treated as lost: dropped, listeners told
 * ({@link XmppConnectionListener#disconnected}: the brewery's grace period and the health doctor's own-connection
 * guard apply), and reconnected with the usual backoff.
 */
public final class XmppConnectionManager implements AutoCloseable, OwnLink {
    private static final Logger log = LoggerFactory.getLogger(XmppConnectionManager.class);

    private final XmppSettings settings;
    private final XMPPTCPConnection connection;
    private final ExecutorEventLoop loop;
    private final IqRequester requests;
    private final List<XmppConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstLogin = new CountDownLatch(1);
    private final AtomicLong losses = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong pingFailures = new AtomicLong();
    private final AtomicLong pingsAnswered = new AtomicLong();
    private final PingManager pings;
    /** After a loss: retries at {@code reconnect-initial-delay} before the delay starts doubling. */
    static final int STEADY_RETRIES = 8;

    // below: only on the manager thread
    private boolean started;
    private volatile boolean closed;
    private boolean everLoggedIn;
    private Duration nextDelay;
    /** Retries left at the initial delay since the last loss. */
    private int steadyLeft;
    private EventLoop.Cancellable pendingAttempt;
    private EventLoop.Cancellable pingTask;
    /** Incremented at every successful login; pings of an older session are ignored. */
    private long session;
    /** Logged in and not yet reported lost: a loss is reported to listeners once. */
    private boolean up;

    /**
     * @param hygiene what to do with stanzas the focus cannot use (shared by all of the focus's connections, so its
     *                counter is registered once)
     * @param limits  the size and per-sender rate a stanza must keep to be processed
     * @param loops makes the manager's loop and its requester's
     */
    public XmppConnectionManager(XmppSettings settings, StanzaHygiene hygiene, StanzaLimits limits, EventLoops loops) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("XMPP connection " + settings.name() + " is disabled");
        }
        FocusProviders.registerAll();
        FocusConnection focusConnection = new FocusConnection(buildConfiguration(settings),
                Objects.requireNonNull(hygiene, "hygiene"), Objects.requireNonNull(limits, "limits"));
        this.connection = focusConnection;
        withoutServicesItDoesNotOffer(focusConnection);
        connection.setReplyTimeout(settings.replyTimeout().toMillis());
        connection.setUseStreamManagement(settings.useStreamManagement());
        connection.setUseStreamManagementResumption(settings.useStreamManagement());
        ReconnectionManager.getInstanceFor(connection).disableAutomaticReconnection();
        this.pings = PingManager.getInstanceFor(connection);
        pings.setPingInterval(-1); // our own schedule below, with its own timeout
        this.nextDelay = settings.reconnectInitialDelay();
        this.loop = loops.create("focus-xmpp-" + settings.name());
        this.requests = IqRequester.open(connection, settings.name(), loops);
        focusConnection.deliverRepliesTo(requests);
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                // Smack's thread: hand off at once
                post(() -> onLost(e));
            }
        });
    }

    private static final String IBB_NAMESPACE = "http://jabber.org/protocol/ibb";
    private static final String SOCKS5_NAMESPACE = "http://jabber.org/protocol/bytestreams";

    /**
     * Unregisters the handlers Smack's managers set up on every connection for services the focus does not offer;
     * such requests get the focus's own payload-free {@code service-unavailable} (StanzaHygiene), as every IQ nobody
     * handles does.
     * <ul>
     *   <li>A roster: the focus keeps none. Smack's roster answered a client's roster push with an error echoing the
     *       item as Smack read it back ({@code jid='@@'} came back as {@code jid='@'}, which the client's Smack
     *       dropped); {@link FocusConnection} now strips returned errors, but a handler for a roster the focus does
     *       not keep is still one too many.</li>
     *   <li>Bytestreams (XEP-0047 in-band, XEP-0065 SOCKS5; SOCKS5 is no longer advertised either). Those handlers
     *       send some of their errors themselves rather than return them (data or close for a session nobody opened,
     *       any SOCKS5 offer), so {@link FocusConnection} cannot take the payload out: it came back as Smack
     *       re-serialised it (a {@code <streamhost jid>} read as a JID).</li>
     * </ul>
     */
    private static void withoutServicesItDoesNotOffer(FocusConnection connection) {
        connection.unregisterIQRequestHandler("query", "jabber:iq:roster", IQ.Type.set);
        for (String element : List.of("open", "data", "close")) {
            connection.unregisterIQRequestHandler(element, IBB_NAMESPACE, IQ.Type.set);
        }
        connection.unregisterIQRequestHandler("query", SOCKS5_NAMESPACE, IQ.Type.set);
        // (Smack advertises SOCKS5 in service discovery, not in-band)
        ServiceDiscoveryManager.getInstanceFor(connection).removeFeature(SOCKS5_NAMESPACE);
    }

    static XMPPTCPConnectionConfiguration buildConfiguration(XmppSettings s) {
        try {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setHost(s.hostname())
                    .setPort(s.port())
                    .setXmppDomain(s.domain())
                    .setUsernameAndPassword(s.username(), s.password())
                    .setResource(s.resource())
                    .setSecurityMode(s.useTls() ? SecurityMode.required : SecurityMode.disabled);
            if (s.useTls() && s.disableCertificateVerification()) {
                b.setCustomX509TrustManager(new TrustAll());
                b.setHostnameVerifier((host, session) -> true);
            }
            return b.build();
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException("jicofo.xmpp." + s.name() + ": " + e.getMessage(), e);
        }
    }

    public XmppSettings settings() { return settings; }

    public String name() { return settings.name(); }

    /** The Smack connection; register stanza listeners on it, but check {@link #isReady()} before sending. */
    public XMPPTCPConnection connection() { return connection; }

    /** The connection's IQ requests (never blocking the caller); closed with the manager. */
    public IqRequester requests() { return requests; }

    /** Connected and authenticated. */
    public boolean isReady() { return connection.isConnected() && connection.isAuthenticated(); }

    /** How many times the connection was lost since start. */
    public long losses() { return losses.get(); }

    @Override public boolean ready() { return isReady(); }

    /** The number of losses so far: changes whenever the connection is lost. */
    @Override public long epoch() { return losses.get(); }

    /**
     * Pings the server now, whatever the idle schedule says (bridge-failure detection asks before it fails a bridge
     * on an unanswered request: a link that cannot get an answer from its own server is the focus's trouble). An
     * unanswered verification does not drop the connection; the regular pings do that.
     */
    @Override
    public CompletableFuture<Optional<Duration>> verify(Duration timeout) {
        CompletableFuture<Optional<Duration>> out = new CompletableFuture<>();
        if (!isReady()) {
            out.complete(Optional.empty());
            return out;
        }
        long epoch = epoch();
        long sentAt = System.nanoTime();
        try {
            pingServer(Math.max(1, timeout.toMillis()))
                    .onSuccess(pong -> {
                        Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
                        out.complete(Boolean.TRUE.equals(pong) && epoch == epoch() && isReady()
                                ? Optional.of(took) : Optional.empty());
                    })
                    .onError(e -> {
                        log.debug("XMPP {} verification ping failed: {}", settings.name(), e.toString());
                        out.complete(Optional.empty());
                    });
        } catch (RuntimeException e) {
            log.debug("XMPP {} verification ping not sent: {}", settings.name(), e.toString());
            out.complete(Optional.empty());
        }
        return out;
    }

    /** How many server pings went unanswered (each one dropped the connection). */
    public long pingFailures() { return pingFailures.get(); }

    /** How many server pings were answered. */
    public long pingsAnswered() { return pingsAnswered.get(); }

    public void addListener(XmppConnectionListener l) { listeners.add(Objects.requireNonNull(l)); }

    public void removeListener(XmppConnectionListener l) { listeners.remove(l); }

    /** Starts connecting in the background; retries with backoff until it succeeds or {@link #close()}. */
    public void start() {
        post(() -> {
            if (!started && !closed) {
                started = true;
                attempt();
            }
        });
    }

    /** Waits for the first successful login (for start-up and tests). */
    public boolean awaitFirstLogin(Duration timeout) throws InterruptedException {
        return firstLogin.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Fails the requests still outstanding and lets queued stanzas go out (a moment at most), then disconnects and
     * tells the listeners, and stops the manager's loop.
     */
    @Override
    public void close() {
        closed = true;
        requests.close();
        post(() -> {
            if (pendingAttempt != null) {
                pendingAttempt.cancel();
            }
            cancelPing();
            up = false;
            if (connection.isConnected()) {
                connection.disconnect();
            }
            for (XmppConnectionListener l : listeners) {
                notify(() -> l.disconnected(this, null));
            }
        });
        loop.close(Duration.ofSeconds(5));
    }

    /**
     * Drops the TCP connection abruptly, as a network failure would (tests and fault drills). The manager notices and
     * reconnects as after any loss.
     */
    public void simulateConnectionLoss() {
        post(() -> {
            if (connection.isConnected()) {
                connection.instantShutdown();
                onLost(new java.io.IOException("simulated connection loss"));
            }
        });
    }

    /** Runs on the manager's loop (a closed loop logs and counts what it does not run). */
    private void post(Runnable r) {
        loop.execute(r);
    }

    private void attempt() {
        pendingAttempt = null;
        if (closed) {
            return;
        }
        long n = attempts.incrementAndGet();
        try {
            if (!connection.isConnected()) {
                connection.connect();
            }
            if (!connection.isAuthenticated()) {
                connection.login();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("XMPP {} connection to {}:{} as {}@{} failed (attempt {}): {}; retrying in {} ms",
                    settings.name(), settings.hostname(), settings.port(), settings.username(), settings.domain(), n,
                    e.toString(), nextDelay.toMillis());
            if (connection.isConnected()) {
                connection.disconnect();
            }
            scheduleAttempt();
            return;
        }
        nextDelay = settings.reconnectInitialDelay();
        up = true;
        session++;
        schedulePing(session, settings.pingInterval().toMillis());
        boolean resumed = connection.streamWasResumed();
        if (!everLoggedIn) {
            everLoggedIn = true;
            log.info("XMPP {} connection up: {} via {}:{}", settings.name(), connection.getUser(),
                    settings.hostname(), settings.port());
            firstLogin.countDown();
            for (XmppConnectionListener l : listeners) {
                notify(() -> l.connected(this, connection));
            }
        } else {
            log.info("XMPP {} connection back: {} (stream resumed: {})", settings.name(), connection.getUser(), resumed);
            for (XmppConnectionListener l : listeners) {
                notify(() -> l.reconnected(this, connection, resumed));
            }
        }
    }

    private void onLost(Exception cause) {
        if (closed || !up) {
            return;
        }
        up = false;
        cancelPing();
        losses.incrementAndGet();
        log.warn("XMPP {} connection lost: {}; reconnecting at once", settings.name(), String.valueOf(cause));
        for (XmppConnectionListener l : listeners) {
            notify(() -> l.disconnected(this, cause));
        }
        if (pendingAttempt == null) {
            nextDelay = Duration.ZERO;
            steadyLeft = STEADY_RETRIES;
            scheduleAttempt();
        }
    }

    // ------------------------------------------------------------------ pings (manager thread)

    private void schedulePing(long forSession, long delayMs) {
        cancelPing();
        if (settings.pingInterval().isZero() || closed) {
            return;
        }
        pingTask = loop.schedule(() -> pingIfIdle(forSession), Duration.ofMillis(Math.max(1, delayMs)));
    }

    private void cancelPing() {
        if (pingTask != null) {
            pingTask.cancel();
            pingTask = null;
        }
    }

    private void pingIfIdle(long forSession) {
        pingTask = null;
        if (closed || !up || forSession != session) {
            return;
        }
        long interval = settings.pingInterval().toMillis();
        long idle = System.currentTimeMillis() - connection.getLastStanzaReceived();
        if (idle < interval) {
            // the server spoke recently: it is alive; look again when it has been quiet for a whole interval
            schedulePing(forSession, interval - idle);
            return;
        }
        long sentAt = System.nanoTime();
        long timeout = settings.pingTimeout().toMillis();
        pingServer(timeout)
                .onSuccess(pong -> post(() -> pingAnswered(forSession, Boolean.TRUE.equals(pong), sentAt, null)))
                .onError(e -> post(() -> pingAnswered(forSession, false, sentAt, e)));
    }

    /** An XMPP ping (XEP-0199) to the focus's own server: the idle pings and {@link #verify} both send this one. */
    private org.jivesoftware.smack.SmackFuture<Boolean, Exception> pingServer(long timeoutMs) {
        return pings.pingAsync(connection.getXMPPServiceDomain(), timeoutMs);
    }

    private void pingAnswered(long forSession, boolean pong, long sentAt, Exception error) {
        if (closed || !up || forSession != session) {
            return;
        }
        long ms = (System.nanoTime() - sentAt) / 1_000_000;
        if (pong) {
            pingsAnswered.incrementAndGet();
            log.debug("XMPP {} ping answered in {} ms", settings.name(), ms);
            schedulePing(forSession, settings.pingInterval().toMillis());
            return;
        }
        if (error instanceof SmackException.NotConnectedException && !connection.isConnected()) {
            return; // the loss is reported by Smack's connection listener
        }
        pingFailures.incrementAndGet();
        String why = error instanceof SmackException.NoResponseException
                ? "no answer to a ping within " + settings.pingTimeout().toMillis() + " ms"
                : "ping failed after " + ms + " ms: " + error;
        log.warn("XMPP {} connection to {}:{} looks dead ({}): dropping it", settings.name(), settings.hostname(),
                settings.port(), why);
        connection.instantShutdown();
        onLost(new java.io.IOException("XMPP server " + settings.hostname() + ":" + settings.port()
                + " did not answer: " + why));
    }

    private void scheduleAttempt() {
        if (closed) {
            return;
        }
        long ms = nextDelay.toMillis();
        pendingAttempt = loop.schedule(() -> {
            try {
                attempt();
            } catch (RuntimeException e) {
                log.error("XMPP {} reconnect attempt failed", settings.name(), e);
                scheduleAttempt();
            }
        }, Duration.ofMillis(ms));
        if (nextDelay.isZero() || steadyLeft > 0) {
            steadyLeft = nextDelay.isZero() ? steadyLeft : steadyLeft - 1;
            nextDelay = settings.reconnectInitialDelay();
            return;
        }
        Duration doubled = nextDelay.multipliedBy(2);
        nextDelay = doubled.compareTo(settings.reconnectMaxDelay()) > 0 ? settings.reconnectMaxDelay() : doubled;
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("XMPP {} connection listener failed", settings.name(), e);
        }
    }

    /** Used only when {@code disable-certificate-verification} is set: accepts any certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    @Override
    public String toString() { return "XmppConnectionManager[" + settings + "]"; }

    /** For listeners that only need the Smack view. */
    public XMPPConnection smack() { return connection; }
}
