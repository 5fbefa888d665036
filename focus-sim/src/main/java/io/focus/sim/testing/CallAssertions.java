package io.focus.sim.testing;

import io.focus.sim.bridge.BridgeEndpoint;
import io.focus.sim.bridge.BridgeRelay;
import io.focus.sim.bridge.ConferenceState;
import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.IceTransport;
import io.focus.sim.participant.JingleSession;
import io.focus.sim.participant.SimParticipant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;

/**
 * Asserts a call at its FAR END: what each simulated participant sees and what each simulated bridge received, not
 * what the focus sent. A call is described by where each participant should be ({@link #on}) and which other bridges
 * must hold nothing of it ({@link #andNothingOn}); {@link #problems()} lists, one line each, which participant or
 * bridge lacks what, and {@link #await()} waits (Awaitility) until there is none, failing with that list.
 *
 * <p>What a complete call is:
 * <ul>
 * <li>every participant has a Jingle session the focus accepted and sees exactly the other participants' own SSRCs
 *     ({@link SimParticipant#callComplete}): a leaver or a moved-away participant is gone from everyone's view;</li>
 * <li>on the bridge it is placed on, its endpoint is {@link BridgeEndpoint#connected() connected} with the transport of
 *     its current Jingle session (ufrag, pwd, fingerprint with hash and setup: after a move or an ICE restart the
 *     bridge must have the new one), holds exactly its own SSRCs, and can receive every other participant's SSRCs
 *     ({@link SimBridge#missingMedia}: from local endpoints or over a relay);</li>
 * <li>between every two bridges in use the relay is connected both ways ({@link SimBridge#relayConnected}) and
 *     each side's relay announces exactly the participants of the other side with their own SSRCs;</li>
 * <li>no live bridge of the call, nor any bridge given to {@link #andNothingOn}, holds an endpoint of the conference
 *     that is not placed on it (a leaver's or a moved participant's endpoint is expired), a relay towards a bridge
 *     the call no longer uses, or a second conference with the call's name (one a focus made and never expired).
 *     Bridges that are not {@link SimBridge.State#JOINED} (crashed, stopped) are skipped: a dead bridge's leftovers
 *     are nobody's business.</li>
 * </ul>
 *
 * <p>{@code conference} is the room JID (the name the focus gives the bridge's conference) or a meeting-id.
 * It lives with the simulators so that every module's tests (focus-core's integration tests, focus-app's end-to-end
 * tests) use the one copy.
 */
public final class CallAssertions {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final String conference;
    private final Map<SimParticipant, SimBridge> placement = new LinkedHashMap<>();
    private final Set<SimBridge> idle = new LinkedHashSet<>();

    private CallAssertions(String conference) {
        this.conference = Objects.requireNonNull(conference);
    }

    /** A call in {@code conference} (room JID or meeting-id), with nobody placed yet. */
    public static CallAssertions call(String conference) {
        return new CallAssertions(conference);
    }

    /** {@code participants} are in the call, each on {@code bridge}. */
    public CallAssertions on(SimBridge bridge, SimParticipant... participants) {
        return on(bridge, List.of(participants));
    }

    /** {@code participants} are in the call, each on {@code bridge}. */
    public CallAssertions on(SimBridge bridge, Collection<SimParticipant> participants) {
        participants.forEach(p -> placement.put(p, Objects.requireNonNull(bridge)));
        return this;
    }

    /** These bridges, when alive, must hold no endpoint and no relay of the conference (e.g. a bridge moved off). */
    public CallAssertions andNothingOn(SimBridge... bridges) {
        idle.addAll(List.of(bridges));
        return this;
    }

    /** Waits up to {@link #WAIT} until the call is complete at both ends; fails with {@link #problems()}. */
    public void await() {
        await(WAIT);
    }

    /** Waits up to {@code atMost} until the call is complete at both ends; fails with {@link #problems()}. */
    public void await(Duration atMost) {
        org.awaitility.Awaitility.await("call " + conference + " complete at the far end").atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    List<String> p = problems();
                    if (!p.isEmpty()) {
                        Assertions.fail("call " + conference + " " + describe() + ":\n  " + String.join("\n  ", p));
                    }
                });
    }

    /** Whether the call is complete at both ends now. */
    public boolean complete() {
        return problems().isEmpty();
    }

    /** What keeps the call from being complete, one line per participant or bridge and what it lacks. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        Collection<SimParticipant> all = placement.keySet();
        for (SimParticipant p : all) {
            out.addAll(p.callProblems(all));
        }
        Map<SimBridge, Map<String, Set<Long>>> byBridge = new LinkedHashMap<>();
        placement.forEach((p, b) -> byBridge.computeIfAbsent(b, k -> new TreeMap<>())
                .put(p.endpointId(), p.ownSources().ssrcs()));
        placement.forEach((p, b) -> endpointProblems(p, b, out));
        for (SimBridge a : byBridge.keySet()) {
            for (SimBridge b : byBridge.keySet()) {
                if (a != b) {
                    relayProblems(a, b, byBridge.get(b), out);
                }
            }
        }
        Set<SimBridge> checked = new LinkedHashSet<>(byBridge.keySet());
        checked.addAll(idle);
        for (SimBridge b : checked) {
            if (b.state() == SimBridge.State.JOINED) {
                leftoverProblems(b, byBridge.getOrDefault(b, Map.of()).keySet(), byBridge.keySet(), out);
            }
        }
        return out;
    }

    private void endpointProblems(SimParticipant p, SimBridge b, List<String> out) {
        String id = p.endpointId();
        BridgeEndpoint e = b.endpoint(conference, id).orElse(null);
        if (e == null) {
            out.add(b.nick() + ": has no endpoint " + id + " (" + b.state() + ", endpoints " + b.model().endpoints()
                    + ")");
            return;
        }
        if (!e.connected()) {
            out.add(b.nick() + ": endpoint " + id + " is not connected (ufrag=" + e.ufrag() + ", pwd="
                    + (e.pwd() == null ? "null" : "set") + ", fingerprint=" + e.fingerprint() + ")");
        }
        JingleSession s = p.session();
        IceTransport local = s == null ? null : s.localTransport();
        if (local != null && e.connected()) {
            String has = transport(e.ufrag(), e.pwd(), e.fingerprint(), e.hash(), e.setup());
            String sent = transport(local.ufrag(), local.pwd(), local.fingerprint(), local.hash(), local.setup());
            if (!has.equals(sent)) {
                out.add(b.nick() + ": endpoint " + id + " has transport " + has + ", but " + id + "'s session "
                        + s.sid() + " answered " + sent);
            }
        }
        Set<Long> own = p.ownSources().ssrcs();
        if (!e.ssrcs().equals(own)) {
            out.add(b.nick() + ": endpoint " + id + " holds SSRCs " + new TreeSet<>(e.ssrcs()) + ", " + id
                    + " sends " + new TreeSet<>(own));
        }
        Map<String, Set<Long>> expected = new TreeMap<>();
        placement.keySet().stream().filter(o -> o != p).forEach(o -> expected.put(o.endpointId(), o.ownSources().ssrcs()));
        Map<String, Set<Long>> missing = b.missingMedia(conference, id, expected);
        if (!missing.isEmpty()) {
            out.add(b.nick() + ": " + id + " cannot receive " + new TreeMap<>(missing) + " there");
        }
    }

    /** {@code a}'s relay towards {@code b} must be connected (both ways) and announce exactly {@code onB}. */
    private void relayProblems(SimBridge a, SimBridge b, Map<String, Set<Long>> onB, List<String> out) {
        BridgeRelay r = a.relay(conference, b.relayId()).orElse(null);
        if (r == null) {
            out.add(a.nick() + ": has no relay towards " + b.nick() + " (" + b.relayId() + ")");
            return;
        }
        if (!r.transportReceived()) {
            out.add(a.nick() + ": relay towards " + b.nick() + " never received " + b.nick()
                    + "'s transport (not connected)");
        }
        if (!r.endpoints().equals(onB)) {
            out.add(a.nick() + ": relay towards " + b.nick() + " announces " + new TreeMap<>(r.endpoints()) + ", "
                    + b.nick() + " holds " + onB);
        }
    }

    /**
     * A live bridge holds nothing of the conference beyond {@code placed} and relays towards {@code used}, and no more
     * than one conference with the call's name (another one is left over: a leak).
     */
    private void leftoverProblems(SimBridge b, Set<String> placed, Set<SimBridge> used, List<String> out) {
        Set<String> relayIds = new TreeSet<>();
        used.stream().filter(u -> u != b).forEach(u -> relayIds.add(u.relayId()));
        List<String> named = b.model().conferences().values().stream().filter(c -> conference.equals(c.name()))
                .map(ConferenceState::meetingId).sorted().toList();
        if (named.size() > 1) {
            out.add(b.nick() + ": holds " + named.size() + " conferences named " + conference + " (meeting ids "
                    + named + "): all but one are left over");
        }
        for (ConferenceState c : b.model().conferences().values()) {
            if (!conference.equals(c.meetingId()) && !conference.equals(c.name())) {
                continue;
            }
            Set<String> extra = new TreeSet<>(c.endpoints());
            extra.removeAll(placed);
            if (!extra.isEmpty()) {
                out.add(b.nick() + ": still has endpoint(s) " + extra + " (left or moved away: never expired)");
            }
            Set<String> extraRelays = new TreeSet<>(c.relays().keySet());
            extraRelays.removeAll(relayIds);
            if (!extraRelays.isEmpty()) {
                out.add(b.nick() + ": still has relay(s) towards " + extraRelays + " the call no longer uses");
            }
        }
    }

    private static String transport(String ufrag, String pwd, String fingerprint, String hash, String setup) {
        return "[ufrag=" + ufrag + " pwd=" + pwd + " " + hash + " " + fingerprint + " setup=" + setup + "]";
    }

    private String describe() {
        Map<String, List<String>> m = new TreeMap<>();
        placement.forEach((p, b) -> m.computeIfAbsent(b.nick(), k -> new ArrayList<>()).add(p.endpointId()));
        List<String> nothing = idle.stream().map(SimBridge::nick).toList();
        return m + (nothing.isEmpty() ? "" : ", nothing on " + nothing);
    }
}
