package io.focus.bench.soak;

import io.focus.sim.participant.SimParticipant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sampler learnt about one participant during the chaos: when its call was incomplete, which bridges
 * carried its media and when it was moved off them, and the moves back onto a bridge while that bridge was faulted
 * or distrusted. Touched by the sampler thread only (read for the report once the sampler stopped).
 */
final class ParticipantTrack {
    final SimParticipant participant;
    /** Every member of its call, itself included. */
    final List<SimParticipant> call;
    final String room;

    /** The bridge holding the endpoint of its current session (null before the first sample found one). */
    String bridge;
    int moves;
    /** Bridge nick → when the participant was moved off it ({@link System#nanoTime()}). */
    final Map<String, Long> movedOff = new HashMap<>();
    /** Bridge nick → when its latest placement there was judged (see CallSampler#placed). */
    final Map<String, Long> judged = new HashMap<>();
    /** Moves back onto a bridge it had been moved off, while that bridge was faulted or the focus distrusted it. */
    final List<String> backAndForth = new ArrayList<>();

    /** Since when its call has been incomplete ({@link System#nanoTime()}), 0 while complete. */
    long incompleteSince;
    /** What was missing at the start of the current incomplete interval. */
    String why;
    /** Lengths of its finished incomplete intervals, ms. */
    final List<Double> incompleteMs = new ArrayList<>();
    /** The longest interval and when it started (seconds since the chaos started). */
    double worstMs;
    double worstAt;
    String worstWhy;
    /** Its finished intervals over the 3 s goal, in the order they ended. */
    final List<Over> over = new ArrayList<>();
    /** Its call was still incomplete at the end of the settle period. */
    boolean stranded;

    ParticipantTrack(SimParticipant participant, List<SimParticipant> call, String room) {
        this.participant = participant;
        this.call = call;
        this.room = room;
    }

    String id() {
        return participant.endpointId();
    }

    boolean complete() {
        return incompleteSince == 0;
    }

    /**
     * One incomplete interval over the goal.
     *
     * @param at  when it started, seconds since the chaos started
     * @param ms  how long it lasted
     * @param why what was missing when it started (it names the participant)
     */
    record Over(double at, double ms, String why) {
    }

    void sampled(boolean complete, String whyNot, long now, long t0) {
        if (!complete && incompleteSince == 0) {
            incompleteSince = now;
            why = whyNot;
        } else if (complete && incompleteSince != 0) {
            close(now, t0);
        }
    }

    /** Ends the current incomplete interval at {@code now} (also for one still open at the end of the run). */
    void close(long now, long t0) {
        double ms = (now - incompleteSince) / 1e6;
        incompleteMs.add(ms);
        if (ms > SoakReport.INCOMPLETE_GOAL_MS) {
            over.add(new Over((incompleteSince - t0) / 1e9, ms, why));
        }
        if (ms > worstMs) {
            worstMs = ms;
            worstAt = (incompleteSince - t0) / 1e9;
            worstWhy = why;
        }
        incompleteSince = 0;
    }
}
