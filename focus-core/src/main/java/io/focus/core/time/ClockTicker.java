package io.focus.core.time;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A Caffeine {@link Ticker} that reads the injected {@link Clock}, so caches expire on the same time as everything
 * else in the focus (and tests that move their clock move cache expiry with it).
 */
public final class ClockTicker implements Ticker {
    private final Clock clock;

    private ClockTicker(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); }

    public static Ticker of(Clock clock) { return new ClockTicker(clock); }

    /** Nanoseconds since the epoch by the clock (fits a long until the year 2262; Caffeine only uses differences). */
    @Override
    public long read() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
}
