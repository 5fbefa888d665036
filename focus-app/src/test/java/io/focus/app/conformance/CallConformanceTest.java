package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.Xml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

/**
 * Sequence a of the recorded real calls (a 3-party call on one bridge, default selection): the focus, as production
 * wires it, is driven by the recorded clients' and bridges' stanzas through a real Prosody, and what it sends is
 * compared by role with what Jicofo sent: the room configuration (a-009), the ownership grant (a-016), the
 * conference replies, the Colibri2 conference/endpoint creates (a-027..a-029), the session-initiates (a-037, a-039,
 * a-045), the endpoint updates with each client's transport and sources (a-048, a-052, a-057), the source-adds
 * (a-053..a-065) and the sources each client ends up with.
 */
@RequiresRealCalls
class CallConformanceTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final ReplayFixture replay = new ReplayFixture(prosody);

    @Test
    void threePartyCallOnOneBridgeMatchesJicofo() throws Exception {
        RecordedSequence a = RecordedSequence.load("a");
        ReplayedCall call = replay.sequenceA(a);
        ConformanceReport report = new ConformanceReport("a (3-party call, one bridge)");
        CallComparisons cmp = new CallComparisons(call, a, report);

        cmp.mucRequest("room config submit", 9, CallComparisons.query("http://jabber.org/protocol/muc#owner",
                q -> Xml.child(q, "x").filter(x -> "submit".equals(x.getAttribute("type"))).isPresent()));
        cmp.mucRequest("ownership grant to the first participant (client2)", 16,
                CallComparisons.query("http://jabber.org/protocol/muc#admin", q -> true));
        CallSetup.conferenceReplies(call, a, cmp, Map.of("client1", 23, "client2", 12, "client3", 25));
        List<String> used = call.bridges.values().stream().filter(b -> !b.colibriRequests().isEmpty())
                .map(ReplayBridge::name).toList();
        report.check("the whole conference on one bridge, as Jicofo's on jvb1", used.size() == 1, "focus used " + used);
        String bridge = used.isEmpty() ? "jvb1" : used.get(0);
        if (!bridge.equals("jvb1")) {
            report.allowed(AllowedDifference.EQUAL_BRIDGE_CHOICE, bridge);
        }
        cmp.colibri("jvb1", bridge, CallSetup.names(call));
        cmp.discoInfo(19);
        cmp.jingle("session-initiate", Map.of("client3", List.of(37), "client2", List.of(39), "client1", List.of(45)));
        cmp.transportReachesBridge(bridge, "client3", 44);
        cmp.transportReachesBridge(bridge, "client2", 47);
        cmp.transportReachesBridge(bridge, "client1", 50);
        cmp.sourceStanzaForm("source-add", 53);
        cmp.sourceViews(70);
        report.check("no replaying party ran into a request it had no recorded answer for", call.problems().isEmpty(),
                String.join("\n  ", call.problems()));
        report.assertConforms();
    }

    /** Waits until every client has an offer and both others' sources, and the bridge has every transport. */
    static void awaitSettled(ReplayedCall call, Duration timeout) {
        await("the call settles").atMost(timeout).until(() -> call.clients.values().stream().allMatch(c ->
                !c.jingle("session-initiate").isEmpty()
                        && CallComparisons.view(c.received()).keySet().containsAll(call.clients.values().stream()
                        .filter(o -> o != c).map(ReplayClient::nick).toList())
                        && call.bridges.values().stream().anyMatch(b -> ColibriPieces.of(b.colibriRequests())
                        .getOrDefault("endpoint:" + c.nick() + ":update", List.<Element>of()).stream()
                        .anyMatch(ep -> Xml.child(ep, "transport").isPresent()))));
    }
}
