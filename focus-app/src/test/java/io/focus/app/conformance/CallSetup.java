package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.sim.prosody.ProsodyServer;
import io.focus.sim.xml.Xml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/** Plays the start of a recorded call (sequence a or b) against the focus, in the recorded order of joins. */
final class CallSetup {
    private CallSetup() { }

    /** Sequence a: both bridges in the brewery, default selection; client2 joins first, then client1 and client3. */
    static ReplayedCall sequenceA(ProsodyServer server, Path dir, RecordedSequence a) throws Exception {
        return start(server, dir, a, List.of("jvb1", "jvb2"), List.of(a), "", List.of("client2", "client1", "client3"));
    }

    /**
     * Starts {@code bridges} (answering from {@code bridgeSources}) and the focus with {@code extraConfig}, plays the
     * clients of {@code setup} in {@code joinOrder} and waits until the call has settled.
     */
    static ReplayedCall start(ProsodyServer server, Path dir, RecordedSequence setup, List<String> bridges,
            List<RecordedSequence> bridgeSources, String extraConfig, List<String> joinOrder) throws Exception {
        ReplayedCall call = new ReplayedCall(server);
        try {
            // The first bridge is there when the focus starts; each other one joins once the focus knows the one
            // before: bridges of equal stress are then in the same order in the focus as in Jicofo's recording
            // (Prosody lists a room's occupants in no fixed order), so a tie between them is broken the same way
            call.bridge(bridges.get(0), bridgeSources);
            call.startFocus(dir, extraConfig);
            call.awaitSeen(bridges.get(0));
            for (String b : bridges.subList(1, bridges.size())) {
                call.lateBridge(b, bridgeSources);
            }
            play(call, setup, joinOrder);
            CallConformanceTest.awaitSettled(call, Duration.ofSeconds(40));
            return call;
        } catch (Throwable t) {
            call.close();
            throw t;
        }
    }

    /**
     * Waits (bounded, polling) for {@code condition}; false when it did not come true in time, so that the report
     * names what is missing instead of a timeout ending the test.
     */
    static boolean waitFor(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(timeout).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** The bridge whose Colibri2 requests created {@code client}'s endpoint last (where it is now), or null. */
    static String bridgeOf(ReplayedCall call, String client) {
        String nick = call.clients.get(client).nick();
        String found = null;
        for (ReplayBridge b : call.bridges.values()) {
            if (ColibriPieces.of(b.colibriRequests()).containsKey("endpoint:" + nick + ":create")) {
                found = b.name();
            }
        }
        return found;
    }

    /** Asks for the conference as each client did, then joins in {@code joinOrder} (the first waits to be owner). */
    static void play(ReplayedCall call, RecordedSequence seq, List<String> joinOrder) {
        for (String c : List.of("client1", "client2", "client3")) {
            call.client(c, seq);
        }
        for (String c : joinOrder) {
            call.clients.get(c).requestConference();
            call.clients.get(c).joinRoom();
            if (c.equals(joinOrder.get(0))) {
                await(c + " is granted ownership").atMost(Duration.ofSeconds(20)).until(() -> call.sentToMuc.stream()
                        .anyMatch(CallComparisons.query("http://jabber.org/protocol/muc#admin", q -> true)));
            }
        }
    }

    /** Endpoint id → client name, for readable roles. */
    static Map<String, String> names(ReplayedCall call) {
        Map<String, String> m = new LinkedHashMap<>();
        call.clients.values().forEach(c -> m.put(c.nick(), c.name()));
        return m;
    }

    /** The focus's ready='true' conference reply to each client vs Jicofo's ready='true' reply to it. */
    static void conferenceReplies(ReplayedCall call, RecordedSequence seq, CallComparisons cmp, Map<String, Integer> readySteps) {
        readySteps.forEach((client, step) -> {
            Element ours = call.clients.get(client).received().stream()
                    .filter(s -> "iq".equals(s.getLocalName()) && "result".equals(s.getAttribute("type")))
                    .filter(s -> Xml.child(s, "conference").filter(c -> "true".equals(c.getAttribute("ready"))).isPresent())
                    .findFirst().orElse(null);
            cmp.report.compare("conference reply ready=true to " + client, seq.step(step).file(),
                    cmp.normalised(seq.step(step).deliveredXml()), ours == null ? null : cmp.normalised(ours));
        });
        cmp.report.allowed(AllowedDifference.FIRST_REPLY_READY, "conference replies");
    }
}
