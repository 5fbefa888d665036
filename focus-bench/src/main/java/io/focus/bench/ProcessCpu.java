package io.focus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time so far (user + system), from {@code /proc/<pid>/stat} (Linux, in 10 ms ticks). */
public final class ProcessCpu {
    /** Linux reports {@code /proc} times in USER_HZ, which is 100 on every architecture it exports to user space. */
    private static final long MS_PER_TICK = 10;

    private ProcessCpu() { }

    /** Milliseconds of CPU {@code pid} has used; fails naming the process when it cannot be read. */
    public static long millis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e, e);
        }
    }
}
