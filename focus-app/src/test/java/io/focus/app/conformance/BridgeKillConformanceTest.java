package io.focus.app.conformance;

import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.Xml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

/**
 * Sequence d of the recorded real calls (the bridge carrying the call is killed, and the move), on sequence a's call
 * set-up lined up with d's clients ({@link LinedUp}) on jvb1; jvb2 joins the brewery once the call is up. The replayed
 * jvb1 then drops its TCP connection without a word ({@link ReplayBridge#kill()}); the test Prosody has no stream
 * management, so it ends the session at once and the brewery sends the focus jvb1's unavailable presence (Jicofo got
 * the same leave 16 s later, with status 333 after Prosody's hibernation, d-007). Compared by role with Jicofo: what
 * went to the dead bridge (d-008, {@link AllowedDifference#NO_EXPIRE_TO_DEPARTED_BRIDGE}), the session-terminate "moving" to every participant (d-013, d-017,
 * d-018), the conference and endpoint creates on jvb2 (d-014, d-021, d-022), the new session-initiates (d-028,
 * d-034, d-038), the endpoint updates with the exact transports and SSRCs of the clients' second session-accepts
 * (d-032/d-030, d-041/d-040, d-047/d-046) and the sources each client ends up with.
 */
@RequiresRealCalls
class BridgeKillConformanceTest {
    private static final List<String> CLIENTS = List.of("client1", "client2", "client3");

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final ReplayFixture replay = new ReplayFixture(prosody);

    /** The call under test, for the helpers below (closed by {@link #replay}). */
    ReplayedCall call;

    @Test
    void moveOffAKilledBridgeMatchesJicofo() throws Exception {
        RecordedSequence d = RecordedSequence.load("d");
        RecordedSequence setup = LinedUp.setupFor(d, Map.of("client1", "client1", "client2", "client2",
                "client3", "client3"));
        call = replay.start(setup, List.of("jvb1"), List.of(setup), "",
                List.of("client2", "client1", "client3"));
        call.lateBridge("jvb2", List.of(setup, d));
        Map<String, Integer> accepts = Map.of("client2", 30, "client1", 40, "client3", 46);
        accepts.forEach((c, step) -> call.clients.get(c).queueAccepts(List.of(d.step(step).wire())));
        Map<String, Integer> mark = new java.util.HashMap<>();
        CLIENTS.forEach(c -> mark.put(c, call.clients.get(c).received().size()));
        int breweryMark = call.sentToBrewery.size();
        int presenceMark = call.breweryPresences.size();

        call.bridges.get("jvb1").kill();
        ReplayBridge jvb2 = call.bridges.get("jvb2");
        CallSetup.waitFor("everyone moved to jvb2 and has the others' sources", Duration.ofSeconds(40), () ->
                CLIENTS.stream().allMatch(c -> call.clients.get(c).jingle("session-initiate").size() >= 2
                        && ColibriPieces.of(jvb2.colibriRequests()).getOrDefault("endpoint:" + call.clients.get(c).nick()
                        + ":update", List.of()).stream().anyMatch(ep -> Xml.child(ep, "transport").isPresent())
                        && CallComparisons.view(call.clients.get(c).received()).keySet().containsAll(others(c))));

        ConformanceReport report = new ConformanceReport("d (SIGKILL of the bridge carrying the call, the move)");
        CallComparisons cmp = new CallComparisons(call, d, report, setup);
        List<Element> leaves = call.breweryPresences.subList(presenceMark, call.breweryPresences.size()).stream()
                .filter(p -> "unavailable".equals(p.getAttribute("type")) && p.getAttribute("from").endsWith("/jvb-1"))
                .toList();
        report.check("the focus got jvb-1's brewery leave (replayed as a dropped connection; Jicofo's d-007 came "
                + "after Prosody's hibernation, status 333)", !leaves.isEmpty(), "no unavailable presence of jvb-1");
        report.check("the focus's requests into the brewery are captured (its set-up Colibri2 to jvb-1)",
                call.sentToBrewery.subList(0, breweryMark).stream().anyMatch(BridgeKillConformanceTest::toJvb1),
                "nothing captured before the kill");
        List<Element> toDead = LeaveConformanceTest.after(call.sentToBrewery, breweryMark).stream()
                .filter(BridgeKillConformanceTest::toJvb1).toList();
        report.allowed(AllowedDifference.NO_EXPIRE_TO_DEPARTED_BRIDGE, "d-008");
        report.check("nothing sent to the departed jvb-1 after its leave (Jicofo: the expire d-008, answered by the "
                + "brewery, d-009)", toDead.isEmpty(), toDead.stream().map(ConformanceReport::text).toList().toString());
        cmp.jingle("session-terminate", Map.of("client2", List.of(13), "client3", List.of(17), "client1", List.of(18)));
        cmp.colibri("jvb2", CallSetup.names(call));
        cmp.jingle("session-initiate", Map.of("client2", List.of(28), "client1", List.of(34), "client3", List.of(38)), 1);
        for (String c : CLIENTS) {
            List<Element> offers = call.clients.get(c).jingle("session-initiate");
            report.check("the move's session-initiate to " + c + " has a new sid", offers.size() >= 2
                    && !sid(offers.get(0)).equals(sid(offers.get(offers.size() - 1))), offers.size() + " offers");
        }
        accepts.forEach((c, step) -> cmp.transportReachesBridge("jvb2", c, step));
        keptDuringMove(report, setup, mark);
        cmp.sourceViews(57);
        report.check("no replaying party ran into a request it had no recorded answer for", call.problems().isEmpty(),
                String.join("\n  ", call.problems()));
        report.assertConforms();
    }

    /**
     * {@link AllowedDifference#SOURCES_KEPT_DURING_MOVE}: no source-remove for a mover at the move; its new offer names
     * every other participant; each other participant gets at most one source-remove per mover, of exactly the
     * mover's old SSRCs (those of its first session-accept).
     */
    private void keptDuringMove(ConformanceReport report, RecordedSequence setup, Map<String, Integer> mark) {
        report.allowed(AllowedDifference.SOURCES_KEPT_DURING_MOVE, "d-011, d-012, d-016, d-028");
        for (String c : CLIENTS) {
            ReplayClient client = call.clients.get(c);
            List<Element> offers = client.jingle("session-initiate");
            Set<String> named = offers.size() < 2 ? Set.of() : SourceJson.owners(offers.get(offers.size() - 1));
            report.check("the move's session-initiate to " + c + " carries the others' sources", named.containsAll(
                    others(c)), "it names " + named);
            List<Element> after = LeaveConformanceTest.after(client.received(), mark.get(c));
            for (String m : CLIENTS) {
                if (m.equals(c)) {
                    continue;
                }
                String nick = call.clients.get(m).nick();
                Set<String> old = RelayChecks.ssrcs(ReplayClient.jingleOf(setup.first(m, "session-accept").orElseThrow()
                        .wireXml()));
                List<Set<String>> removed = after.stream().filter(s -> ReplayClient.jingleOf(s) != null
                        && "source-remove".equals(ReplayClient.jingleOf(s).getAttribute("action"))
                        && SourceJson.owners(s).contains(nick)).map(s -> SourceJson.ssrcs(s, nick)).toList();
                report.check("at most one source-remove of " + m + "'s old SSRCs " + old + " to " + c,
                        removed.size() <= 1 && removed.stream().allMatch(r -> new TreeSet<>(r).equals(old)),
                        "source-removes of " + m + " after the kill: " + removed);
            }
        }
    }

    private static boolean toJvb1(Element s) {
        return s.getAttribute("to").endsWith("/jvb-1") && Xml.child(s, "conference-modify").isPresent();
    }

    private List<String> others(String c) {
        return CLIENTS.stream().filter(o -> !o.equals(c)).map(o -> call.clients.get(o).nick()).toList();
    }

    private static String sid(Element iq) {
        return ReplayClient.jingleOf(iq).getAttribute("sid");
    }
}
