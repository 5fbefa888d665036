package io.focus.bench.call;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * "Every participant's view is complete": each participant has an accepted Jingle session (a new one, when it had
 * another before) whose remote sources are exactly the other participants' own sources (besides the bridge's own,
 * owner {@code jvb}), and a live bridge holds it
 * as an endpoint with its transport (ufrag/pwd/fingerprint of that session's answer) and its sources
 * ({@link BridgeSideView}).
 */
public final class CallViews {
    /** The owner of the bridge's own sources in an offer (Jicofo and the focus send them), not a participant's. */
    static final String BRIDGE_OWNER = "jvb";

    private final BridgeSideView bridgeSide;

    CallViews(BridgeSideView bridgeSide) {
        this.bridgeSide = bridgeSide;
    }

    BridgeSideView bridgeSide() { return bridgeSide; }

    /**
     * Null when complete, else what is missing first (for the printout of a run that does not complete).
     *
     * @param oldSids each participant's session id before the fault (its view counts only on a new session), or
     *                empty
     */
    String incomplete(List<SimParticipant> call, Collection<SimBridge> live, Map<SimParticipant, String> oldSids) {
        for (SimParticipant p : call) {
            String why = participantSide(p, call, oldSids.get(p));
            if (why != null) {
                return why;
            }
        }
        for (SimParticipant p : call) {
            JingleSession s = p.session();
            Set<Long> own = p.ownSources().ssrcs();
            boolean ok = false;
            for (SimBridge b : live) {
                if (bridgeSide.endpointComplete(b, p.endpointId(), s.localTransport(), own)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                return p.endpointId() + ": no live bridge has its transport and sources";
            }
        }
        return null;
    }

    /** Null when every participant has a new session (sid not the old one) offered to it, accepted or not. */
    static String notResignalled(List<SimParticipant> call, Map<SimParticipant, String> oldSids) {
        for (SimParticipant p : call) {
            JingleSession s = p.session();
            if (s == null || s.sid().equals(oldSids.get(p))) {
                return p.endpointId() + ": no new session-initiate";
            }
        }
        return null;
    }

    /**
     * The participant half of a complete view, for one participant: null when {@code p} has an accepted session
     * (not {@code oldSid}; null = any) whose remote sources are exactly the other members' of {@code call}, else
     * what is missing.
     */
    public static String participantSide(SimParticipant p, List<SimParticipant> call, String oldSid) {
        return participantSide(p, call, oldSid, q -> q.ownSources().ssrcs());
    }

    /**
     * {@link #participantSide(SimParticipant, List, String)} with each member's own SSRCs read through
     * {@code ownSsrcs}: a caller judging many participants on one picture computes each member's once.
     */
    public static String participantSide(SimParticipant p, List<SimParticipant> call, String oldSid,
                                         Function<SimParticipant, Set<Long>> ownSsrcs) {
        JingleSession s = p.session();
        if (s == null || !s.accepted()) {
            return p.endpointId() + ": no accepted session";
        }
        if (s.sid().equals(oldSid)) {
            return p.endpointId() + ": still on its old session";
        }
        Map<String, Set<Long>> expected = new TreeMap<>();
        for (SimParticipant q : call) {
            if (q != p) {
                expected.put(q.endpointId(), ownSsrcs.apply(q));
            }
        }
        Map<String, Set<Long>> seen = new TreeMap<>();
        p.remoteSources().forEach((owner, ssrcs) -> {
            if (!ssrcs.isEmpty() && !owner.equals(BRIDGE_OWNER)) {
                seen.put(owner, ssrcs);
            }
        });
        if (!seen.equals(expected)) {
            return p.endpointId() + ": remote sources " + seen.keySet() + " instead of " + expected.keySet();
        }
        return null;
    }
}
