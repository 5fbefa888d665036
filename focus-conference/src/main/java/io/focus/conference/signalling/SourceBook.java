package io.focus.conference.signalling;

import io.focus.core.jingle.ConferenceSources;
import io.focus.core.jingle.EndpointSources;
import java.util.Map;

/**
 * The sources of one conference's participants as the focus last accepted them (from each one's
 * {@code session-accept}, {@code source-add} and {@code source-remove}), and what each receiver should know of them.
 *
 * <p>A participant's sources stay in the book while it is being moved to another bridge: they leave it only when the
 * participant leaves, is taken off its bridge for good, or is not re-placed in time (see
 * {@link JingleSignaller#onMoving}). Control thread only.
 */
final class SourceBook {
    private final boolean stripSimulcast;
    private ConferenceSources accepted = ConferenceSources.EMPTY;

    /** @param stripSimulcast receivers are told only the first simulcast layer ({@code strip-simulcast}) */
    SourceBook(boolean stripSimulcast) {
        this.stripSimulcast = stripSimulcast;
    }

    /** Every participant's accepted sources, by endpoint id. */
    ConferenceSources all() { return accepted; }

    /** The participant's accepted sources ({@link EndpointSources#EMPTY} if none). */
    EndpointSources of(String id) { return accepted.get(id); }

    /** Replaces the book (the result of validating a change against {@link #all()}). */
    void set(ConferenceSources after) { accepted = after; }

    /** Forgets the participant's sources; true when it had any (the others must be told). */
    boolean drop(String id) {
        if (accepted.get(id).isEmpty()) {
            return false;
        }
        accepted = accepted.without(id);
        return true;
    }

    /** What {@code receiver} should know: every other participant's accepted sources. */
    ConferenceSources viewFor(String receiver) {
        ConferenceSources out = ConferenceSources.EMPTY;
        for (Map.Entry<String, EndpointSources> e : accepted.byOwner().entrySet()) {
            if (!e.getKey().equals(receiver)) {
                out = out.with(e.getKey(), stripSimulcast ? e.getValue().stripSimulcast() : e.getValue());
            }
        }
        return out;
    }
}
