package io.focus.health.discovery;

import io.focus.core.loop.EventLoop;
import io.focus.core.loop.EventLoops;
import io.focus.health.registry.BridgeRegistry;

import io.focus.core.xmpp.connection.XmppConnectionListener;
import io.focus.core.xmpp.connection.XmppConnectionManager;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.focus.core.time.ClockTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.ExtensionElement;
import io.focus.core.colibri.stats.ColibriStatsExtension;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.ItemPublishEvent;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Legacy bridge discovery: bridges publish {@code <stats xmlns="http://jitsi.org/protocol/colibri">} items to a pubsub
 * node ({@code focus.pubsub.service} / {@code focus.pubsub.node}). The focus subscribes with its full JID and reads
 * every published item.
 *
 * <p>Bridge identity: the item id. Legacy videobridges publish their stats with their own JID as the item id (e.g.
 * {@code jitsi-videobridge.meet.example.com}); Prosody 0.12 does not add a {@code publisher} attribute unless the node
 * asks for it, and Smack 4.4 does not parse it, so the id is what reliably names the publisher. IQs to the bridge go to
 * that JID. An item whose id is not a valid JID is ignored (logged once).
 *
 * <p>Expiry: a bridge whose stats have not arrived for {@code focus.pubsub.stats-timeout} is removed. On start, the
 * node's current items are read as well, so bridges that published before the focus started are found at once (and
 * expire if they do not publish again).
 */
public final class PubsubBridgeWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PubsubBridgeWatcher.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    static final Duration BAD_ID_MEMORY = Duration.ofHours(1);
    static final int MAX_BAD_IDS = 1_000;

    private final BrewerySettings settings;
    private final XmppConnectionManager xmpp;
    private final Clock clock;
    private final DiscoveryLoop loop;
    private final ItemEventListener<Item> itemListener = this::onItems;
    private final XmppConnectionListener connectionListener = new XmppConnectionListener() {
        @Override public void connected(XmppConnectionManager m, XMPPTCPConnection c) { post(() -> subscribe("connected")); }

        @Override public void reconnected(XmppConnectionManager m, XMPPTCPConnection c, boolean resumed) {
            post(() -> subscribe("reconnected"));
        }

        @Override public void disconnected(XmppConnectionManager m, Exception cause) { post(() -> subscribed = false); }
    };

    // ---- watcher thread only ----
    private final Map<String, Instant> lastSeen = new LinkedHashMap<>();
    /** Ids of items that were not bridge JIDs, to warn once per id: anyone who may publish to the node chooses them,
     *  so they are forgotten after {@link #BAD_ID_MEMORY} and at most {@link #MAX_BAD_IDS} are kept. */
    private final Cache<String, Boolean> badIds;
    private LeafNode node;
    private volatile boolean subscribed;
    private boolean started;
    private boolean warnedSubscribe;
    private EventLoop.Cancellable retryTask;
    private EventLoop.Cancellable expiryTask;

    /** @param loops makes the watcher's loop ({@code focus-pubsub-bridges}) */
    public PubsubBridgeWatcher(BrewerySettings settings, BridgeRegistry registry, XmppConnectionManager connection,
                               Clock clock, EventLoops loops) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.xmpp = Objects.requireNonNull(connection, "connection");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.badIds = Caffeine.newBuilder().ticker(ClockTicker.of(clock)).expireAfterWrite(BAD_ID_MEMORY)
                .maximumSize(MAX_BAD_IDS).build();
        Objects.requireNonNull(settings.pubsubService(), "focus.pubsub.service is not set");
        this.loop = new DiscoveryLoop(registry, loops, "focus-pubsub-bridges");
    }

    public void start() {
        post(() -> {
            if (started) {
                return;
            }
            started = true;
            xmpp.addListener(connectionListener);
            Duration every = Duration.ofMillis(Math.max(100, settings.pubsubStatsTimeout().toMillis() / 4));
            expiryTask = loop.scheduleWithFixedDelay(this::expire, every, every);
            log.info("Watching pubsub node {} on {} for bridge stats (timeout {})", settings.pubsubNode(),
                    settings.pubsubService(), settings.pubsubStatsTimeout());
            if (xmpp.isReady()) {
                subscribe("start");
            }
        });
    }

    public boolean subscribed() { return subscribed; }

    /** Completes after every item received so far has been handed to the registry. */
    public CompletableFuture<Void> flush() { return loop.flush(); }

    @Override
    public void close() {
        loop.close(() -> {
            xmpp.removeListener(connectionListener);
            if (expiryTask != null) {
                expiryTask.cancel();
            }
            if (node != null) {
                node.removeItemEventListener(itemListener);
            }
        });
    }

    private void post(Runnable r) {
        loop.execute(r);
    }

    // Smack thread: copy what we need and hand off
    private void onItems(ItemPublishEvent<Item> event) {
        List<Item> items = List.copyOf(event.getItems());
        post(() -> items.forEach(this::onItem));
    }

    private void subscribe(String why) {
        if (retryTask != null) {
            retryTask.cancel();
            retryTask = null;
        }
        if (!xmpp.isReady()) {
            return;
        }
        try {
            PubSubManager mgr = PubSubManager.getInstanceFor(xmpp.connection(),
                    JidCreate.bareFrom(settings.pubsubService()));
            LeafNode n = mgr.getLeafNode(settings.pubsubNode());
            if (node != n) {
                if (node != null) {
                    node.removeItemEventListener(itemListener);
                }
                n.addItemEventListener(itemListener);
                node = n;
            }
            n.subscribe(xmpp.connection().getUser());
            subscribed = true;
            warnedSubscribe = false;
            log.info("Subscribed to pubsub node {} on {} ({})", settings.pubsubNode(), settings.pubsubService(), why);
            try {
                List<Item> current = n.getItems();
                current.forEach(this::onItem);
            } catch (Exception e) {
                log.debug("Could not read the current items of {}: {}", settings.pubsubNode(), e.toString());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!warnedSubscribe) {
                warnedSubscribe = true;
                log.warn("Could not subscribe to pubsub node {} on {}: {}; retrying every {}", settings.pubsubNode(),
                        settings.pubsubService(), e.toString(), RETRY);
            }
            retryTask = loop.schedule(() -> subscribe("retry"), RETRY);
        }
    }

    private void onItem(Item item) {
        if (!(item instanceof PayloadItem)) {
            return;
        }
        Object payload = ((PayloadItem<?>) item).getPayload();
        Map<String, String> stats = payload instanceof ExtensionElement
                && ColibriStatsExtension.ELEMENT.equals(((ExtensionElement) payload).getElementName())
                && ColibriStatsExtension.NAMESPACE.equals(((ExtensionElement) payload).getNamespace())
                ? BridgePresence.statsOf((ExtensionElement) payload) : null;
        if (stats == null) {
            return;
        }
        String id = item.getId();
        if (id == null || !validJid(id)) {
            if (badIds.asMap().putIfAbsent(String.valueOf(id), Boolean.TRUE) == null) {
                log.warn("Ignoring a pubsub stats item whose id is not a bridge JID: '{}'", id);
            }
            return;
        }
        lastSeen.put(id, clock.instant());
        loop.stats(id, stats);
    }

    private static boolean validJid(String id) {
        try {
            JidCreate.from(id);
            return !id.isBlank();
        } catch (Exception e) {
            return false;
        }
    }

    private void expire() {
        Instant now = clock.instant();
        var it = lastSeen.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (Duration.between(e.getValue(), now).compareTo(settings.pubsubStatsTimeout()) >= 0) {
                it.remove();
                log.info("Bridge {} published no stats for {}: removing it", e.getKey(), settings.pubsubStatsTimeout());
                loop.left(e.getKey(), "no pubsub stats for " + settings.pubsubStatsTimeout());
            }
        }
    }
}
