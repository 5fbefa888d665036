package io.focus.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A process's resident memory, threads and open file descriptors, from {@code /proc/<pid>/status} and
 * {@code /proc/<pid>/fd} (Linux).
 *
 * @param atSeconds seconds since the chaos started (negative: before it)
 */
public record ProcStats(double atSeconds, long rssKb, int threads, int fds) {
    /** Reads them now; {@code atSeconds} is only carried (NaN: not part of a timeline). */
    public static ProcStats read(long pid, double atSeconds) {
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            int fds;
            try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = (int) s.count();
            }
            return new ProcStats(atSeconds, rss, threads, fds);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + " (is the process still running?): " + e, e);
        }
    }

    @Override
    public String toString() {
        String at = Double.isNaN(atSeconds) ? "" : String.format("%+7.0f s: ", atSeconds);
        return at + String.format("RSS %6.1f MB, %3d threads, %3d FDs", rssKb / 1024.0, threads, fds);
    }
}
