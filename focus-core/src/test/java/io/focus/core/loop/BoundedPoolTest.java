package io.focus.core.loop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedPoolTest {
    final CollectorRegistry metrics = new CollectorRegistry();
    final BoundedPool pool = new EventLoops(metrics).pool("test-rooms", 1, 2);
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws InterruptedException {
        release.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    double sample(String name, String... labels) {
        String[] names = labels.length == 1 ? new String[] {"loop"} : new String[] {"loop", "reason"};
        Double v = metrics.getSampleValue(name, names, labels);
        return v == null ? 0 : v;
    }

    void block() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTaskBeyondTheCapacityIsRefusedCountedAndThrownNeverDropped() {
        pool.execute(this::block);                      // runs, holds the only thread
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 1);
        pool.execute(() -> { });                        // waits
        pool.execute(() -> { });                        // waits: the queue is full now
        assertEquals(2, sample("focus_loop_queue_depth", "test-rooms"));
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        assertEquals(1, sample("focus_loop_rejected_total", "test-rooms", "full"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("focus_loop_tasks_total", "test-rooms") == 3);
    }

    @Test
    void aFailingTaskIsCountedAndThePoolGoesOn() {
        pool.execute(() -> { throw new IllegalStateException("boom"); });
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("focus_loop_task_failures_total", "test-rooms") == 1);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.getCount() == 0);
    }

    @Test
    void aTaskAfterShutdownIsCountedAsClosed() {
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        assertEquals(1, sample("focus_loop_rejected_total", "test-rooms", "closed"));
    }

    @Test
    void threadsAreNamedAfterThePool() throws Exception {
        String[] name = new String[1];
        pool.submit(() -> name[0] = Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
        assertEquals("test-rooms-1", name[0]);
    }
}
