package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.sim.prosody.ProsodyExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

/**
 * Sequence c of the recorded real calls (a participant leaves, then the conference ends), on sequence a's call set-up
 * lined up with c's clients ({@link LinedUp}: a's first joiner and owner plays c's client1, who leaves first). The
 * clients' recorded leaves are replayed and compared by role with Jicofo: the endpoint expire after the leave
 * (c-002), the ownership handed to another participant (c-003), the endpoint expire of the next leaver (c-010), the
 * conference expire (c-013) and the room leave (c-015) when the last participants have left. The focus's
 * source-remove for the leaver is {@link AllowedDifference#SOURCE_REMOVE_ON_LEAVE}: checked at the far end.
 */
@RequiresRealCalls
class LeaveConformanceTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final ReplayFixture replay = new ReplayFixture(prosody);

    @Test
    void leavesAndConferenceEndMatchJicofo() throws Exception {
        RecordedSequence c = RecordedSequence.load("c");
        // a's client2 joined first and became owner, as c's client1 (the owner who leaves, c-001) had; a's client1
        // joined next, as the one Jicofo handed ownership to (c-003: c's client2)
        RecordedSequence setup = LinedUp.setupFor(c, Map.of("client2", "client1", "client1", "client2",
                "client3", "client3"));
        ReplayedCall call = replay.start(setup, List.of("jvb1", "jvb2"), List.of(setup), "",
                List.of("client1", "client2", "client3"));
        String bridge = CallSetup.bridgeOf(call, "client1");
        ReplayBridge ours = call.bridges.get(bridge);
        int before = ours.colibriRequests().size();
        int mucBefore = call.sentToMuc.size();
        String leaver = call.clients.get("client1").nick();

        call.clients.get("client1").send(c.step(1).wire());
        await("the focus expires the leaver's endpoint").atMost(Duration.ofSeconds(20)).until(() ->
                ColibriPieces.of(after(ours.colibriRequests(), before)).containsKey("endpoint:" + leaver + ":expire"));
        CallSetup.waitFor("the others drop the leaver", Duration.ofSeconds(10), () -> List.of("client2", "client3")
                .stream().noneMatch(o -> CallComparisons.view(call.clients.get(o).received()).containsKey(leaver)));
        call.clients.get("client3").send(c.step(9).wire());
        // the two leaves come over two connections: client2's only once the focus has acted on client3's (c-010), as
        // in the recording, or the focus may see them the other way round
        String third = call.clients.get("client3").nick();
        CallSetup.waitFor("the focus expires client3's endpoint", Duration.ofSeconds(20), () ->
                ColibriPieces.of(after(ours.colibriRequests(), before)).containsKey("endpoint:" + third + ":expire"));
        call.clients.get("client2").send(c.step(11).wire());
        CallSetup.waitFor("the focus expires the conference and leaves the room", Duration.ofSeconds(20), () ->
                ColibriPieces.of(after(ours.colibriRequests(), before)).containsKey("conference:expire")
                        && call.sentToMuc.stream().skip(mucBefore).anyMatch(LeaveConformanceTest::roomLeave));

        ConformanceReport report = new ConformanceReport("c (a participant leaves; conference end)");
        CallComparisons cmp = new CallComparisons(call, c, report, setup);
        if (!bridge.equals("jvb2")) {
            report.allowed(AllowedDifference.EQUAL_BRIDGE_CHOICE, bridge + " for Jicofo's jvb2");
        }
        cmp.colibri("jvb2", bridge, CallSetup.names(call), after(ours.colibriRequests(), before));
        cmp.mucRequest("ownership handed to client2 after the owner left", 3,
                CallComparisons.query("http://jabber.org/protocol/muc#admin", q -> true), 1);
        cmp.mucRequest("the focus leaves the room", 15, LeaveConformanceTest::roomLeave);
        report.allowed(AllowedDifference.SOURCE_REMOVE_ON_LEAVE, "c-001");
        Set<String> leaverSsrcs = RelayChecks.ssrcs(ReplayClient.jingleOf(
                setup.first("client1", "session-accept").orElseThrow().wireXml()));
        for (String other : List.of("client2", "client3")) {
            // client2 also hears of client3's leave later: only the removes about client1 count here
            List<Element> removes = call.clients.get(other).jingle("source-remove").stream()
                    .filter(r -> sourceOwners(r).contains(leaver)).toList();
            report.check("one source-remove of exactly the leaver's SSRCs " + leaverSsrcs + " to " + other,
                    removes.size() == 1 && sourceOwners(removes.get(0)).equals(Set.of(leaver))
                    && SourceJson.ssrcs(removes.get(0)).equals(leaverSsrcs), removes.size() + " source-remove(s): "
                    + removes.stream().map(ConformanceReport::text).toList());
        }
        report.check("no replaying party ran into a request it had no recorded answer for", call.problems().isEmpty(),
                String.join("\n  ", call.problems()));
        report.assertConforms();
    }

    static boolean roomLeave(Element s) {
        return "presence".equals(s.getLocalName()) && "unavailable".equals(s.getAttribute("type"));
    }

    static List<Element> after(List<Element> all, int from) {
        return new ArrayList<>(all.subList(Math.min(from, all.size()), all.size()));
    }

    private static Set<String> sourceOwners(Element iq) {
        return SourceJson.owners(iq);
    }
}
