package io.focus.app.conformance;

import static org.awaitility.Awaitility.await;

import io.focus.sim.prosody.ProsodyExtension;
import io.focus.sim.xml.Xml;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sequence b of the recorded real calls (a call spread over both bridges with relays; Jicofo with
 * {@code SplitBridgeSelectionStrategy} and Octo on): the focus in production wiring is driven by b's clients and
 * bridges and compared by role with Jicofo: the conference replies, the room configuration and ownership, the
 * conference and endpoint creates on both bridges (b-027, b-029, b-033), the relay creates (b-030, b-031), the relay
 * transport forwarded to the other bridge (b-044, b-064), the relay endpoint updates with sources (b-034, b-049,
 * b-052, b-070), the endpoint updates (b-048, b-051, b-069), the session-initiates (b-038, b-040, b-065) and the
 * sources each client ends up with; and at the far end, what each bridge got on its relay.
 */
@RequiresRealCalls
class SplitCallConformanceTest {
    static final String SPLIT = String.join("\n",
            "jicofo.bridge.selection-strategy = SplitBridgeSelectionStrategy",
            "jicofo.octo.enabled = true");

    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    @RegisterExtension
    final ReplayFixture replay = new ReplayFixture(prosody);

    @Test
    void callOverTwoBridgesWithRelaysMatchesJicofo() throws Exception {
        RecordedSequence b = RecordedSequence.load("b");
        // client3 and client1 joined 9 ms apart (b-025, b-026) and Jicofo allocated client1 first (b-029 before
        // b-033), so client1 got the unused jvb2: they join in Jicofo's allocation order, which the split strategy
        // turns into the same placement
        ReplayedCall call = replay.start(b, List.of("jvb1", "jvb2"), List.of(b), SPLIT,
                List.of("client2", "client1", "client3"));
        Map<String, String> placed = new LinkedHashMap<>();
        await("both bridges have the relay transport and the remote participants' sources")
                .atMost(Duration.ofSeconds(30)).until(() -> {
                    call.clients.keySet().forEach(c -> placed.put(c, CallSetup.bridgeOf(call, c)));
                    return RelayChecks.settled(call, placed);
                });
        ConformanceReport report = new ConformanceReport("b (call over two bridges, relays)");
        CallComparisons cmp = new CallComparisons(call, b, report);

        cmp.mucRequest("room config submit", 9, CallComparisons.query("http://jabber.org/protocol/muc#owner",
                q -> Xml.child(q, "x").filter(x -> "submit".equals(x.getAttribute("type"))).isPresent()));
        cmp.mucRequest("ownership grant to the first participant (client2)", 16,
                CallComparisons.query("http://jabber.org/protocol/muc#admin", q -> true));
        CallSetup.conferenceReplies(call, b, cmp, Map.of("client2", 12, "client3", 23, "client1", 24));
        Map<String, String> jicofo = Map.of("client2", "jvb1", "client3", "jvb1", "client1", "jvb2");
        report.check("participants placed as Jicofo's " + jicofo, jicofo.equals(placed), "focus: " + placed);
        for (String bridge : List.of("jvb1", "jvb2")) {
            cmp.colibri(bridge, CallSetup.names(call));
        }
        cmp.jingle("session-initiate", Map.of("client1", List.of(38), "client2", List.of(40), "client3", List.of(65)));
        cmp.transportReachesBridge("jvb2", "client1", 41);
        cmp.transportReachesBridge("jvb1", "client2", 47);
        cmp.transportReachesBridge("jvb1", "client3", 68);
        RelayChecks far = new RelayChecks(call, b, report);
        far.remoteSources("jvb2", "client2", 47);
        far.remoteSources("jvb2", "client3", 68);
        far.remoteSources("jvb1", "client1", 41);
        far.remoteTransport("jvb1", "jvb2");
        far.remoteTransport("jvb2", "jvb1");
        cmp.sourceStanzaForm("source-add", 53);
        cmp.sourceViews(81);
        report.check("no replaying party ran into a request it had no recorded answer for", call.problems().isEmpty(),
                String.join("\n  ", call.problems()));
        report.assertConforms();
    }
}
