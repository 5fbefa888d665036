package io.focus.health.discovery;

import io.focus.core.bridge.BridgeState;
import io.focus.core.loop.EventLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brewery's reconnect grace ({@code focus.brewery.reconnect-grace-period}): bridges the focus lost sight of
 * because of the focus or the server (its connection lost, Prosody emptying the room) are <em>missing</em>, not
 * removed. One back within the period, counted from when it went missing, is the same bridge; the others are removed
 * when their period ends. On the watcher's loop only.
 */
final class GracePeriod {
    private static final Logger log = LoggerFactory.getLogger(BreweryWatcher.class);

    private final Duration grace;
    private final Clock clock;
    private final EventLoop loop;
    private final BiConsumer<String, String> remove;
    private final Map<String, Instant> missing = new LinkedHashMap<>();
    private EventLoop.Cancellable expiryTask;

    /** @param remove removes a bridge (id, reason) whose period ended */
    GracePeriod(Duration grace, Clock clock, EventLoop loop, BiConsumer<String, String> remove) {
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.remove = Objects.requireNonNull(remove, "remove");
    }

    Duration period() { return grace; }

    boolean isMissing(String id) { return missing.containsKey(id); }

    /** The bridge went missing now (unless it already was: its period keeps counting from then). */
    void missing(String id) {
        missing.putIfAbsent(id, clock.instant());
        reschedule();
    }

    /** These bridges went missing now. */
    void missingAll(Collection<String> ids) {
        Instant now = clock.instant();
        for (String id : ids) {
            missing.putIfAbsent(id, now);
        }
        reschedule();
    }

    /** The bridge is back: true when it was missing (the same bridge, conferences kept). */
    boolean back(String id) {
        Instant since = missing.remove(id);
        if (since == null) {
            return false;
        }
        log.info("Bridge {} ({}) is back in the brewery after {} ms: same bridge, conferences kept",
                BridgeState.nickOf(id), id, Duration.between(since, clock.instant()).toMillis());
        reschedule();
        return true;
    }

    /** The bridge is gone for good (its leave is final): no longer waited for. */
    void forget(String id) {
        missing.remove(id);
    }

    private void reschedule() {
        if (expiryTask != null) {
            expiryTask.cancel();
            expiryTask = null;
        }
        expire();
    }

    private void expire() {
        if (missing.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant earliest = null;
        var it = missing.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Instant deadline = e.getValue().plus(grace);
            if (!now.isBefore(deadline)) {
                it.remove();
                log.info("Bridge {} ({}) not back in the brewery within {}: removing it",
                        BridgeState.nickOf(e.getKey()), e.getKey(), grace);
                remove.accept(e.getKey(), "not back in the brewery within the reconnect grace period (" + grace + ")");
            } else if (earliest == null || deadline.isBefore(earliest)) {
                earliest = deadline;
            }
        }
        if (earliest != null) {
            expiryTask = loop.schedule(this::expire, Duration.ofMillis(Math.max(1,
                    Duration.between(now, earliest).toMillis())));
        }
    }
}
