package io.focus.app.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.focus.core.time.ClockTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's version pins ({@code /pin}): a conference is pinned to a bridge version for a while, so a rolling
 * upgrade can keep it on the old release. The conference code reads {@link #pinnedVersion} when it builds a
 * selection request ({@code SelectionRequest.pinnedVersion}). Pins live in a Caffeine cache whose ticker is the
 * injected clock: each pin expires at its {@code expiresAt}, whether or not anyone reads it again.
 */
@Singleton
public final class PinRegistry {
    private static final Logger log = LoggerFactory.getLogger(PinRegistry.class);

    /** One pin, as {@code GET /pin} shows it. */
    public record Pin(String conferenceId, String jvbVersion, Instant expiresAt) {}

    private final Clock clock;
    private final Cache<String, Pin> pins;

    @Inject
    public PinRegistry(Clock clock) {
        this.clock = clock;
        this.pins = Caffeine.newBuilder()
                .ticker(ClockTicker.of(clock))
                .expireAfter(new UntilPinEnds())
                .evictionListener((String k, Pin p, RemovalCause cause) -> {
                    if (cause == RemovalCause.EXPIRED && p != null) {
                        log.info("Pin of [room={}] to {} expired", k, p.jvbVersion());
                    }
                })
                .build();
    }

    public Pin pin(String conferenceId, String jvbVersion, Duration duration) {
        if (conferenceId == null || conferenceId.isBlank() || jvbVersion == null || jvbVersion.isBlank()) {
            throw new IllegalArgumentException("conferenceId and jvbVersion are required");
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive");
        }
        Pin p = new Pin(key(conferenceId), jvbVersion.strip(), clock.instant().plus(duration));
        pins.put(p.conferenceId(), p);
        log.info("Pinned [room={}] to bridge version {} until {}", p.conferenceId(), p.jvbVersion(), p.expiresAt());
        return p;
    }

    /** @return true when a pin was removed */
    public boolean unpin(String conferenceId) {
        Pin removed = pins.asMap().remove(key(conferenceId));
        if (removed != null) {
            log.info("Unpinned [room={}] (was {})", removed.conferenceId(), removed.jvbVersion());
        }
        return removed != null;
    }

    /** The version a conference is pinned to, or null (none, or it expired). */
    public String pinnedVersion(String conferenceId) {
        if (conferenceId == null) {
            return null;
        }
        Pin p = pins.getIfPresent(key(conferenceId));
        return p == null ? null : p.jvbVersion();
    }

    /** The live pins, soonest to expire first. */
    public List<Pin> list() {
        pins.cleanUp();
        return pins.asMap().values().stream().sorted(Comparator.comparing(Pin::expiresAt)).toList();
    }

    /** How many pins are held, expired ones not yet cleaned up included (tests: nothing grows without bound). */
    long size() {
        return pins.estimatedSize();
    }

    /** A pin lives until its own end time; replacing it starts the new pin's time. */
    private final class UntilPinEnds implements Expiry<String, Pin> {
        @Override public long expireAfterCreate(String key, Pin pin, long currentTime) {
            return nanosUntil(pin.expiresAt());
        }

        @Override public long expireAfterUpdate(String key, Pin pin, long currentTime, long currentDuration) {
            return nanosUntil(pin.expiresAt());
        }

        @Override public long expireAfterRead(String key, Pin pin, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private long nanosUntil(Instant end) {
            Duration left = Duration.between(clock.instant(), end);
            if (left.isNegative()) {
                return 0;
            }
            // a pin for centuries is a pin for as long as Caffeine counts
            return left.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : left.toNanos();
        }
    }

    private static String key(String conferenceId) {
        // room JIDs are case-insensitive (Prosody lower-cases them)
        return conferenceId == null ? "" : conferenceId.strip().toLowerCase(Locale.ROOT);
    }
}
