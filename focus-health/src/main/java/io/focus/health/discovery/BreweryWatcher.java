package io.focus.health.discovery;

import io.focus.core.bridge.BridgeState;
import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.health.registry.BridgeRegistry;

import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.packet.MUCInitialPresence;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers bridges in the brewery MUC ({@code jicofo.bridge.brewery-jid}) on the service connection.
 *
 * <p>An occupant whose presence carries colibri stats is a bridge, identified by its occupant JID
 * ({@code jvbbrewery@internal.auth.example.com/jvb1}; the room part lower-cased as Prosody does). A presence without
 * stats is ignored. A leave or kick removes the bridge.
 *
 * <p>Reconnect grace ({@link GracePeriod}): when the focus loses its connection (or Prosody empties the room for a
 * shutdown, status 332), the bridges it knew become <em>missing</em>, not removed. Each one that is back in the room
 * within {@code focus.brewery.reconnect-grace-period} (counted from when it went missing) is the same bridge: no
 * REMOVED event, its conferences stay. The rest are removed when the period ends. A bridge that restarted meanwhile
 * shows a lower {@code uptime} and gets RESTARTED from the registry. What a leave means is the
 * {@link LeaveClassifier}'s to say; what a presence carries, {@link BridgePresence}'s.
 *
 * <p>It joins the room with its own join presence and tracks occupants with its own ordered presence listener, so
 * its state does not depend on Smack's MultiUserChat bookkeeping across reconnects. Smack threads only post to the
 * watcher's own event loop ({@code focus-brewery}); the registry gets posted tasks too.
 */
public final class BreweryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BreweryWatcher.class);
    private static final Duration REJOIN_RETRY = Duration.ofSeconds(2);

    private final BrewerySettings settings;
    private final XmppConnectionManager xmpp;
    private final EntityBareJid room;
    private final Resourcepart nick;
    private final DiscoveryLoop loop;
    private final GracePeriod grace;
    private final StanzaListener presenceListener = this::onStanza;
    private final AtomicLong joins = new AtomicLong();
    private final XmppConnectionListener connectionListener = new XmppConnectionListener() {
        @Override public void connected(XmppConnectionManager m, XMPPTCPConnection c) { post(() -> join("connected")); }

        @Override public void disconnected(XmppConnectionManager m, Exception cause) {
            post(() -> roomLost(cause == null ? "XMPP connection closed" : "XMPP connection lost: " + cause));
        }

        @Override public void reconnected(XmppConnectionManager m, XMPPTCPConnection c, boolean resumed) {
            post(() -> {
                if (resumed && joined) {
                    log.info("XMPP stream resumed; still in the brewery {}", room);
                } else {
                    join("reconnected");
                }
            });
        }
    };

    // ---- watcher thread only ----
    private final Set<String> present = new HashSet<>();
    private final Map<String, Boolean> ignoredNoStats = new HashMap<>();
    private final Map<String, String> pendingLeaves = new HashMap<>();
    private volatile boolean joined;
    private boolean started;
    private EventLoop.Cancellable joinCheck;

    /** @param loops makes the watcher's loop ({@code focus-brewery}) */
    public BreweryWatcher(BrewerySettings settings, BridgeRegistry registry, XmppConnectionManager serviceConnection,
                          Clock clock, EventLoops loops) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.xmpp = Objects.requireNonNull(serviceConnection, "serviceConnection");
        this.room = Objects.requireNonNull(settings.breweryRoom(), "jicofo.bridge.brewery-jid is not set");
        try {
            this.nick = Resourcepart.from(serviceConnection.settings().resource());
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException(e);
        }
        this.loop = new DiscoveryLoop(registry, loops, "focus-brewery");
        this.grace = new GracePeriod(settings.reconnectGracePeriod(), Objects.requireNonNull(clock, "clock"), loop,
                loop::left);
    }

    /** Registers listeners and joins the brewery as soon as (or if already) connected. */
    public void start() {
        post(() -> {
            if (started) {
                return;
            }
            started = true;
            xmpp.connection().addSyncStanzaListener(presenceListener,
                    new AndFilter(StanzaTypeFilter.PRESENCE, FromMatchesFilter.createBare(room)));
            xmpp.addListener(connectionListener);
            log.info("Watching the brewery {} (reconnect grace period {})", room, settings.reconnectGracePeriod());
            if (xmpp.isReady()) {
                join("start");
            }
        });
    }

    /** True once the focus's own presence in the room came back. */
    public boolean joined() { return joined; }

    private final Object joinMonitor = new Object();

    /** Waits until the focus is in the brewery room, at most {@code timeout}; true when it is. */
    public boolean awaitJoined(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (joinMonitor) {
            while (!joined) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                joinMonitor.wait(left);
            }
        }
        return true;
    }

    /** How many times the focus joined the room (1 + rejoins). */
    public long joinCount() { return joins.get(); }

    /** Completes after every presence received so far has been handed to the registry. */
    public CompletableFuture<Void> flush() { return loop.flush(); }

    @Override
    public void close() {
        loop.close(() -> {
            xmpp.removeListener(connectionListener);
            xmpp.connection().removeSyncStanzaListener(presenceListener);
            if (joined && xmpp.isReady()) {
                try {
                    Presence leave = xmpp.connection().getStanzaFactory().buildPresenceStanza()
                            .ofType(Presence.Type.unavailable).to(JidCreate.entityFullFrom(room, nick)).build();
                    xmpp.connection().sendStanza(leave);
                } catch (Exception e) {
                    log.debug("Could not send the brewery leave presence: {}", e.toString());
                }
            }
            joined = false;
        });
    }

    private void post(Runnable r) {
        loop.execute(r);
    }

    // ------------------------------------------------------------------ Smack thread: hand off only

    private void onStanza(Stanza stanza) {
        if (stanza instanceof Presence) {
            Presence p = (Presence) stanza;
            post(() -> onPresence(p));
        }
    }

    // ------------------------------------------------------------------ watcher thread

    private void join(String why) {
        if (!xmpp.isReady()) {
            return;
        }
        if (joinCheck != null) {
            joinCheck.cancel();
        }
        try {
            EntityFullJid to = JidCreate.entityFullFrom(room, nick);
            Presence join = xmpp.connection().getStanzaFactory().buildPresenceStanza().to(to)
                    .addExtension(new MUCInitialPresence(null, -1, 0, -1, null)).build();
            xmpp.connection().sendStanza(join);
            log.info("Joining the brewery {} as {} ({})", room, nick, why);
        } catch (Exception e) {
            log.warn("Could not send the brewery join presence to {}: {}; retrying in {}", room, e.toString(), REJOIN_RETRY);
        }
        long ms = Math.max(REJOIN_RETRY.toMillis(), xmpp.settings().replyTimeout().toMillis());
        joinCheck = loop.schedule(() -> {
            if (!joined && xmpp.isReady()) {
                log.warn("No answer to the brewery join of {}; trying again", room);
                join("retry");
            }
        }, Duration.ofMillis(ms));
    }

    private void onPresence(Presence p) {
        Jid from = p.getFrom();
        if (from == null || !from.hasResource()) {
            return;
        }
        String id = BridgePresence.occupantId(from);
        MUCUser mucUser = MUCUser.from(p);
        boolean self = nick.equals(from.getResourceOrNull())
                || (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.PRESENCE_TO_SELF_110));
        if (self) {
            onSelfPresence(p, mucUser);
            return;
        }
        if (p.getType() == Presence.Type.unavailable) {
            onUnavailable(id, mucUser, p.getStatus());
            return;
        }
        if (p.getType() != Presence.Type.available) {
            return;
        }
        Map<String, String> stats = BridgePresence.statsOf(p);
        if (stats == null) {
            if (ignoredNoStats.put(id, Boolean.TRUE) == null) {
                log.debug("Ignoring brewery occupant {} without colibri stats", id);
            }
            return;
        }
        pendingLeaves.remove(id);
        grace.back(id);
        present.add(id);
        loop.stats(id, stats);
    }

    private void onSelfPresence(Presence p, MUCUser mucUser) {
        if (p.getType() == Presence.Type.error) {
            log.warn("The brewery {} refused the focus: {}; retrying in {}", room, p.getError(), REJOIN_RETRY);
            joined = false;
            loop.schedule(() -> join("retry after error"), REJOIN_RETRY);
            return;
        }
        if (p.getType() == Presence.Type.available) {
            if (!joined) {
                joined = true;
                synchronized (joinMonitor) {
                    joinMonitor.notifyAll();
                }
                joins.incrementAndGet();
                if (joinCheck != null) {
                    joinCheck.cancel();
                }
                log.info("Joined the brewery {} as {}", room, nick);
            }
            return;
        }
        if (p.getType() == Presence.Type.unavailable) {
            roomLost("the brewery removed the focus" + LeaveClassifier.codes(mucUser));
            if (xmpp.isReady()) {
                loop.schedule(() -> join("removed from the room"), REJOIN_RETRY);
            }
        }
    }

    private void onUnavailable(String id, MUCUser mucUser, String statusText) {
        ignoredNoStats.remove(id);
        boolean serverShutdown = LeaveClassifier.looksLikeServerShutdown(mucUser, statusText);
        if (serverShutdown && (present.remove(id) || grace.isMissing(id))) {
            // Prosody empties rooms when it stops: that says nothing about the bridge itself.
            log.info("Bridge {} ({}) removed from the brewery by the server{}; waiting {} for it to come back",
                    BridgeState.nickOf(id), id, LeaveClassifier.codes(mucUser), grace.period());
            grace.missing(id);
            return;
        }
        if (!present.contains(id) && !grace.isMissing(id)) {
            return;
        }
        String reason = LeaveClassifier.reason(mucUser, statusText);
        Duration confirm = LeaveClassifier.confirmDelay(statusText, settings);
        if (confirm.isZero()) {
            confirmLeave(id, reason);
            return;
        }
        // Wait a moment before removing: when Prosody stops, occupants' leaves can reach us just before our own
        // stream closes, and then they are not leaves but the server going away (grace period applies).
        present.remove(id);
        pendingLeaves.put(id, reason);
        loop.schedule(() -> {
            String r = pendingLeaves.remove(id);
            if (r != null) {
                confirmLeave(id, r);
            }
        }, confirm);
    }

    private void confirmLeave(String id, String reason) {
        present.remove(id);
        grace.forget(id);
        loop.left(id, reason);
    }

    private void roomLost(String reason) {
        boolean wasJoined = joined;
        joined = false;
        // leaves that were still being confirmed were the server going away, not the bridges
        present.addAll(pendingLeaves.keySet());
        pendingLeaves.clear();
        if (present.isEmpty()) {
            if (wasJoined) {
                log.warn("Lost the brewery {}: {}", room, reason);
            }
            return;
        }
        log.warn("Lost the brewery {}: {}; keeping {} bridge(s) for the grace period of {}", room, reason,
                present.size(), grace.period());
        grace.missingAll(present);
        present.clear();
    }
}
