package io.focus.health.registry;

import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.BridgeStats;
import io.focus.core.loop.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One bridge's mutable state inside the {@link BridgeRegistry}; only the registry's loop touches it. */
final class BridgeEntry {
    private static final Logger log = LoggerFactory.getLogger(BridgeRegistry.class);

    final String id;
    final String nick;
    final RateWindow rampup;
    final Set<String> warnedStats = new HashSet<>();
    String region;
    String relayId;
    String version;
    String release;
    double reportedStress;
    Double averageParticipantStress;
    boolean draining;
    boolean gracefulShutdown;
    boolean shuttingDown;
    boolean healthy = true;
    Double uptime;
    boolean failed;
    boolean passedSinceFailure;
    Instant lastFailure;
    String lastFailureReason;
    Instant lastRestart;
    int endpoints;
    int conferences;
    boolean drainedByFocus;
    Instant lastStatsAt;
    int publishedRecent;
    final Suspicion suspicion = new Suspicion();
    /** Jicofo's ICE-failure detection ({@link FailingIce}): restart requests in the window, and the verdict. */
    IceFailureTracker ice;
    boolean failingIce;
    EventLoop.Cancellable overdueTimer;

    BridgeEntry(String id, Duration rampupInterval) {
        this.id = id;
        this.nick = BridgeState.nickOf(id);
        this.rampup = new RateWindow(rampupInterval, 100);
    }

    /**
     * Takes what the stats say: a stat that is absent keeps its previous value; an unparseable one is logged once per
     * bridge and stat and ignored.
     */
    void apply(BridgeStats stats, Instant now) {
        for (String name : stats.asMap().keySet()) {
            if (stats.unparseable(name) && warnedStats.add(name)) {
                log.warn("Bridge {} ({}) reported an unparseable {}='{}'; ignoring it (logged once per bridge)",
                        nick, id, name, stats.raw(name));
            }
        }
        if (stats.stressLevel() != null) reportedStress = stats.stressLevel();
        if (stats.averageParticipantStress() != null) averageParticipantStress = stats.averageParticipantStress();
        if (stats.region() != null) region = stats.region();
        if (stats.relayId() != null) relayId = stats.relayId();
        if (stats.version() != null) version = stats.version();
        if (stats.release() != null) release = stats.release();
        if (stats.drain() != null) draining = stats.drain();
        if (stats.gracefulShutdown() != null) gracefulShutdown = stats.gracefulShutdown();
        if (stats.shuttingDown() != null) shuttingDown = stats.shuttingDown();
        if (stats.healthy() != null) healthy = stats.healthy();
        if (stats.uptime() != null) uptime = stats.uptime();
        lastStatsAt = now;
    }

    void cancelOverdue() {
        if (overdueTimer != null) {
            overdueTimer.cancel();
            overdueTimer = null;
        }
    }

    boolean effectiveDraining() { return draining || drainedByFocus; }

    String fullVersion() { return version != null && release != null ? version + "-" + release : version; }

    BridgeState toState(Instant now, RegistrySettings settings) {
        return BridgeState.builder(id)
                .nick(nick)
                .region(region)
                .relayId(relayId)
                .version(fullVersion())
                .reportedStress(reportedStress)
                .averageParticipantStress(averageParticipantStress != null
                        ? averageParticipantStress : settings.averageParticipantStress())
                .recentlyAddedEndpoints(rampup.count(now.toEpochMilli()))
                .draining(draining)
                .drainedByFocus(drainedByFocus)
                .gracefulShutdown(gracefulShutdown)
                .shuttingDown(shuttingDown)
                .healthy(healthy)
                .health(failed ? BridgeState.Health.FAILED : BridgeState.Health.OPERATIONAL)
                .lastFailure(lastFailure, lastFailureReason)
                .endpoints(endpoints)
                .conferences(conferences)
                .lastStatsAt(lastStatsAt)
                .suspect(suspicion.signal(), suspicion.reason(), suspicion.since())
                .failingIce(failingIce)
                .build();
    }

    void logDraining() {
        log.info("Bridge {} ({}) draining changed to {} (reported drain={}, drained by focus={})", nick, id,
                effectiveDraining(), draining, drainedByFocus);
    }
}
