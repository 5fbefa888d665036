package io.focus.app.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's version pins ({@code /pin}): a conference is pinned to a bridge version for a while, so a rolling
 * upgrade can keep it on the old release. The conference code reads {@link #pinnedVersion} when it builds a
 * selection request ({@code SelectionRequest.pinnedVersion}). Expiry follows the injected clock.
 */
@Singleton
public final class PinRegistry {
    private static final Logger log = LoggerFactory.getLogger(PinRegistry.class);

    /** One pin, as {@code GET /pin} shows it. */
    public record Pin(String conferenceId, String jvbVersion, Instant expiresAt) {}

    private final Clock clock;
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();

    @Inject
    public PinRegistry(Clock clock) {
        this.clock = clock;
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
        Pin removed = pins.remove(key(conferenceId));
        if (removed != null) {
            log.info("Unpinned [room={}] (was {})", removed.conferenceId(), removed.jvbVersion());
        }
        return removed != null;
    }

    /** The version a conference is pinned to, or null (expired pins are dropped here). */
    public String pinnedVersion(String conferenceId) {
        if (conferenceId == null) {
            return null;
        }
        String k = key(conferenceId);
        Pin p = pins.get(k);
        if (p == null) {
            return null;
        }
        if (!clock.instant().isBefore(p.expiresAt())) {
            pins.remove(k, p);
            log.info("Pin of [room={}] to {} expired", k, p.jvbVersion());
            return null;
        }
        return p.jvbVersion();
    }

    /** The live pins, soonest to expire first. */
    public List<Pin> list() {
        Instant now = clock.instant();
        pins.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        return pins.values().stream().sorted(Comparator.comparing(Pin::expiresAt)).toList();
    }

    private static String key(String conferenceId) {
        // room JIDs are case-insensitive (Prosody lower-cases them)
        return conferenceId == null ? "" : conferenceId.strip().toLowerCase(Locale.ROOT);
    }
}
