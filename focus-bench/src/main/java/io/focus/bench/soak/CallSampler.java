package io.focus.bench.soak;

import io.focus.bench.call.CallViews;
import io.focus.bench.call.ModelBridgeView;
import io.focus.sim.bridge.BridgeEndpoint;
import io.focus.sim.bridge.ModelSnapshot;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Looks at every participant's call, every few hundred ms. A participant's call is complete when, as in
 * {@link CallViews}: its own view is complete ({@link CallViews#participantSide}: an accepted session whose remote
 * sources are exactly the other members' own), a running, joined (not hung, not crashed) bridge holds the endpoint
 * of that session connected with exactly its transport and sources ({@link ModelBridgeView#matches}), and that
 * bridge can forward it every other member's sources ({@link ModelSnapshot#expectedMedia}: media expected). Each
 * sample reads every bridge's model once, so all participants are judged on the same picture.
 *
 * <p>From the samples: each participant's incomplete intervals, its moves (the bridge holding its session's endpoint
 * changed), and placements: an endpoint that appears on a bridge it was not on in the previous sample. A placement
 * back onto a bridge the participant had been moved off, while the chaos still has that bridge faulted or the focus
 * does not list it as usable (operational, not suspect, not shutting down), is a back-and-forth move. For such a return
 * the focus's view is read again at once; a bridge it lists suspect only since after the previous sample (the pick
 * may predate the suspicion) is listed apart ({@link #suspectOnlyAfter}), not counted. Every
 * placement onto a bridge the chaos has faulted at that moment is listed with how long the fault had lasted and what
 * the focus said of the bridge.
 */
final class CallSampler {
    /** One endpoint on one bridge in this sample. */
    record Held(SimBridge bridge, ModelSnapshot model, String meetingId, BridgeEndpoint endpoint) {}

    /** Where a participant's session's endpoint is (null: nowhere) and why its call is incomplete (null: it is). */
    record Look(Held on, String why) {}

    private final List<ParticipantTrack> tracks;
    private final Fleet fleet;
    private final FocusView focus;
    private final Map<String, Set<String>> present = new HashMap<>();
    private long t0;
    private boolean measuring;
    /** False until the first measuring sample recorded which endpoints each bridge holds. */
    private boolean primed;
    private long lastSample;
    /** Wall-clock time of the sample before this one (the focus's {@code suspect-since} is wall-clock). */
    private Instant previousWall;
    private Instant wall;
    private long lastFocusRefresh;
    /** Returns onto a bridge the focus listed suspect only from after the previous sample (see {@link #placed}). */
    private final List<String> suspectOnlyAfter = new ArrayList<>();
    private final List<Double> gapsMs = new ArrayList<>();
    private int returnsAfterRecovery;
    private final Map<String, Boolean> operational = new HashMap<>();
    private final List<String> falseAlarms = new ArrayList<>();
    /** Placements onto a bridge the chaos had faulted then, in the order they were seen. */
    private final List<String> ontoFaulted = new ArrayList<>();
    private volatile int incompleteLast = -1;
    private volatile int movesSoFar;

    CallSampler(List<ParticipantTrack> tracks, Fleet fleet, FocusView focus) {
        this.tracks = tracks;
        this.fleet = fleet;
        this.focus = focus;
    }

    /** Null when every participant's call is complete, else the first one's problem (no bookkeeping). */
    String firstIncomplete() {
        Map<String, List<Held>> idx = index(fleet.running(), null);
        OwnSsrcs own = new OwnSsrcs();
        for (ParticipantTrack t : tracks) {
            String why = look(t, idx, own).why();
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** How many participants' calls are incomplete now (no bookkeeping). */
    int incompleteNow() {
        Map<String, List<Held>> idx = index(fleet.running(), null);
        OwnSsrcs own = new OwnSsrcs();
        return (int) tracks.stream().filter(t -> look(t, idx, own).why() != null).count();
    }

    /** From now on, samples count; {@code t0} is the chaos start. */
    void startMeasuring(long t0) {
        this.t0 = t0;
        this.measuring = true;
    }

    /** One sample (on the sampler thread). */
    void sample() {
        long now = System.nanoTime();
        if (lastSample != 0) {
            gapsMs.add((now - lastSample) / 1e6);
        }
        lastSample = now;
        previousWall = wall;
        wall = Instant.now();
        if (now - lastFocusRefresh > 1_000_000_000L) {
            focus.refresh();
            lastFocusRefresh = now;
            if (measuring) {
                falseAlarms(now);
            }
        }
        Map<String, Set<String>> nowPresent = new HashMap<>();
        Map<String, List<Held>> idx = index(fleet.running(), nowPresent);
        OwnSsrcs own = new OwnSsrcs();
        Map<String, ParticipantTrack> byId = new HashMap<>();
        int incomplete = 0;
        int moves = 0;
        for (ParticipantTrack t : tracks) {
            byId.put(t.id(), t);
            Look l = look(t, idx, own);
            if (l.on() != null) {
                String nick = l.on().bridge().nick();
                if (t.bridge != null && !t.bridge.equals(nick)) {
                    t.moves++;
                    t.movedOff.put(t.bridge, now);
                    if (primed) {
                        // also catches a return onto a stale endpoint of its own that never left the bridge
                        placed(t, nick, now);
                    }
                }
                t.bridge = nick;
            }
            t.sampled(l.why() == null, l.why(), now, t0);
            incomplete += l.why() == null ? 0 : 1;
            moves += t.moves;
        }
        incompleteLast = incomplete;
        movesSoFar = moves;
        if (primed) {
            nowPresent.forEach((nick, ids) -> {
                Set<String> before = present.getOrDefault(nick, Set.of());
                for (String id : ids) {
                    ParticipantTrack t = byId.get(id);
                    if (!before.contains(id) && t != null) {
                        placed(t, nick, now);
                    }
                }
            });
        }
        present.clear();
        present.putAll(nowPresent);
        primed = measuring;
    }

    /**
     * {@code t} placed on bridge {@code nick}: its endpoint appeared there, or its session moved there. Each stay on a
     * bridge is judged once (both signs come, a few samples apart).
     */
    private void placed(ParticipantTrack t, String nick, long now) {
        Long judged = t.judged.get(nick);
        Long off = t.movedOff.get(nick);
        if (judged != null && (off == null || judged > off)) {
            return;
        }
        t.judged.put(nick, now);
        Fleet.Fault f = fleet.currentFault(nick);
        String fault = f == null ? null : f.what();
        FocusView.Status s = focus.status(nick);
        boolean distrusted = s == null || !s.usable();
        if (f != null) {
            // the focus's view is read at most once a second (in a sample, after its 'now': never older than 0)
            long read = focus.readAt();
            ontoFaulted.add(String.format("%s onto %s at %+.1f s, %.1f s into its fault (chaos: %s; focus: %s, as "
                            + "read %s)", t.id(), nick, (now - t0) / 1e9, (now - f.since()) / 1e9, fault,
                    s == null ? "not listed" : s, read == 0 ? "never" : String.format("%.1f s before",
                            Math.max(0, now - read) / 1e9)));
        }
        if (off == null) {
            return;
        }
        if (fault == null && focus.readAt() < lastSample) {
            // a return onto a bridge the chaos has not faulted: what did the focus think of it? Read it now (once
            // per sample), not up to a second late
            focus.refresh();
            lastFocusRefresh = System.nanoTime();
            s = focus.status(nick);
            distrusted = s == null || !s.usable();
        }
        if (fault == null && s != null && s.operational() && !s.graceful() && !s.shuttingDown() && s.suspect()
                && (s.suspectSince() == null || previousWall == null || s.suspectSince().isAfter(previousWall))) {
            // suspect only since after the previous sample, when the endpoint was not there yet: the focus may have
            // picked the bridge before it became suspect (under load suspicion comes and goes every second)
            suspectOnlyAfter.add(String.format("%s back on %s at %+.1f s, %.1f s after it was moved off it (focus: %s; "
                    + "previous sample %s)", t.id(), nick, (now - t0) / 1e9, (now - off) / 1e9, s, previousWall));
            return;
        }
        if (fault != null || distrusted) {
            t.backAndForth.add(String.format("%s back on %s at %+.1f s, %.1f s after it was moved off it (chaos: %s; "
                            + "focus: %s)", t.id(), nick, (now - t0) / 1e9, (now - off) / 1e9,
                    fault == null ? "no fault" : fault, s == null ? "not listed" : s));
        } else {
            returnsAfterRecovery++;
        }
    }

    /** Participants whose call was incomplete in the last sample (-1 before the first); for other threads. */
    int incompleteLast() { return incompleteLast; }

    /** Moves counted up to the last sample; for other threads. */
    int movesSoFar() { return movesSoFar; }

    /**
     * Bridges the chaos never touched that the focus lists as not operational after it had listed them operational:
     * failed without a fault (e.g. health checks answered late on a starved machine).
     */
    private void falseAlarms(long now) {
        for (SimBridge b : fleet.running()) {
            FocusView.Status s = focus.status(b.nick());
            if (s == null || fleet.everFaulted(b.nick())) {
                continue;
            }
            Boolean before = operational.put(b.nick(), s.operational());
            if (Boolean.TRUE.equals(before) && !s.operational()) {
                falseAlarms.add(String.format("%s not operational at %+.1f s with no fault injected", b.nick(),
                        (now - t0) / 1e9));
            }
        }
    }

    /** See {@link #falseAlarms(long)}. */
    List<String> falseAlarms() { return falseAlarms; }

    /**
     * Placements onto a bridge while the chaos had it faulted, in the order seen: participant, bridge, seconds from
     * the chaos start, seconds since the fault began, the fault, and the focus's status of the bridge as last read.
     */
    List<String> ontoFaulted() { return ontoFaulted; }

    /**
     * Returns onto a bridge a participant had been moved off that the focus listed suspect, but only since after the
     * sample before the one that saw the return: not counted as back-and-forth (the pick may predate the suspicion).
     */
    List<String> suspectOnlyAfter() { return suspectOnlyAfter; }

    /** Placements back onto a bridge a participant had been moved off, once that bridge was healthy and usable. */
    int returnsAfterRecovery() { return returnsAfterRecovery; }

    /** Time between two samples, ms (how precise the intervals are). */
    List<Double> gapsMs() { return gapsMs; }

    /** At the end of the run: the participants still incomplete are stranded; their open intervals end now. */
    void closeOpen(long now) {
        for (ParticipantTrack t : tracks) {
            if (!t.complete()) {
                t.stranded = true;
                t.close(now, t0);
            }
        }
    }

    // ------------------------------------------------------------------ one picture of the bridges

    private static Map<String, List<Held>> index(List<SimBridge> bridges, Map<String, Set<String>> presence) {
        Map<String, List<Held>> idx = new HashMap<>();
        for (SimBridge b : bridges) {
            ModelSnapshot m = b.model();
            Set<String> here = new HashSet<>();
            m.endpointDetails().forEach((meetingId, endpoints) -> endpoints.forEach((id, e) -> {
                idx.computeIfAbsent(id, k -> new ArrayList<>()).add(new Held(b, m, meetingId, e));
                here.add(id);
            }));
            if (presence != null) {
                presence.put(b.nick(), here);
            }
        }
        return idx;
    }

    /**
     * Each participant's own SSRCs, computed once per sample (each is read by every member of its call); a
     * participant's own sources do not change while it is in the soak, and a sample judges one picture anyway.
     */
    static final class OwnSsrcs {
        private final Map<SimParticipant, Set<Long>> of = new IdentityHashMap<>();

        Set<Long> of(SimParticipant p) {
            return of.computeIfAbsent(p, q -> Collections.unmodifiableSet(q.ownSources().ssrcs()));
        }
    }

    static Look look(ParticipantTrack t, Map<String, List<Held>> idx, OwnSsrcs own) {
        SimParticipant p = t.participant;
        JingleSession s = p.session();
        Held on = null;
        if (s != null && s.localTransport() != null) {
            Set<Long> mine = own.of(p);
            for (Held h : idx.getOrDefault(t.id(), List.of())) {
                if (ModelBridgeView.matches(h.endpoint(), s.localTransport(), mine)) {
                    on = h;
                    break;
                }
            }
        }
        String why = CallViews.participantSide(p, t.call, null, own::of);
        if (why == null) {
            why = bridgeSide(t, on, idx, own);
        }
        return new Look(on, why);
    }

    private static String bridgeSide(ParticipantTrack t, Held on, Map<String, List<Held>> idx, OwnSsrcs own) {
        if (on == null) {
            List<String> seen = new ArrayList<>();
            for (Held h : idx.getOrDefault(t.id(), List.of())) {
                BridgeEndpoint e = h.endpoint();
                seen.add(h.bridge().nick() + (!e.connected() ? " without its transport"
                        : !e.ssrcs().equals(own.of(t.participant)) ? " with other sources"
                        : " with an older transport"));
            }
            return t.id() + ": no bridge holds its session's endpoint with its transport and sources"
                    + (seen.isEmpty() ? "" : " (held by " + String.join(", ", seen) + ")");
        }
        SimBridge b = on.bridge();
        if (b.state() != SimBridge.State.JOINED) {
            return t.id() + ": its bridge " + b.nick() + " is " + b.state();
        }
        Map<String, Set<Long>> expected = new TreeMap<>();
        for (SimParticipant q : t.call) {
            if (q != t.participant) {
                expected.put(q.endpointId(), own.of(q));
            }
        }
        if (!on.model().expectedMedia(on.meetingId(), t.id(), expected)) {
            return t.id() + ": " + b.nick() + " cannot forward it the media of "
                    + on.model().missingMedia(on.meetingId(), t.id(), expected).keySet();
        }
        return null;
    }
}
