package io.focus.bench.soak;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How soon the focus noticed each crash, hang and health flap the chaos injected: from the fault to the first line of
 * the focus's log that took the bridge out of use, "Bridge bX (...) failed: ..." (health checks, probes) or "Removed
 * bridge bX (...)" (it left the brewery). Graceful shutdowns are left out (the bridge says so itself). A fault with no
 * such line within {@link #WITHIN} (a flap or hang undone first, a replaced bridge) is "not seen".
 */
final class Detection {
    /** A fault as the chaos injected it: the bridge's nick, what ({@code kill}, {@code crash}, {@code hang}, ...), when. */
    record Fault(String nick, String what, Instant at) {}

    /** A fault and how soon the focus took the bridge out of use (null: not seen), with the focus's words. */
    record Seen(Fault fault, Duration after, String line) {
        @Override
        public String toString() {
            return String.format("%s of %s: %s", fault.what(), fault.nick(), after == null ? "not seen"
                    : String.format("%d ms (%s)", after.toMillis(), line));
        }
    }

    /** Faults the focus is expected to notice; a graceful shutdown is announced, not detected. */
    static boolean detectable(String what) {
        return !what.startsWith("graceful");
    }

    static final Duration WITHIN = Duration.ofSeconds(60);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern OUT_OF_USE = Pattern.compile(
            "^(\\S+ \\S+)\\s+\\w+\\s+\\[[^\\]]*\\]\\s+\\S+: (?:Bridge (\\S+) \\(.*?\\) failed: (.*)|Removed bridge (\\S+) "
                    + "\\(.*?\\)(.*))$");

    private record Line(Instant at, String nick, String what) {}

    /**
     * Matches each detectable fault with the first line for its bridge at or after it (log times have milliseconds:
     * a line up to 1 ms before the fault counts); {@code zone} is the focus's (its log's times are local).
     */
    static List<Seen> match(List<Fault> faults, List<String> focusLog, ZoneId zone) {
        List<Line> lines = new ArrayList<>();
        for (String l : focusLog) {
            Matcher m = OUT_OF_USE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            Instant at;
            try {
                at = LocalDateTime.parse(m.group(1), TIME).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                continue;
            }
            lines.add(m.group(2) != null ? new Line(at, m.group(2), "failed: " + m.group(3))
                    : new Line(at, m.group(4), "removed" + m.group(5)));
        }
        List<Seen> out = new ArrayList<>();
        for (Fault f : faults) {
            if (!detectable(f.what())) {
                continue;
            }
            Instant from = f.at().minusMillis(1);
            Line first = lines.stream()
                    .filter(l -> l.nick().equals(f.nick()) && !l.at().isBefore(from)
                            && l.at().isBefore(f.at().plus(WITHIN)))
                    .min(Comparator.comparing(Line::at)).orElse(null);
            out.add(first == null ? new Seen(f, null, null) : new Seen(f, Duration.between(f.at(), first.at())
                    .isNegative() ? Duration.ZERO : Duration.between(f.at(), first.at()), first.what()));
        }
        return out;
    }
}
