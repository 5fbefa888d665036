package io.focus.core.log;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Lets one log line through per interval and counts the ones held back, so the next line can say how many: for
 * lines that anyone outside the focus can cause (a client's refused request, a stanza it cannot parse, a selection
 * that finds no bridge), which must not flood the log. The lines held back go to DEBUG ({@link #log}).
 */
public final class RateLimitedLog {
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Clock clock, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a log interval cannot be negative: " + interval);
        }
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** @return -1 when this line should be held back (DEBUG only), else how many were held back since the last one */
    public long tryAcquire() {
        long now = clock.millis();
        long next = nextAllowed.get();
        if (now >= next && nextAllowed.compareAndSet(next, now + intervalMillis)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /**
     * Logs the line: at {@code level} when one is let through, ending with how many were held back before it
     * ({@link #held}); else at DEBUG, as it is. {@code format} and {@code args} as SLF4J's.
     */
    public void log(Logger log, Level level, String format, Object... args) {
        long held = tryAcquire();
        if (held >= 0) {
            Object[] withHeld = Arrays.copyOf(args, args.length + 1);
            withHeld[args.length] = held(held);
            log.atLevel(level).log(format + "{}", withHeld);
        } else if (log.isDebugEnabled()) {
            log.debug(format, args);
        }
    }

    /** A suffix for a line let through: how many were held back before it ({@code ""} for none). */
    public static String held(long n) {
        return n > 0 ? " (" + n + " more like this since the last line)" : "";
    }
}
