package io.focus.bench;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void agreesWithTheJvmsOwnCountOfThisThreadsCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long pid = ProcessHandle.current().pid();
        long before = ProcessCpu.millis(pid);
        long threadBefore = threads.getCurrentThreadCpuTime();
        long x = 0;
        // 200 ms of this thread's CPU, as the JVM counts it
        while (threads.getCurrentThreadCpuTime() - threadBefore < 200_000_000L) {
            for (int i = 0; i < 100_000; i++) {
                x += i ^ (x >>> 3);
            }
        }
        long grew = ProcessCpu.millis(pid) - before;
        // the process used at least what this thread did (less a 10 ms tick on either side), and not wildly more
        assertTrue(grew >= 180, "process CPU grew " + grew + " ms");
        assertTrue(grew < 5_000, "process CPU grew " + grew + " ms");
        assertNotEquals(0, x);
    }

    @Test
    void aProcessThatIsNotThereIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessCpu.millis(Long.MAX_VALUE));
        assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
    }
}
