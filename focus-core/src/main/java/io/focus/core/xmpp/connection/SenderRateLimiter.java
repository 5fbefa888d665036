package io.focus.core.xmpp.connection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.jxmpp.jid.Jid;

/**
 * A token bucket per sender: {@code burst} tokens, refilled at {@code perSecond}; each stanza takes one, and a stanza
 * that finds none is over the rate. The buckets live in a Caffeine cache bounded to {@link #MAX_SENDERS} and
 * expiring a bucket once it has been idle long enough to be full again, so forgetting it changes nothing; past the
 * bound, the least recently used go (such a sender starts again with a full bucket: many senders cost the focus at
 * most a burst each).
 *
 * <p>Own code rather than a library bucket: Guava's RateLimiter has no public way to set the burst or the clock, and
 * Bucket4j would be a new dependency for these few lines.
 */
final class SenderRateLimiter {
    static final long MAX_SENDERS = 10_000;

    private final double perSecond;
    private final int burst;
    private final Ticker ticker;
    private final Cache<Jid, Bucket> buckets;

    SenderRateLimiter(double perSecond, int burst, Ticker ticker) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.ticker = ticker;
        long refill = (long) Math.ceil(burst / perSecond * 1e9);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_SENDERS)
                .expireAfterAccess(Duration.ofNanos(refill).plusSeconds(1))
                .ticker(ticker)
                .executor(Runnable::run) // maintenance on the caller (the connection's reader), no pool thread
                .build();
    }

    /** Takes a token for {@code sender}; false when it has none left (over the rate). */
    boolean tryAcquire(Jid sender) {
        long now = ticker.read();
        return buckets.get(sender, k -> new Bucket(burst, now)).take(now);
    }

    /** How many senders have a bucket (for tests). */
    long tracked() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(long now) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perSecond / 1e9);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
