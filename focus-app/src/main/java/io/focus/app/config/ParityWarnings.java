package io.focus.app.config;

import com.typesafe.config.Config;
import io.focus.selection.VisitorFallback;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Jicofo operator's configuration asks for that the focus does not do as asked, one warning each, logged at
 * start-up (and on reload) and printed by {@code --check-config}: keys nobody reads ({@link UnknownKeys}, with a
 * suggestion), Jicofo settings for what the focus does not support ({@link UnsupportedJicofoKeys}: Jibri, Jigasi,
 * visitors...), and Jicofo's {@code VisitorSelectionStrategy} with the strategy used instead ({@link VisitorFallback}).
 */
final class ParityWarnings {
    private ParityWarnings() {}

    /** The warnings for a merged, validated configuration. */
    static List<String> of(Config resolved) {
        return of(resolved, KnownKeys.standard());
    }

    static List<String> of(Config resolved, KnownKeys known) {
        List<String> out = new ArrayList<>(UnknownKeys.warnings(resolved, known));
        out.addAll(UnsupportedJicofoKeys.warnings(resolved));
        VisitorFallback.warning(resolved).ifPresent(out::add);
        return out;
    }
}
