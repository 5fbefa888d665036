package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

class SenderRateLimiterTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SenderRateLimiter limiter = new SenderRateLimiter(10, 5, nanos::get);

    static Jid jid(String s) throws Exception { return JidCreate.from(s); }

    void advanceMs(long ms) { nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms)); }

    @Test
    void aBurstThenTheRateThenNothingMore() throws Exception {
        Jid a = jid("a@meet.test/r1");
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(a), "burst " + i);
        }
        assertFalse(limiter.tryAcquire(a), "the burst is spent");
        advanceMs(100); // 10/s: one token back
        assertTrue(limiter.tryAcquire(a));
        assertFalse(limiter.tryAcquire(a));
        advanceMs(60_000); // refills to the burst, not beyond
        int taken = 0;
        while (limiter.tryAcquire(a)) {
            taken++;
        }
        assertEquals(5, taken);
    }

    @Test
    void eachFullJidHasItsOwnBucket() throws Exception {
        Jid a1 = jid("a@meet.test/r1");
        Jid a2 = jid("a@meet.test/r2");
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire(a1);
        }
        assertFalse(limiter.tryAcquire(a1));
        assertTrue(limiter.tryAcquire(a2), "another resource of the same user is another sender");
    }

    @Test
    void idleBucketsExpireAndTheMapIsBounded() throws Exception {
        for (int i = 0; i < SenderRateLimiter.MAX_SENDERS + 500; i++) {
            limiter.tryAcquire(jid("u" + i + "@guest.meet.test/x"));
        }
        assertTrue(limiter.tracked() <= SenderRateLimiter.MAX_SENDERS, "bounded: " + limiter.tracked());
        advanceMs(2_000); // a bucket of 5 at 10/s is full again after 0.5 s; it is forgotten a second later
        assertEquals(0, limiter.tracked());
    }

    @Test
    void aForgottenSenderStartsWithAFullBucketAsItWouldHaveAnyway() throws Exception {
        Jid a = jid("a@meet.test/r1");
        while (limiter.tryAcquire(a)) {
            // spend it
        }
        advanceMs(2_000);
        int taken = 0;
        while (limiter.tryAcquire(a)) {
            taken++;
        }
        assertEquals(5, taken);
    }
}
