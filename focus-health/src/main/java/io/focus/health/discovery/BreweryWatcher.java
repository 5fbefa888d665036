package io.focus.health.discovery;

import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.health.registry.BridgeRegistry;

import io.focus.core.colibri.stats.ColibriStatsExtension;
import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
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
 * <p>Reconnect grace: when the focus loses its connection (or Prosody empties the room for a shutdown, status 332),
 * the bridges it knew become <em>missing</em>, not removed. Each one that is back in the room within
 * {@code focus.brewery.reconnect-grace-period} (counted from when it went missing) is the same bridge: no REMOVED
 * event, its conferences stay. The rest are removed when the period ends. A bridge that restarted meanwhile shows a
 * lower {@code uptime} and gets RESTARTED from the registry.
 *
 * <p>It joins the room with its own join presence and tracks occupants with its own ordered presence listener, so
 * its state does not depend on Smack's MultiUserChat bookkeeping across reconnects. Smack threads only post to the
 * watcher's own thread ({@code focus-brewery}); the registry gets posted tasks too.
 */
public final class BreweryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BreweryWatcher.class);
    private static final int STATUS_SYSTEM_SHUTDOWN = 332;
    private static final int STATUS_TECHNICAL_REASONS = 333;
    private static final Duration REJOIN_RETRY = Duration.ofSeconds(2);

    private final BrewerySettings settings;
    private final BridgeRegistry registry;
    private final XmppConnectionManager xmpp;
    private final Clock clock;
    private final EntityBareJid room;
    private final Resourcepart nick;
    private final ScheduledExecutorService thread;
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
    private final Map<String, Instant> missing = new LinkedHashMap<>();
    private final Map<String, Boolean> ignoredNoStats = new HashMap<>();
    private final Map<String, String> pendingLeaves = new HashMap<>();
    private volatile boolean joined;
    private boolean started;
    private ScheduledFuture<?> expiryTask;
    private ScheduledFuture<?> joinCheck;

    public BreweryWatcher(BrewerySettings settings, BridgeRegistry registry, XmppConnectionManager serviceConnection,
                          Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.xmpp = Objects.requireNonNull(serviceConnection, "serviceConnection");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.room = Objects.requireNonNull(settings.breweryRoom(), "jicofo.bridge.brewery-jid is not set");
        try {
            this.nick = Resourcepart.from(serviceConnection.settings().resource());
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException(e);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "focus-brewery");
            t.setDaemon(true);
            return t;
        });
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
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        post(() -> registry.flush().thenRun(() -> f.complete(null)));
        return f;
    }

    @Override
    public void close() {
        post(() -> {
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
        thread.shutdown();
        try {
            thread.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Runnable r) {
        try {
            thread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.error("Brewery watcher task failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Brewery watcher closed; dropping a task");
        }
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
            joinCheck.cancel(false);
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
        joinCheck = thread.schedule(() -> {
            if (!joined && xmpp.isReady()) {
                log.warn("No answer to the brewery join of {}; trying again", room);
                join("retry");
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void onPresence(Presence p) {
        Jid from = p.getFrom();
        if (from == null || !from.hasResource()) {
            return;
        }
        String id = occupantId(from);
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
        Map<String, String> stats = statsOf(p);
        if (stats == null) {
            if (ignoredNoStats.put(id, Boolean.TRUE) == null) {
                log.debug("Ignoring brewery occupant {} without colibri stats", id);
            }
            return;
        }
        pendingLeaves.remove(id);
        Instant since = missing.remove(id);
        if (since != null) {
            log.info("Bridge {} ({}) is back in the brewery after {} ms: same bridge, conferences kept",
                    BridgeState.nickOf(id), id, Duration.between(since, clock.instant()).toMillis());
            rescheduleExpiry();
        }
        present.add(id);
        registry.onStats(id, new BridgeStats(stats));
    }

    private void onSelfPresence(Presence p, MUCUser mucUser) {
        if (p.getType() == Presence.Type.error) {
            log.warn("The brewery {} refused the focus: {}; retrying in {}", room, p.getError(), REJOIN_RETRY);
            joined = false;
            thread.schedule(() -> join("retry after error"), REJOIN_RETRY.toMillis(), TimeUnit.MILLISECONDS);
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
                    joinCheck.cancel(false);
                }
                log.info("Joined the brewery {} as {}", room, nick);
            }
            return;
        }
        if (p.getType() == Presence.Type.unavailable) {
            roomLost("the brewery removed the focus" + codes(mucUser));
            if (xmpp.isReady()) {
                thread.schedule(() -> join("removed from the room"), REJOIN_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onUnavailable(String id, MUCUser mucUser, String statusText) {
        ignoredNoStats.remove(id);
        boolean serverShutdown = looksLikeServerShutdown(mucUser, statusText);
        if (serverShutdown && (present.remove(id) || missing.containsKey(id))) {
            // Prosody empties rooms when it stops: that says nothing about the bridge itself.
            missing.putIfAbsent(id, clock.instant());
            log.info("Bridge {} ({}) removed from the brewery by the server{}; waiting {} for it to come back",
                    BridgeState.nickOf(id), id, codes(mucUser), settings.reconnectGracePeriod());
            rescheduleExpiry();
            return;
        }
        String reason;
        if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.KICKED_307)) {
            reason = "kicked from the brewery";
        } else if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.BANNED_301)) {
            reason = "banned from the brewery";
        } else {
            reason = "left the brewery";
        }
        if (!present.contains(id) && !missing.containsKey(id)) {
            return;
        }
        // What Prosody 0.12 sends (BreweryLeaveShapesIntegrationTest): a clean leave and a crash (RST or FIN) carry
        // no status text; when Prosody stops it closes each session first, "Disconnected: Received SIGTERM"
        // (recognised above). A leave with some other server-made text may still be a stop we do not recognise:
        // hold it for leave-confirm-delay; a plain leave waits only plain-leave-delay (0: at once).
        Duration confirm = statusText == null || statusText.isBlank() || looksLikeOwnConnectionLoss(statusText)
                ? settings.plainLeaveDelay() : settings.leaveConfirmDelay();
        if (statusText != null && !statusText.isBlank()) {
            reason = reason + " (" + statusText + ")";
        }
        if (confirm.isZero()) {
            confirmLeave(id, reason);
            return;
        }
        // Wait a moment before removing: when Prosody stops, occupants' leaves can reach us just before our own
        // stream closes, and then they are not leaves but the server going away (grace period applies).
        present.remove(id);
        pendingLeaves.put(id, reason);
        thread.schedule(() -> {
            String r = pendingLeaves.remove(id);
            if (r != null) {
                confirmLeave(id, r);
            }
        }, confirm.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void confirmLeave(String id, String reason) {
        present.remove(id);
        missing.remove(id);
        registry.onLeft(id, reason);
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
        Instant now = clock.instant();
        for (String id : present) {
            missing.putIfAbsent(id, now);
        }
        log.warn("Lost the brewery {}: {}; keeping {} bridge(s) for the grace period of {}", room, reason,
                present.size(), settings.reconnectGracePeriod());
        present.clear();
        rescheduleExpiry();
    }

    private void rescheduleExpiry() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
        expireMissing();
    }

    private void expireMissing() {
        if (missing.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Duration grace = settings.reconnectGracePeriod();
        Instant earliest = null;
        var it = missing.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Instant deadline = e.getValue().plus(grace);
            if (!now.isBefore(deadline)) {
                it.remove();
                log.info("Bridge {} ({}) not back in the brewery within {}: removing it", BridgeState.nickOf(e.getKey()),
                        e.getKey(), grace);
                registry.onLeft(e.getKey(), "not back in the brewery within the reconnect grace period (" + grace + ")");
            } else if (earliest == null || deadline.isBefore(earliest)) {
                earliest = deadline;
            }
        }
        if (earliest != null) {
            long delay = Math.max(1, Duration.between(now, earliest).toMillis());
            expiryTask = thread.schedule(this::expireMissing, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * True when an occupant's unavailable presence looks like the server going away rather than the bridge: MUC status
     * 332 (system shutdown) or 333 (technical reasons), or a status text about a shutdown.
     */
    static boolean looksLikeServerShutdown(MUCUser mucUser, String statusText) {
        if (mucUser != null && mucUser.getStatus().contains(MUCUser.Status.REMOVED_FOR_TECHNICAL_REASONS_333)
                && looksLikeDeadSession(statusText)) {
            // not the server: the bridge's own session is gone (real-call d-007)
            return false;
        }
        if (mucUser != null && (mucUser.getStatus().contains(MUCUser.Status.create(STATUS_SYSTEM_SHUTDOWN))
                || mucUser.getStatus().contains(MUCUser.Status.REMOVED_FOR_TECHNICAL_REASONS_333))) {
            return true;
        }
        if (statusText == null) {
            return false;
        }
        String t = statusText.toLowerCase(Locale.ROOT);
        // Prosody 0.12 on SIGTERM/SIGINT closes every session first: "Disconnected: Received SIGTERM" (captured in
        // BreweryLeaveShapesIntegrationTest); "system-shutdown" / "shutting down" from other stop paths.
        return t.contains("shutdown") || t.contains("shutting down") || t.contains("received sig");
    }

    /**
     * True for the text Prosody gives when the bridge's own connection died ({@code "Disconnected: closed"},
     * {@code "Disconnected: Connection reset by peer"}, ...): a crash, final at once like a plain leave. Only called
     * for leaves that {@link #looksLikeServerShutdown} did not claim.
     */
    static boolean looksLikeOwnConnectionLoss(String statusText) {
        return statusText.strip().toLowerCase(Locale.ROOT).startsWith("disconnected:") || looksLikeDeadSession(statusText);
    }

    /**
     * Prosody's text when it drops an occupant whose session can no longer receive: with stream management, a bridge
     * killed with SIGKILL hibernates for {@code smacks_hibernation_time}, then Prosody ends the session and the room
     * removes the occupant with status 333 and {@code "Kicked: recipient unavailable"} (real-call d-007). That is the
     * bridge dead, not the server stopping: final at once, no reconnect grace.
     */
    static boolean looksLikeDeadSession(String statusText) {
        return statusText != null && statusText.strip().toLowerCase(Locale.ROOT).startsWith("kicked: recipient unavailable");
    }

    /** The occupant JID as the focus addresses the bridge: room part lower-cased, nick as is. */
    static String occupantId(Jid from) {
        String bare = from.asBareJid().toString().toLowerCase(Locale.ROOT);
        Resourcepart r = from.getResourceOrNull();
        return r == null ? bare : bare + "/" + r;
    }

    /** The stats of a presence, or null when it carries none. */
    static Map<String, String> statsOf(Stanza p) {
        return statsOf(p.getExtensionElement(ColibriStatsExtension.ELEMENT, ColibriStatsExtension.NAMESPACE));
    }

    /** The stats of a colibri stats element (parsed by our provider, or generic when none is registered). */
    static Map<String, String> statsOf(ExtensionElement ext) {
        if (ext == null) {
            return null;
        }
        if (ext instanceof ColibriStatsExtension) {
            return ((ColibriStatsExtension) ext).stats();
        }
        if (ext instanceof StandardExtensionElement) {
            // providers not registered on this JVM: read the generic element
            Map<String, String> m = new LinkedHashMap<>();
            for (StandardExtensionElement stat : ((StandardExtensionElement) ext).getElements("stat")) {
                String name = stat.getAttributeValue("name");
                String value = stat.getAttributeValue("value");
                if (name != null && !name.isEmpty() && value != null) {
                    m.put(name, value);
                }
            }
            return m;
        }
        return null;
    }

    private static String codes(MUCUser mucUser) {
        if (mucUser == null || mucUser.getStatus().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (status");
        for (MUCUser.Status s : mucUser.getStatus()) {
            sb.append(' ').append(s.getCode());
        }
        return sb.append(')').toString();
    }
}
