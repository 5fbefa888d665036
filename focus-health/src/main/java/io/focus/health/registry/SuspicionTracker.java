package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import io.focus.core.bridge.SuspectSignal;
import io.focus.core.loop.EventLoop;
import io.focus.core.xmpp.connection.OwnLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence against bridges and the suspicion it raises ({@link SuspectSettings}), for the {@link BridgeRegistry} on
 * its loop: unanswered requests and missed checks ({@link #raise}), participants losing ICE ({@link #trouble}), stats
 * overdue (a timer set at every stats, and the registry's periodic refresh). Any answer, a health pass or fresh stats
 * clears it ({@link #clear}). Overdue stats are judged only while the focus's own link is up, and counted from its
 * return at the earliest.
 */
final class SuspicionTracker {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);

    private final SuspectSettings settings;
    private final Clock clock;
    private final BiFunction<Runnable, Duration, EventLoop.Cancellable> later;
    private final SnapshotPublisher publisher;
    private final Predicate<BridgeEntry> current;
    // ---- registry loop only ----
    private OwnLink ownLink;
    private long seenLinkEpoch = Long.MIN_VALUE;
    private Instant linkSince;

    /**
     * @param later runs a task on the registry's loop after a delay, publishing what it changed (the overdue timers)
     * @param current true while an entry is still the registry's (a timer may fire after its bridge left)
     */
    SuspicionTracker(SuspectSettings settings, Clock clock, BiFunction<Runnable, Duration, EventLoop.Cancellable> later,
                     SnapshotPublisher publisher, Predicate<BridgeEntry> current) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.later = Objects.requireNonNull(later, "later");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.current = Objects.requireNonNull(current, "current");
    }

    SuspectSettings settings() { return settings; }

    /** The focus's own link (null: stats age from their arrival only). */
    void setOwnLink(OwnLink link) {
        ownLink = link;
        seenLinkEpoch = link == null ? Long.MIN_VALUE : link.epoch();
        linkSince = null;
    }

    /** Evidence against the bridge: it becomes suspect unless it already is (a SUSPECTED event). */
    void raise(BridgeEntry e, SuspectSignal signal, String reason) {
        if (e.suspicion.raise(signal, reason, clock.instant())) {
            publisher.changed();
            log.warn("Bridge {} ({}) is suspect ({}): {}; no new participants while other bridges can take them",
                    e.nick, e.id, signal.label(), reason);
            publisher.event(BridgeEvent.Type.SUSPECTED, e, signal.label() + ": " + reason);
        }
    }

    /** The bridge answered ({@code what}): not suspect any more (a SUSPICION_CLEARED event when it was). */
    void clear(BridgeEntry e, String what) {
        if (e.suspicion.suspect()) {
            String was = e.suspicion.reason();
            e.suspicion.clear();
            publisher.changed();
            log.info("Bridge {} ({}) is no longer suspect: {} (was: {})", e.nick, e.id, what, was);
            publisher.event(BridgeEvent.Type.SUSPICION_CLEARED, e, what);
        }
    }

    /** Fresh stats: remembers the gap, clears the suspicion, and looks again when the next ones would be overdue. */
    void statsArrived(BridgeEntry e, Instant now) {
        e.suspicion.statsArrived(now);
        clear(e, "fresh stats");
        e.cancelOverdue();
        long ms = settings.statsOverdueAfter(e.suspicion.shownInterval()).toMillis() + 10;
        e.overdueTimer = later.apply(() -> {
            if (current.test(e)) {
                checkOverdue(e, clock.instant());
            }
        }, Duration.ofMillis(ms));
    }

    /**
     * A participant on the bridge reported ICE failure or asked for a restart: {@code ice-failures} distinct
     * participants within {@code ice-window} make the bridge suspect.
     */
    void trouble(BridgeEntry e, String participant) {
        int n = e.suspicion.trouble(participant, clock.instant(), settings.iceWindow());
        log.info("Bridge {} ({}): participant {} reported ICE failure or asked for a restart ({} distinct within {}, "
                + "{} make it suspect)", e.nick, e.id, participant, n, settings.iceWindow(), settings.iceFailures());
        if (n >= settings.iceFailures()) {
            raise(e, SuspectSignal.ICE_FAILURES, n + " participants reported ICE failure or asked for a restart "
                    + "within " + settings.iceWindow());
        }
    }

    /**
     * Stats older than {@code stats-overdue-factor} × the interval the bridge has shown make it suspect; not while
     * the focus's own link is down, and counted from the link's return at the earliest.
     */
    void checkOverdue(BridgeEntry e, Instant now) {
        if (e.suspicion.suspect() || e.lastStatsAt == null) {
            return;
        }
        Instant from = e.lastStatsAt;
        OwnLink link = ownLink;
        if (link != null) {
            if (!link.ready()) {
                return;
            }
            long epoch = link.epoch();
            if (epoch != seenLinkEpoch) {
                seenLinkEpoch = epoch;
                linkSince = now;
            }
            if (linkSince != null && linkSince.isAfter(from)) {
                from = linkSince;
            }
        }
        Duration shown = e.suspicion.shownInterval();
        Duration limit = settings.statsOverdueAfter(shown);
        Duration age = Duration.between(from, now);
        if (age.compareTo(limit) > 0) {
            raise(e, SuspectSignal.STATS_OVERDUE, "no stats for " + age.toMillis() + " ms (every "
                    + (shown != null ? shown.toMillis() + " ms shown" : settings.statsInterval().toMillis()
                    + " ms assumed") + ", overdue after " + limit.toMillis() + " ms)");
        }
    }
}
