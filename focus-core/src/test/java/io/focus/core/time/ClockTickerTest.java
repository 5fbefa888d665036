package io.focus.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClockTickerTest {
    @Test
    void readsTheClockInNanoseconds() {
        Instant t = Instant.parse("2026-01-01T00:00:00.000000123Z");
        assertEquals(t.getEpochSecond() * 1_000_000_000L + 123, ClockTicker.of(Clock.fixed(t, ZoneOffset.UTC)).read());
    }

    @Test
    void aCacheExpiresWhenTheClockMoves() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        Cache<String, String> cache = Caffeine.newBuilder().ticker(ClockTicker.of(clock))
                .expireAfterWrite(Duration.ofMinutes(1)).build();
        cache.put("a", "b");
        now[0] = now[0].plusSeconds(59);
        assertEquals("b", cache.getIfPresent("a"));
        now[0] = now[0].plusSeconds(1);
        assertNull(cache.getIfPresent("a"));
    }
}
