package io.focus.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    @Test
    void oneLinePerIntervalAndTheNextSaysHowManyWereHeldBack() {
        RateLimitedLog log = new RateLimitedLog(clock, Duration.ofSeconds(10));
        assertEquals(0, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
        now = now.plusSeconds(9);
        assertEquals(-1, log.tryAcquire());
        now = now.plusSeconds(1);
        assertEquals(2, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
    }

    @Test
    void theSuffixNamesTheCountOnlyWhenThereIsOne() {
        assertEquals("", RateLimitedLog.held(0));
        assertEquals(" (3 more like this since the last line)", RateLimitedLog.held(3));
    }

    @Test
    void aNegativeIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RateLimitedLog(clock, Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }
    @Test
    void aLineLetThroughGoesAtItsLevelWithTheCountAndTheOthersAtDebug() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("rate-limited-log-test");
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            RateLimitedLog log = new RateLimitedLog(clock, Duration.ofSeconds(10));
            log.log(logger, org.slf4j.event.Level.WARN, "refused {} ({})", "a", 1);
            log.log(logger, org.slf4j.event.Level.WARN, "refused {} ({})", "b", 2);
            now = now.plusSeconds(10);
            log.log(logger, org.slf4j.event.Level.WARN, "refused {} ({})", "c", 3);
            assertEquals(java.util.List.of(
                    "WARN refused a (1)",
                    "DEBUG refused b (2)",
                    "WARN refused c (3) (1 more like this since the last line)"), seen.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
        } finally {
            logger.detachAppender(seen);
        }
    }
}
