package io.focus.selection;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Lets one INFO line through per interval; counts the ones held back so the next line can say how many. */
final class RateLimitedLog {
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Clock clock, long intervalMillis) {
        this.clock = clock;
        this.intervalMillis = intervalMillis;
    }

    /** @return -1 when this line should go to DEBUG only, else how many lines were held back since the last one */
    long tryAcquire() {
        long now = clock.millis();
        long next = nextAllowed.get();
        if (now >= next && nextAllowed.compareAndSet(next, now + intervalMillis)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
