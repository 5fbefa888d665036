package io.focus.bench.soak;

import io.focus.bench.e2e.FocusRest;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After the run: what the bridges still hold that belongs to no participant where it is now (leaked endpoints: a
 * stale endpoint of a participant that moved on, or of nobody; leaked conferences: a conference on a bridge with no
 * endpoint of a current participant in it), and whether the focus's own placements ({@code GET /conferences})
 * agree with where each participant's session actually is.
 */
final class LeakCheck {
    final List<String> leakedEndpoints = new ArrayList<>();
    /** Of those, on a bridge that was hung at some point and came back (it could not hear the expiry then). */
    int onResumedBridges;
    final List<String> leakedConferences = new ArrayList<>();
    /** Participants the focus places on another bridge than the one holding their session, or on none. */
    final List<String> focusDisagrees = new ArrayList<>();
    /** Conferences the focus lists, or -1 when it did not answer. */
    int focusConferences = -1;

    /** Whether any endpoint or conference leaked (the focus's disagreeing placements aside). */
    boolean leaked() {
        return !leakedEndpoints.isEmpty() || !leakedConferences.isEmpty();
    }

    static LeakCheck run(List<ParticipantTrack> tracks, Fleet fleet, FocusRest rest) {
        LeakCheck c = new LeakCheck();
        Map<String, ParticipantTrack> byId = new HashMap<>();
        tracks.forEach(t -> byId.put(t.id(), t));
        for (SimBridge b : fleet.running()) {
            for (ConferenceState conf : b.model().conferences().values()) {
                int belonging = 0;
                for (String id : conf.endpoints()) {
                    ParticipantTrack t = byId.get(id);
                    if (t != null && b.nick().equals(t.bridge)
                            && (conf.name() == null || conf.name().equalsIgnoreCase(t.room))) {
                        belonging++;
                        continue;
                    }
                    c.leakedEndpoints.add(b.nick() + ": " + id + (t == null ? " (no such participant)"
                            : " (its participant is on " + t.bridge + ")") + (fleet.everHung(b.nick())
                            ? ", bridge was hung and resumed" : ""));
                    if (fleet.everHung(b.nick())) {
                        c.onResumedBridges++;
                    }
                }
                if (belonging == 0) {
                    c.leakedConferences.add(b.nick() + ": " + conf.name() + " (" + conf.endpoints().size()
                            + " endpoints, " + conf.relays().size() + " relays)");
                }
            }
        }
        Map<String, Map<String, String>> placements = rest.placements();
        if (placements != null) {
            c.focusConferences = placements.size();
            Map<String, String> focusBridge = new HashMap<>();
            placements.values().forEach(focusBridge::putAll);
            for (ParticipantTrack t : tracks) {
                String f = focusBridge.get(t.id());
                if (f == null || !f.equals(t.bridge)) {
                    c.focusDisagrees.add(t.id() + ": focus says " + f + ", its session is on " + t.bridge);
                }
            }
        }
        return c;
    }
}
