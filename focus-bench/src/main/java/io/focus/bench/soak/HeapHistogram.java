package io.focus.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A JVM's live heap by class, as {@code jcmd <pid> GC.class_histogram} prints it. That command runs a full GC first,
 * so what it counts is reachable: RSS (which includes garbage and the heap the JVM keeps) cannot tell garbage from a
 * leak, two of these can. The text is
 * <pre>
 * 12345:
 *  num     #instances         #bytes  class name (module)
 * -------------------------------------------------------
 *    1:         52338        3962192  [B (java.base@17.0.15)
 *    ...
 * Total        211042       11653648
 * </pre>
 * A class may appear more than once (loaded by more than one class loader); its rows are added up.
 *
 * @param classes        class name (without the module) → instances and bytes
 * @param totalInstances the {@code Total} line's instances
 * @param totalBytes     the {@code Total} line's bytes
 */
record HeapHistogram(Map<String, Entry> classes, long totalInstances, long totalBytes) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** One class's live instances and bytes. */
    record Entry(long instances, long bytes) {
        static final Entry NONE = new Entry(0, 0);

        Entry plus(Entry o) {
            return new Entry(instances + o.instances, bytes + o.bytes);
        }
    }

    /** One class in two histograms (a class missing from one has {@link Entry#NONE} there). */
    record Growth(String className, Entry before, Entry after) {
        long bytes() {
            return after.bytes() - before.bytes();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %,d -> %,d bytes (%+,d), %,d -> %,d instances", className,
                    before.bytes(), after.bytes(), bytes(), before.instances(), after.instances());
        }
    }

    HeapHistogram {
        classes = Map.copyOf(classes);
    }

    /** The live heap, MB (the {@code Total} line's bytes). */
    double totalMb() {
        return totalBytes / (1024.0 * 1024.0);
    }

    /**
     * Reads jcmd's histogram text; fails, quoting the text's start, when it has no class rows or no {@code Total}
     * line (e.g. jcmd printed an error instead, or the output was cut off).
     */
    static HeapHistogram parse(String text) {
        Map<String, Entry> classes = new HashMap<>();
        Long instances = null;
        Long bytes = null;
        for (String line : text.split("\\R")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                classes.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        Entry::plus);
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.matches()) {
                instances = Long.parseLong(t.group(1));
                bytes = Long.parseLong(t.group(2));
            }
        }
        if (classes.isEmpty() || bytes == null) {
            throw new IllegalArgumentException("not a class histogram (" + (classes.isEmpty() ? "no class rows"
                    : "no Total line") + "): " + gist(text));
        }
        return new HeapHistogram(classes, instances, bytes);
    }

    /**
     * Runs {@code jcmd <pid> GC.class_histogram} (a full GC in that JVM, then the histogram) with this JVM's jcmd
     * (else the one on the PATH) and parses its output; fails with jcmd's own words when it cannot.
     */
    static HeapHistogram take(long pid, Duration timeout) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        Path outFile = Files.createTempFile("focus-soak-histogram-", ".txt");
        try {
            Process p = new ProcessBuilder(command, Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(outFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " " + pid + " GC.class_histogram did not finish in "
                        + timeout.toSeconds() + " s");
            }
            String text = Files.readString(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(command + " exited with " + p.exitValue() + ": " + gist(text));
            }
            return parse(text);
        } finally {
            Files.deleteIfExists(outFile);
        }
    }

    /** The first lines of jcmd's output on one line, stack frames left out (its error is in the first ones). */
    static String gist(String text) {
        String lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("at "))
                .limit(3).collect(Collectors.joining(" "));
        return lines.isEmpty() ? "no output" : lines.length() > 300 ? lines.substring(0, 300) + " ..." : lines;
    }

    /** A histogram taken, or why not (jcmd's words). */
    record Reading(HeapHistogram histogram, String failure) {}

    /** {@link #take}, with a failure (jcmd missing, not attachable, timed out, unreadable output) as a reading. */
    static Reading read(long pid, Duration timeout) throws InterruptedException {
        try {
            return new Reading(take(pid, timeout), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Reading(null, e.getMessage());
        }
    }

    /** The {@code n} classes whose live bytes grew most from {@code before} to {@code after} (grown ones only). */
    static List<Growth> topGrowth(HeapHistogram before, HeapHistogram after, int n) {
        List<Growth> all = new ArrayList<>();
        after.classes().forEach((name, e) -> all.add(new Growth(name, before.classes().getOrDefault(name,
                Entry.NONE), e)));
        return all.stream().filter(g -> g.bytes() > 0)
                .sorted(Comparator.comparingLong(Growth::bytes).reversed().thenComparing(Growth::className))
                .limit(n).toList();
    }
}
