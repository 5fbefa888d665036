package io.focus.health.registry;

import io.focus.core.bridge.BridgeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BridgeRegistry}'s failure reset policy, on its loop: a failure makes a bridge FAILED at once (every
 * further failure restarts the clock); it is OPERATIONAL again only when a passing check has been seen after the last
 * failure <em>and</em> {@code jicofo.bridge.failure-reset-threshold} has elapsed since that failure. A restart starts
 * the bridge afresh; restart reports within {@value BridgeRegistry#RESTART_DEBOUNCE_SECONDS} s of the last one are
 * ignored.
 */
final class FailureReset {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);

    private final RegistrySettings settings;
    private final Clock clock;
    private final SnapshotPublisher publisher;

    FailureReset(RegistrySettings settings, Clock clock, SnapshotPublisher publisher) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    void failed(BridgeEntry e, String reason) {
        boolean wasFailed = e.failed;
        e.failed = true;
        e.lastFailure = clock.instant();
        e.lastFailureReason = reason;
        e.passedSinceFailure = false;
        publisher.changed();
        if (!wasFailed) {
            log.warn("Bridge {} ({}) failed: {}", e.nick, e.id, reason);
            publisher.event(BridgeEvent.Type.FAILED, e, reason);
        } else {
            log.debug("Bridge {} ({}) failed again: {}", e.nick, e.id, reason);
        }
    }

    void passed(BridgeEntry e) {
        if (!e.failed) {
            return;
        }
        if (!e.passedSinceFailure) {
            e.passedSinceFailure = true;
            log.info("Bridge {} ({}) passed a health check; operational again once {} have passed since its failure",
                    e.nick, e.id, settings.failureResetThreshold());
        }
        maybeRecover(e, clock.instant());
    }

    /** Called by every pass and by the registry's periodic refresh, which notices the end of the period. */
    void maybeRecover(BridgeEntry e, Instant now) {
        if (e.failed && e.passedSinceFailure
                && Duration.between(e.lastFailure, now).compareTo(settings.failureResetThreshold()) >= 0) {
            e.failed = false;
            e.passedSinceFailure = false;
            publisher.changed();
            log.info("Bridge {} ({}) recovered: passed a health check and {} since its failure ({})", e.nick, e.id,
                    settings.failureResetThreshold(), e.lastFailureReason);
            publisher.event(BridgeEvent.Type.RECOVERED, e, "health check passed after the failure-reset period");
        }
    }

    /** The bridge restarted without leaving: a RESTARTED event (its conferences are gone), operational afresh. */
    void restarted(BridgeEntry e, String reason) {
        Instant now = clock.instant();
        if (e.lastRestart != null && Duration.between(e.lastRestart, now)
                .compareTo(Duration.ofSeconds(BridgeRegistry.RESTART_DEBOUNCE_SECONDS)) < 0) {
            log.debug("Bridge {} ({}) restart report ignored (already handled): {}", e.nick, e.id, reason);
            return;
        }
        e.lastRestart = now;
        e.failed = false;
        e.passedSinceFailure = false;
        publisher.changed();
        log.warn("Bridge {} ({}) restarted: {}; its conferences are gone", e.nick, e.id, reason);
        publisher.event(BridgeEvent.Type.RESTARTED, e, reason);
    }
}
