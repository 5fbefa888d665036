package io.focus.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A Smack connection with no server behind it, for unit tests whose subject takes an {@code XMPPConnection} and
 * where a real Prosody would make the test slow or its timing non-deterministic (deadlines on a manual clock, rate
 * buckets on a fake clock). Wire behaviour is tested on a real Prosody (focus-sim's {@code ProsodyExtension}).
 *
 * <p>Everything but the socket is Smack's own {@link AbstractXMPPConnection}: {@code sendStanza} runs Smack's checks
 * (not connected: {@code NotConnectedException}), from-mode and interceptors, and the stanza that would have been
 * written is {@linkplain #sent() recorded} (sending listeners are told, as Smack's writer does). {@link #deliver}
 * hands a stanza to Smack's normal incoming path ({@code processStanza}: collectors, IQ request handlers, sync and
 * async listeners, the automatic reply to an unhandled IQ request) and returns once every listener Smack started for
 * it has finished (synchronous listeners, which Smack runs on its own ordered executor, are not waited for), so a test
 * can assert what did <em>not</em> happen without waiting. {@link #asyncListeners()} shows the asynchronous listeners
 * registered (Smack's managers' among them) and their filters. What it cannot do (nonzas) throws {@link UnsupportedOperationException}.
 */
public final class RecordingConnection extends AbstractXMPPConnection {
    /** How long {@link #deliver} waits for Smack's listener threads before it fails the test. */
    private static final Duration LISTENERS_DONE = Duration.ofSeconds(10);

    private final List<Stanza> sent = new ArrayList<>();
    /** Created on first use: Smack's managers add listeners from inside the superclass constructor. */
    private Map<StanzaListener, StanzaFilter> asyncListeners;
    private final Object listenersLock = new Object();
    private int listenersRunning;

    private RecordingConnection(Config config) {
        super(config);
    }

    /**
     * Connected and logged in as {@code user} ({@code local@domain/resource}). With no server there is no password
     * to check and no roster (none is requested at login) and no initial presence is sent, so {@link #sent()} starts
     * empty.
     */
    public static RecordingConnection loggedIn(String user) {
        try {
            EntityFullJid jid = JidCreate.entityFullFrom(user);
            RecordingConnection c = new RecordingConnection(new Config(new Config.Builder()
                    .setXmppDomain(jid.asDomainBareJid()).setSecurityMode(ConnectionConfiguration.SecurityMode.disabled)
                    .setSendPresence(false)));
            Roster.getInstanceFor(c).setRosterLoadedAtLogin(false);
            c.connect();
            c.login(jid.getLocalpart(), "no server checks it", jid.getResourcepart());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the in-memory connection for " + user, e);
        }
    }

    /** The stanzas sent so far, in order (a copy). */
    public List<Stanza> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** The asynchronous stanza listeners registered now and their filters (a copy, in registration order). */
    public synchronized Map<StanzaListener, StanzaFilter> asyncListeners() {
        return asyncListeners == null ? Map.of() : new LinkedHashMap<>(asyncListeners);
    }

    /**
     * Receives {@code stanza} as if the server had sent it, through Smack's incoming path, and waits until every
     * listener Smack ran for it (asynchronous ones included) has returned.
     */
    public void deliver(Stanza stanza) {
        try {
            processStanza(stanza);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted delivering " + stanza, e);
        }
        long end = System.nanoTime() + LISTENERS_DONE.toNanos();
        synchronized (listenersLock) {
            while (listenersRunning > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(listenersRunning + " stanza listener(s) still running "
                            + LISTENERS_DONE.toSeconds() + " s after the delivery of " + stanza.toXML());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(listenersLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for the listeners of " + stanza, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ AbstractXMPPConnection

    @Override
    public void addAsyncStanzaListener(StanzaListener listener, StanzaFilter filter) {
        super.addAsyncStanzaListener(listener, filter);
        synchronized (this) {
            if (asyncListeners == null) {
                asyncListeners = new LinkedHashMap<>();
            }
            asyncListeners.put(listener, filter);
        }
    }

    @Override
    public boolean removeAsyncStanzaListener(StanzaListener listener) {
        synchronized (this) {
            if (asyncListeners != null) {
                asyncListeners.remove(listener);
            }
        }
        return super.removeAsyncStanzaListener(listener);
    }

    @Override
    protected void sendStanzaInternal(Stanza stanza) {
        synchronized (sent) {
            sent.add(stanza);
        }
        firePacketSendingListeners(stanza);
    }

    /** Smack runs stanza listeners with this; counted here so {@link #deliver} knows when they are done. */
    @Override
    protected void asyncGoLimited(Runnable runnable) {
        synchronized (listenersLock) {
            listenersRunning++;
        }
        super.asyncGoLimited(() -> {
            try {
                runnable.run();
            } finally {
                synchronized (listenersLock) {
                    listenersRunning--;
                    listenersLock.notifyAll();
                }
            }
        });
    }

    @Override
    protected void connectInternal() {
        connected = true;
    }

    @Override
    protected void loginInternal(String username, String password, Resourcepart resource)
            throws SmackException.NotConnectedException, InterruptedException {
        try {
            user = JidCreate.entityFullFrom(username + "@" + getXMPPServiceDomain() + "/" + resource);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("not a JID: " + username + "@" + getXMPPServiceDomain() + "/"
                    + resource, e);
        }
        afterSuccessfulLogin(false);
    }

    /** No socket, so no TLS. */
    @Override
    public boolean isSecureConnection() {
        return false;
    }

    /** No stream, so no compression. */
    @Override
    public boolean isUsingCompression() {
        return false;
    }

    @Override
    public void sendNonza(Nonza nonza) {
        throw new UnsupportedOperationException("RecordingConnection has no stream to send nonzas on: "
                + nonza.toXML());
    }

    /** As a lost socket: not connected, not authenticated; sends nothing. */
    @Override
    public void instantShutdown() {
        shutdown();
    }

    @Override
    protected void shutdown() {
        connected = false;
        authenticated = false;
    }

    /** The configuration of a connection with no server: only the XMPP domain and Smack's defaults. */
    static final class Config extends ConnectionConfiguration {
        Config(Builder builder) {
            super(builder);
        }

        static final class Builder extends ConnectionConfiguration.Builder<Builder, Config> {
            @Override
            public Config build() {
                return new Config(this);
            }

            @Override
            protected Builder getThis() {
                return this;
            }
        }
    }
}
