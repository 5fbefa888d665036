package io.focus.app.config;

import java.util.Collection;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean": the known key closest to a key nobody reads.
 *
 * <p>Two tries, in this order:
 * <ol>
 *   <li>a typo: the smallest Levenshtein distance over the whole key ({@code jicofo.bridge.helth-checks} →
 *       {@code jicofo.bridge.health-checks}), accepted up to a third of the length of the key's last segment (at least
 *       2), so only a near miss is suggested;</li>
 *   <li>a key in the wrong place: the one known key with the same last segment under another parent
 *       ({@code jicofo.health-checks} → {@code jicofo.bridge.health-checks}); none when several keys share it
 *       ({@code enabled}, {@code interval}).</li>
 * </ol>
 * Ties go to the key that sorts first, so the suggestion is the same on every run.
 */
final class KeySuggestion {
    private KeySuggestion() {}

    /**
     * @param unknown the key nobody reads
     * @param known the keys that are read (for HOCON: leaf keys and the objects above them)
     * @param separator the segment separator ({@code '.'} for both HOCON and legacy properties)
     */
    static Optional<String> closest(String unknown, Collection<String> known, char separator) {
        String last = lastSegment(unknown, separator);
        int limit = Math.max(2, last.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (k.equals(unknown)) {
                continue;
            }
            int d = distance.apply(unknown, k);
            if (d >= 0 && (d < bestDistance || (d == bestDistance && k.compareTo(best) < 0))) {
                best = k;
                bestDistance = d;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        for (String k : known) {
            if (!k.equals(unknown) && k.indexOf(separator) >= 0 && lastSegment(k, separator).equals(last)) {
                if (best != null) {
                    return Optional.empty(); // a common name (enabled, interval...): no telling which was meant
                }
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    static String lastSegment(String key, char separator) {
        int i = key.lastIndexOf(separator);
        return i < 0 ? key : key.substring(i + 1);
    }

    /** {@code "; did you mean X?"}, or the empty string. */
    static String didYouMean(String unknown, Collection<String> known, char separator) {
        return closest(unknown, known, separator).map(k -> "; did you mean " + k + "?").orElse("");
    }
}
