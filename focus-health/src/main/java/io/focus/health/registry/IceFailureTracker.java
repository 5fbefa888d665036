package io.focus.health.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * One bridge's ICE-failure state, by Jicofo's rule ({@link IceFailureSettings}): every restart request (a participant
 * on the bridge reported ICE failure or asked for a restart) is counted over {@code interval} in one-second buckets;
 * when, after a request, the bridge has at least {@code min-endpoints} endpoints and the requests in the window exceed
 * endpoints × {@code threshold}, it is failing ICE until {@code timeout} after that moment (each request for which
 * the condition still holds renews it). Not thread-safe: the registry's control thread owns it.
 */
final class IceFailureTracker {
    private final Duration interval;
    private final RateWindow requests;
    private Instant lastFailing;

    IceFailureTracker(Duration interval) {
        this.interval = interval;
        this.requests = new RateWindow(interval, (int) Math.max(1, Math.min(3600, interval.toSeconds())));
    }

    /** The window this tracker counts over (a new tracker is needed when the setting changes). */
    Duration interval() { return interval; }

    /**
     * A restart request on the bridge.
     *
     * @param endpoints the bridge's endpoints of this focus now
     * @return true when the bridge was not failing ICE before and is now
     */
    boolean restartRequested(Instant now, int endpoints, IceFailureSettings s) {
        boolean before = failing(now, s);
        requests.add(now.toEpochMilli(), 1);
        if (s.failing(endpoints, requests(now))) {
            lastFailing = now;
        }
        return !before && failing(now, s);
    }

    /** Restart requests in the window. */
    int requests(Instant now) { return requests.count(now.toEpochMilli()); }

    /** Failing ICE now (always false while detection is off). */
    boolean failing(Instant now, IceFailureSettings s) {
        return s.enabled() && lastFailing != null && Duration.between(lastFailing, now).compareTo(s.timeout()) < 0;
    }
}
