package io.focus.core.loop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorEventLoopTest {
    final CollectorRegistry metrics = new CollectorRegistry();
    final EventLoops loops = new EventLoops(metrics);
    final List<ExecutorEventLoop> made = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    ExecutorEventLoop loop(String name, int capacity) {
        ExecutorEventLoop l = loops.create(name, capacity);
        made.add(l);
        return l;
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        made.forEach(l -> l.close(Duration.ofSeconds(1)));
    }

    double sample(String name, String loop) {
        Double v = metrics.getSampleValue(name, new String[] {"loop"}, new String[] {loop});
        return v == null ? 0 : v;
    }

    double rejected(String loop, String reason) {
        Double v = metrics.getSampleValue("focus_loop_rejected_total", new String[] {"loop", "reason"},
                new String[] {loop, reason});
        return v == null ? 0 : v;
    }

    /** Occupies the loop's thread until {@link #release} is counted down. */
    CountDownLatch block(ExecutorEventLoop l) {
        CountDownLatch running = new CountDownLatch(1);
        l.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return running;
    }

    @Test
    void tasksRunInOrderOnTheNamedThreadAndAreCounted() throws Exception {
        ExecutorEventLoop l = loop("focus-test", 100);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            l.execute(() -> seen.add(Thread.currentThread().getName() + "#" + n));
        }
        assertEquals("done", l.submit(() -> "done").get(5, TimeUnit.SECONDS));
        assertEquals(List.of("focus-test#0", "focus-test#1", "focus-test#2", "focus-test#3", "focus-test#4"), seen);
        assertTrue(l.submit(l::inLoop).get(5, TimeUnit.SECONDS));
        assertFalse(l.inLoop());
        // counted once each has returned: five tasks and two submits
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("focus_loop_tasks_total", "focus-test") == 7);
    }

    @Test
    void aTaskThatThrowsIsCountedAndTheLoopGoesOn() throws Exception {
        ExecutorEventLoop l = loop("focus-failing", 100);
        l.execute(() -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(1, l.submit(() -> 1).get(5, TimeUnit.SECONDS));
        assertEquals(1, sample("focus_loop_task_failures_total", "focus-failing"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("focus_loop_tasks_total", "focus-failing") == 2);
        ExecutionException e = assertThrows(ExecutionException.class, () -> l.submit(() -> {
            throw new IllegalArgumentException("bad");
        }).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void aFullQueueIsRefusedLoudlyNeverDroppedSilently() throws Exception {
        ExecutorEventLoop l = loop("focus-small", 2);
        assertTrue(block(l).await(5, TimeUnit.SECONDS));
        List<Integer> ran = new CopyOnWriteArrayList<>();
        l.execute(() -> ran.add(1));
        l.execute(() -> ran.add(2));
        assertEquals(2, l.queued());
        assertEquals(2, sample("focus_loop_queue_depth", "focus-small"));
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> l.execute(() -> ran.add(3)));
        assertTrue(e.getMessage().contains("focus-small is full"), e.getMessage());
        assertEquals(1, rejected("focus-small", "full"));
        CompletableFuture<Integer> refused = l.submit(() -> 4);
        assertTrue(refused.isCompletedExceptionally(), "submit fails instead of hanging");
        assertEquals(2, rejected("focus-small", "full"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
        assertEquals(List.of(1, 2), ran);
        assertEquals(0, l.queued());
    }

    @Test
    void closeRunsTheQueuedTasksCancelsTimersAndTakesNoMore() throws Exception {
        ExecutorEventLoop l = loop("focus-closing", 100);
        assertTrue(block(l).await(5, TimeUnit.SECONDS));
        List<String> ran = new CopyOnWriteArrayList<>();
        l.execute(() -> ran.add("queued"));
        l.schedule(() -> ran.add("timer"), Duration.ofHours(1));
        release.countDown();
        l.close(Duration.ofSeconds(5));
        assertEquals(List.of("queued"), ran);
        assertTrue(l.isClosed());
        l.execute(() -> ran.add("late"));
        l.schedule(() -> ran.add("late timer"), Duration.ZERO);
        assertEquals(2, rejected("focus-closing", "closed"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> l.submit(() -> "late").get(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(List.of("queued"), ran);
        assertNull(metrics.getSampleValue("focus_loop_queue_depth", new String[] {"loop"},
                new String[] {"focus-closing"}), "a closed loop's depth is no longer reported");
    }

    @Test
    void closeCancelsWhatIsStillQueuedAfterTheDrainTime() throws Exception {
        ExecutorEventLoop l = loop("focus-stuck", 100);
        assertTrue(block(l).await(5, TimeUnit.SECONDS));
        List<String> ran = new CopyOnWriteArrayList<>();
        l.execute(() -> ran.add("never"));
        l.close(Duration.ofMillis(50));
        assertEquals(0, l.queued());
        assertEquals(List.of(), ran);
    }

    @Test
    void theMetricsAreRegisteredOnceForAllLoops() {
        ExecutorEventLoop a = loop("focus-a", 10);
        ExecutorEventLoop b = loop("focus-b", 10);
        assertEquals(0, sample("focus_loop_queue_depth", "focus-a"));
        assertEquals(0, sample("focus_loop_queue_depth", "focus-b"));
        // a second factory on the same registry would register the same names twice
        assertThrows(IllegalArgumentException.class, () -> new EventLoops(metrics));
        assertEquals("focus-a", a.name());
        assertEquals("focus-b", b.name());
    }

    @Test
    void timersRunOnTheLoopAndCanBeCancelled() throws Exception {
        ExecutorEventLoop l = loop("focus-timers", 10);
        CompletableFuture<Boolean> fired = new CompletableFuture<>();
        l.schedule(() -> fired.complete(l.inLoop()), Duration.ofMillis(10));
        assertTrue(fired.get(5, TimeUnit.SECONDS));
        List<String> ran = new CopyOnWriteArrayList<>();
        EventLoop.Cancellable c = l.schedule(() -> ran.add("cancelled"), Duration.ofMillis(20));
        c.cancel();
        CompletableFuture<Void> later = new CompletableFuture<>();
        l.schedule(() -> later.complete(null), Duration.ofMillis(50));
        later.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), ran);
    }
}
