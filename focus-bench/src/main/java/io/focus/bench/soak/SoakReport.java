package io.focus.bench.soak;

import static io.focus.bench.Stats.pct;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The soak run's figures, printed with their goals. */
final class SoakReport {
    static final double INCOMPLETE_GOAL_MS = 3_000;
    private static final int LIST = 10;
    private static final int HEAP_TOP = 5;

    SoakOptions options;
    String settings;
    int participantsWanted;
    List<String> setupFailures = List.of();
    /** Bridges the focus did not list as operational when the chaos started (none was faulted yet). */
    List<String> setupFalseAlarms = List.of();
    int incompleteAtStart;
    List<ParticipantTrack> tracks = List.of();
    Chaos chaos;
    Fleet fleet;
    CallSampler sampler;
    /** The leak check {@link SoakBench#QUIET} after settling, and the last one (the same when that found none). */
    LeakCheck leaksFirst;
    LeakCheck leaks;
    int leakChecks;
    /** From the first leak check to the one that found none, s; -1 when leaks were left at the deadline. */
    double leaksClearedAfterSeconds = -1;
    /** The focus's heap after a full GC before the calls and at the end (after the leak check). */
    HeapHistogram.Reading heapBefore;
    /** With every call up, before the first fault: the end is compared with it (like with like). */
    HeapHistogram.Reading heapStart;
    HeapHistogram.Reading heapEnd;
    double settledAfterSeconds = -1;
    List<ProcStats> proc = new ArrayList<>();
    CpuShares cpu;
    ProcStats prosodyStart;
    ProcStats prosodyEnd;
    ProcStats idle;
    String loadBefore;
    String loadAfter;
    double wallSeconds;
    /** The focus's log (read for {@link Detection}). */
    java.nio.file.Path focusLog;

    void print(PrintStream out) {
        SoakOptions o = options;
        out.printf("%n==== Soak report (seed %d) ====%n", o.seed());
        out.println("command: " + o.command());
        out.printf("focus: the daemon process (bin/focus), state saved, %s; %d bridges (max %d faulted at once, >= %d kept usable);"
                        + " %d calls x %d = %d participants (%d set up%s)%n", settings, o.bridges(), o.maxFaulted(),
                o.minUsable(), o.calls(), o.perCall(), participantsWanted, tracks.size(),
                setupFailures.isEmpty() ? "" : "; " + setupFailures.size() + " calls failed: " + setupFailures.get(0));
        out.println("Prosody: " + (o.prosodyGc().equals("default") ? "Prosody's own Lua GC settings (incremental, "
                + "threshold 105, speed 500)" : "Lua GC " + o.prosodyGc() + " (" + o.prosodyGcConfig() + ")")
                + (o.prosodyReadSize() == 0 ? "; reads 4096 bytes of a connection at a time (its default)"
                : "; reads " + o.prosodyReadSize() + " bytes of a connection at a time (network_default_read_size)"));
        out.printf("chaos %d min, then every fault undone and %d s to settle; incomplete at the chaos start: %d%n",
                o.minutes(), o.settleSeconds(), incompleteAtStart);
        Map<Chaos.Kind, Integer> c = chaos.counts();
        int total = c.values().stream().mapToInt(Integer::intValue).sum();
        out.printf("faults: %d (crash %d, of them %d kills with a hibernating session; hang %d; health-flap %d; "
                        + "graceful shutdown %d); two at once %d times; %d replacement bridges; %d ticks without a "
                        + "fault (too few bridges usable for the focus)%n", total, c.getOrDefault(Chaos.Kind.CRASH, 0),
                chaos.kills(), c.getOrDefault(Chaos.Kind.HANG, 0), c.getOrDefault(Chaos.Kind.FLAP, 0),
                c.getOrDefault(Chaos.Kind.GRACEFUL, 0), chaos.pairs(), fleet.replacements(), chaos.skipped());

        List<Double> all = new ArrayList<>();
        tracks.forEach(t -> all.addAll(t.incompleteMs));
        List<ParticipantTrack> over = tracks.stream().filter(t -> t.worstMs > INCOMPLETE_GOAL_MS)
                .sorted(Comparator.comparingDouble((ParticipantTrack t) -> -t.worstMs)).toList();
        List<ParticipantTrack.Over> overs = tracks.stream().flatMap(t -> t.over.stream()).toList();
        int intervalsOver = overs.size();
        ParticipantTrack worst = tracks.stream().max(Comparator.comparingDouble(t -> t.worstMs)).orElse(null);
        out.println();
        row(out, "participants with an incomplete call > 3 s", over.size() + " (" + intervalsOver + " intervals)",
                "0");
        row(out, "worst incomplete time", worst == null || worst.worstMs == 0 ? "-" : String.format(
                "%.0f ms (%s, from %+.1f s: %s)", worst.worstMs, worst.id(), worst.worstAt, worst.worstWhy), "< 3 s");
        row(out, "incomplete intervals: count, p50 / p90 / p99 ms", all.isEmpty() ? "0" : String.format(
                "%d, %.0f / %.0f / %.0f", all.size(), pct(all, 50), pct(all, 90), pct(all, 99)), "");
        List<String> byStart = overByStart(overs);
        if (!byStart.isEmpty()) {
            row(out, "intervals over 3 s by when they started", byStart.size() + " group(s), listed below", "");
        }
        Map<Integer, Integer> hist = new TreeMap<>();
        tracks.forEach(t -> hist.merge(Math.min(t.moves, 4), 1, Integer::sum));
        int moves = tracks.stream().mapToInt(t -> t.moves).sum();
        row(out, "moves per participant: mean, max; 0/1/2/3/4+", String.format("%.2f, %d; %s (%d moves)",
                tracks.isEmpty() ? 0.0 : (double) moves / tracks.size(), tracks.stream().mapToInt(t -> t.moves).max()
                        .orElse(0), histogram(hist), moves), "");
        long bf = tracks.stream().mapToInt(t -> t.backAndForth.size()).sum();
        row(out, "back-and-forth moves", Long.toString(bf), "0");
        row(out, "returns onto a bridge suspect only since the sample before", Integer.toString(
                sampler.suspectOnlyAfter().size()), "");
        row(out, "placements onto a bridge while it was faulted", Integer.toString(sampler.ontoFaulted().size()),
                "");
        row(out, "returns to a former bridge after it recovered", Integer.toString(sampler.returnsAfterRecovery()),
                "");
        List<Detection.Seen> detected = detection();
        List<Double> detectedMs = detected.stream().filter(d -> d.after() != null)
                .map(d -> (double) d.after().toMillis()).toList();
        row(out, "detection: fault -> bridge out of use (crash, hang, flap)", detectedMs.isEmpty() ? "none seen"
                : String.format("%d of %d seen; median / p90 / worst %.0f / %.0f / %.0f ms", detectedMs.size(),
                detected.size(), pct(detectedMs, 50), pct(detectedMs, 90), pct(detectedMs, 100)), "");
        List<ParticipantTrack> stranded = tracks.stream().filter(t -> t.stranded).toList();
        row(out, "stranded participants (incomplete after settling)", stranded.size() + (settledAfterSeconds >= 0
                ? String.format(" (all complete %.1f s after the faults were undone)", settledAfterSeconds) : ""),
                "0");
        row(out, "bridges failed with no fault: in the setup, the chaos", setupFalseAlarms.size() + ", "
                + sampler.falseAlarms().size(), "");
        row(out, "leaked at the first check, " + SoakBench.QUIET.toSeconds() + " s after settling", leaked(leaksFirst),
                "");
        row(out, "leaked endpoints / conferences", leaked(leaks), "0");
        row(out, "leaks cleared", !leaksFirst.leaked() ? "none at the first check" : leaks.leaked()
                ? String.format("still there after %d s (%d checks)", options.leakWaitSeconds(), leakChecks)
                : String.format("%.1f s after the first check (%d checks)", leaksClearedAfterSeconds, leakChecks), "");
        row(out, "focus's placements that disagree with the bridges", leaks.focusConferences < 0 ? "no answer"
                : leaks.focusDisagrees.size() + " (it lists " + leaks.focusConferences + " conferences)", "0");
        ProcStats start = proc.get(0);
        ProcStats end = proc.get(proc.size() - 1);
        row(out, "focus RSS MB: before the calls / start / end", String.format("%.1f / %.1f / %.1f", idle.rssKb() / 1024.0,
                start.rssKb() / 1024.0, end.rssKb() / 1024.0), "flat");
        row(out, "focus threads: before the calls / start / end", idle.threads() + " / " + start.threads() + " / "
                + end.threads(), "flat");
        row(out, "focus FDs: before the calls / start / end", idle.fds() + " / " + start.fds() + " / " + end.fds(),
                "flat");
        row(out, "focus live heap after full GC MB: before the calls / start / end", heapMb(heapBefore) + " / "
                + heapMb(heapStart) + " / " + heapMb(heapEnd) + " (every call up at the start and the end)", "flat");
        List<Double> gaps = sampler.gapsMs();
        row(out, "sampling: samples, gap p50 / worst ms", String.format("%d, %.0f / %.0f", gaps.size() + 1,
                pct(gaps, 50), pct(gaps, 100)), "");
        row(out, "Prosody RSS MB: chaos start / end", String.format("%.1f / %.1f", prosodyStart.rssKb() / 1024.0,
                prosodyEnd.rssKb() / 1024.0), "");
        cpu.print(out);

        details(out, "incomplete > 3 s (worst first)", over.stream().map(t -> String.format(
                "%s: worst %.0f ms from %+.1f s (%s); %d intervals > 3 s; %d moves", t.id(), t.worstMs, t.worstAt,
                t.worstWhy, t.over.size(), t.moves)).toList());
        details(out, "intervals over 3 s, grouped by when they started (a group: starts within "
                + (int) OVER_GROUP_SECONDS + " s of its first)", byStart);
        details(out, "back-and-forth", tracks.stream().flatMap(t -> t.backAndForth.stream()).toList());
        details(out, "returns onto a bridge suspect only since the sample before", sampler.suspectOnlyAfter());
        details(out, "placements onto a faulted bridge", sampler.ontoFaulted());
        details(out, "slowest detections and faults not seen", detected.stream()
                .sorted(Comparator.comparingLong((Detection.Seen d) -> d.after() == null ? Long.MAX_VALUE
                        : d.after().toMillis()).reversed()).map(Detection.Seen::toString).toList());
        details(out, "stranded", stranded.stream().map(t -> t.id() + ": " + t.why).toList());
        details(out, "false alarms in the setup", setupFalseAlarms);
        details(out, "false alarms in the chaos", sampler.falseAlarms());
        if (leaksFirst != leaks) {
            details(out, "leaked endpoints at the first check", leaksFirst.leakedEndpoints);
            details(out, "leaked conferences at the first check", leaksFirst.leakedConferences);
        }
        details(out, "leaked endpoints" + (leaksFirst != leaks ? " at the last check" : ""), leaks.leakedEndpoints);
        details(out, "leaked conferences" + (leaksFirst != leaks ? " at the last check" : ""),
                leaks.leakedConferences);
        details(out, "focus disagrees", leaks.focusDisagrees);
        if (heapStart.histogram() != null && heapEnd.histogram() != null) {
            details(out, "live heap growth by class, chaos start -> end, top " + HEAP_TOP, HeapHistogram
                    .topGrowth(heapStart.histogram(), heapEnd.histogram(), HEAP_TOP).stream()
                    .map(HeapHistogram.Growth::toString).toList());
        }
        out.println("\nfocus process over the run (seconds from the chaos start):");
        out.println("  before the calls (bridges known): " + idle);
        proc.forEach(p -> out.println("  " + p));
        out.printf("%nDone in %.0f s; load average before %s, after %s%n", wallSeconds, loadBefore, loadAfter);
    }

    /** Each crash, hang and flap matched with the focus's log (empty when there is no log to read). */
    private List<Detection.Seen> detection() {
        if (focusLog == null) {
            return List.of();
        }
        try {
            return Detection.match(fleet.injected(), java.nio.file.Files.readAllLines(focusLog),
                    java.time.ZoneId.systemDefault());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("could not read the focus's log for the detection times: " + e);
            return List.of();
        }
    }

    private static String leaked(LeakCheck c) {
        return c.leakedEndpoints.size() + " / " + c.leakedConferences.size() + " (" + c.onResumedBridges
                + " endpoints on resumed hung bridges)";
    }

    private static String heapMb(HeapHistogram.Reading r) {
        return r.histogram() != null ? String.format("%.1f", r.histogram().totalMb())
                : "not available: " + r.failure();
    }

    private static String histogram(Map<Integer, Integer> h) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= 4; i++) {
            b.append(i == 0 ? "" : "/").append(h.getOrDefault(i, 0));
        }
        return b.toString();
    }

    private static void row(PrintStream out, String figure, String value, String goal) {
        out.printf("%-52s %s%s%n", figure, value, goal.isEmpty() ? "" : "   [goal " + goal + "]");
    }

    /** Intervals over the goal that started within this many seconds of a group's first are one group (one fault). */
    static final double OVER_GROUP_SECONDS = 2.0;

    /**
     * The intervals over the goal grouped by when they started, so that a run's figure can be read fault by fault: a
     * group is every interval that started within {@link #OVER_GROUP_SECONDS} of the group's first. One line per
     * group, the biggest groups first: when it started, how many, the worst and what was missing then.
     */
    static List<String> overByStart(List<ParticipantTrack.Over> over) {
        List<ParticipantTrack.Over> sorted = over.stream().sorted(Comparator.comparingDouble(ParticipantTrack.Over::at))
                .toList();
        List<List<ParticipantTrack.Over>> groups = new ArrayList<>();
        for (ParticipantTrack.Over o : sorted) {
            List<ParticipantTrack.Over> g = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (g == null || o.at() - g.get(0).at() > OVER_GROUP_SECONDS) {
                g = new ArrayList<>();
                groups.add(g);
            }
            g.add(o);
        }
        return groups.stream().sorted(Comparator.comparingInt((List<ParticipantTrack.Over> g) -> -g.size()))
                .map(g -> {
                    ParticipantTrack.Over w = g.stream().max(Comparator.comparingDouble(ParticipantTrack.Over::ms))
                            .orElseThrow();
                    return String.format("from %+.1f s: %d interval(s), worst %.0f ms (%s)", g.get(0).at(), g.size(),
                            w.ms(), w.why());
                }).toList();
    }

    private static void details(PrintStream out, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.printf("%n%s (%d%s):%n", title, lines.size(), lines.size() > LIST ? ", first " + LIST : "");
        lines.stream().limit(LIST).forEach(l -> out.println("  " + l));
    }
}
