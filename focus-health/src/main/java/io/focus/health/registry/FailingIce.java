package io.focus.health.registry;

import io.focus.core.bridge.BridgeState;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's ICE-failure detection ({@code jicofo.bridge.ice-failure-detection}, off until configured): a bridge on
 * which too many of its endpoints asked for a restart within a window is failing ICE ({@link BridgeState#failingIce()})
 * for a while. No event: only the snapshot's flag, which selection honours. The registry's loop only.
 */
final class FailingIce {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);

    private final Clock clock;
    private final SnapshotPublisher publisher;
    private IceFailureSettings settings = IceFailureSettings.defaults();

    FailingIce(Clock clock, SnapshotPublisher publisher) {
        this.clock = clock;
        this.publisher = publisher;
    }

    void configure(IceFailureSettings s, Collection<BridgeEntry> entries) {
        settings = Objects.requireNonNull(s, "s");
        Instant now = clock.instant();
        for (BridgeEntry e : entries) {
            if (e.ice != null && !e.ice.interval().equals(s.interval())) {
                e.ice = null;
            }
            update(e, now);
        }
    }

    /** A participant on the bridge reported ICE failure or asked for a restart. */
    void restartRequested(BridgeEntry e) {
        if (!settings.enabled()) {
            return;
        }
        if (e.ice == null) {
            e.ice = new IceFailureTracker(settings.interval());
        }
        Instant now = clock.instant();
        if (e.ice.restartRequested(now, e.endpoints, settings)) {
            log.warn("Bridge {} ({}) is failing ICE: {} restart requests within {} with {} endpoints (more than {} x {});"
                    + " no new participants for {} while other bridges can take them", e.nick, e.id,
                    e.ice.requests(now), settings.interval(), e.endpoints, e.endpoints, settings.threshold(),
                    settings.timeout());
        }
        update(e, now);
    }

    /** The bridge restarted: what its old endpoints asked for no longer counts. */
    void reset(BridgeEntry e) {
        e.ice = null;
        update(e, clock.instant());
    }

    /** Publishes the start or the end of the bridge's failing-ICE period. */
    void update(BridgeEntry e, Instant now) {
        boolean failing = e.ice != null && e.ice.failing(now, settings);
        if (failing != e.failingIce) {
            e.failingIce = failing;
            publisher.changed();
            if (!failing) {
                log.info("Bridge {} ({}) is no longer failing ICE", e.nick, e.id);
            }
        }
    }
}
