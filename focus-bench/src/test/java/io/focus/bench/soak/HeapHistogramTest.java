package io.focus.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {
    /** The start and end of {@code jcmd <pid> GC.class_histogram} of a JDK 17 JVM (rows in between left out). */
    private static final String BEFORE = """
            4242:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         52338        3962192  [B (java.base@17.0.15)
               2:         50006        1200144  java.lang.String (java.base@17.0.15)
               3:          9862         867856  java.lang.Class (java.base@17.0.15)
               4:         23008         736256  java.util.HashMap$Node (java.base@17.0.15)
               5:           410         120000  io.focus.conference.Conference
               6:            12            576  io.focus.conference.Conference
               7:             1             16  jdk.internal.misc.Unsafe (java.base@17.0.15)
            Total        135637        6887040
            """;

    private static final String AFTER = """
            4242:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         70338        5962192  [B (java.base@17.0.15)
               2:         60006        1440144  java.lang.String (java.base@17.0.15)
               3:          9862         867856  java.lang.Class (java.base@17.0.15)
               4:         13008         416256  java.util.HashMap$Node (java.base@17.0.15)
               5:          2000         960000  io.focus.conference.Conference
               6:           600         300000  io.focus.conference.OwedExpiries$Debt
               7:             1             16  jdk.internal.misc.Unsafe (java.base@17.0.15)
            Total        155815       9946464
            """;

    @Test
    void readsEveryClassRowWithoutItsModuleAndTheTotalLine() {
        HeapHistogram h = HeapHistogram.parse(BEFORE);

        assertEquals(135637, h.totalInstances());
        assertEquals(6887040, h.totalBytes());
        assertEquals(6887040 / (1024.0 * 1024.0), h.totalMb(), 1e-9);
        assertEquals(new HeapHistogram.Entry(52338, 3962192), h.classes().get("[B"));
        assertEquals(new HeapHistogram.Entry(23008, 736256), h.classes().get("java.util.HashMap$Node"));
        assertEquals(new HeapHistogram.Entry(1, 16), h.classes().get("jdk.internal.misc.Unsafe"));
        assertEquals(6, h.classes().size(), h.classes().keySet().toString());
    }

    @Test
    void aClassLoadedByTwoLoadersIsAddedUp() {
        assertEquals(new HeapHistogram.Entry(422, 120576),
                HeapHistogram.parse(BEFORE).classes().get("io.focus.conference.Conference"));
    }

    /** What {@code jcmd 999999 GC.class_histogram} prints (and exits with 1) when there is no such process. */
    private static final String NO_SUCH_PROCESS = """
            999999:
            java.io.IOException: No such process
            \tat jdk.attach/sun.tools.attach.VirtualMachineImpl.sendQuitTo(Native Method)
            \tat jdk.attach/sun.tools.attach.VirtualMachineImpl.<init>(VirtualMachineImpl.java:82)
            \tat jdk.jcmd/sun.tools.jcmd.JCmd.main(JCmd.java:97)
            """;

    @Test
    void jcmdsErrorIsNotAHistogramAndItsReasonIsKeptWithoutTheStackFrames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapHistogram.parse(NO_SUCH_PROCESS));
        assertEquals("not a class histogram (no class rows): 999999: java.io.IOException: No such process",
                e.getMessage());
    }

    @Test
    void aHistogramCutOffBeforeItsTotalIsRefused() {
        String cut = BEFORE.substring(0, BEFORE.indexOf("Total"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeapHistogram.parse(cut));
        assertTrue(e.getMessage().contains("no Total line"), e.getMessage());
    }

    @Test
    void emptyOutputSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeapHistogram.parse(""));
        assertTrue(e.getMessage().contains("no output"), e.getMessage());
    }

    @Test
    void topGrowthIsTheClassesThatGrewMostInBytesNewOnesCountedFromNothing() {
        List<HeapHistogram.Growth> top = HeapHistogram.topGrowth(HeapHistogram.parse(BEFORE),
                HeapHistogram.parse(AFTER), 3);

        assertEquals(List.of("[B", "io.focus.conference.Conference", "io.focus.conference.OwedExpiries$Debt"),
                top.stream().map(HeapHistogram.Growth::className).toList());
        assertEquals(2_000_000, top.get(0).bytes());
        assertEquals(new HeapHistogram.Entry(422, 120576), top.get(1).before());
        assertEquals(new HeapHistogram.Entry(2000, 960000), top.get(1).after());
        assertEquals(HeapHistogram.Entry.NONE, top.get(2).before());
        assertEquals("[B: 3,962,192 -> 5,962,192 bytes (+2,000,000), 52,338 -> 70,338 instances",
                top.get(0).toString());
    }

    @Test
    void classesThatShrankOrStayedAreNotGrowth() {
        List<HeapHistogram.Growth> all = HeapHistogram.topGrowth(HeapHistogram.parse(BEFORE),
                HeapHistogram.parse(AFTER), 10);

        assertEquals(List.of("[B", "io.focus.conference.Conference", "io.focus.conference.OwedExpiries$Debt",
                "java.lang.String"), all.stream().map(HeapHistogram.Growth::className).toList());
    }

    @Test
    void takesTheHistogramOfARunningJvmWithJcmd() throws Exception {
        HeapHistogram h = HeapHistogram.take(ProcessHandle.current().pid(), Duration.ofSeconds(60));

        // this test's own instance is live while it runs
        assertTrue(h.classes().containsKey(HeapHistogramTest.class.getName()), h.classes().keySet().toString());
        assertTrue(h.classes().containsKey("java.lang.String"), h.classes().keySet().toString());
        assertEquals(h.classes().values().stream().mapToLong(HeapHistogram.Entry::bytes).sum(), h.totalBytes());
    }

    @Test
    void aProcessJcmdCannotReachIsAFailureWithJcmdsWords() {
        long gone = LongStream.iterate(4_000_000, p -> p - 1).filter(p -> ProcessHandle.of(p).isEmpty())
                .findFirst().orElseThrow();

        IOException e = assertThrows(IOException.class, () -> HeapHistogram.take(gone, Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("jcmd exited with") && e.getMessage().contains(gone + ":"),
                e.getMessage());
    }

    @Test
    void aFailedReadingCarriesTheReasonInsteadOfAHistogram() throws Exception {
        long gone = LongStream.iterate(4_000_000, p -> p - 1).filter(p -> ProcessHandle.of(p).isEmpty())
                .findFirst().orElseThrow();

        HeapHistogram.Reading r = HeapHistogram.read(gone, Duration.ofSeconds(60));
        assertEquals(null, r.histogram());
        assertTrue(r.failure().contains(Long.toString(gone)), r.failure());
    }
}
