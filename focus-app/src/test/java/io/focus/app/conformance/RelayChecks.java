package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * The far end of a call over two bridges (sequence b): what each replayed bridge got on its relay towards the other,
 * against what it needs for media: every remote participant's exact SSRCs (those of its session-accept) and the
 * other bridge's relay transport (ICE credentials, candidates and DTLS fingerprint of the other bridge's answer to
 * its relay create).
 */
final class RelayChecks {
    private final ReplayedCall call;
    private final RecordedSequence seq;
    private final ConformanceReport report;

    RelayChecks(ReplayedCall call, RecordedSequence seq, ConformanceReport report) {
        this.call = call;
        this.seq = seq;
        this.report = report;
    }

    /** {@code bridge} got {@code client}'s SSRCs (of its recorded session-accept) on its relay to the other bridge. */
    void remoteSources(String bridge, String client, int acceptStep) {
        String nick = call.clients.get(client).nick();
        TreeSet<String> expected = ssrcs(ReplayClient.jingleOf(seq.step(acceptStep).wireXml()));
        TreeSet<String> actual = new TreeSet<>();
        ColibriPieces.of(call.bridges.get(bridge).colibriRequests()).forEach((key, pieces) -> {
            if (key.startsWith("relay:") && key.contains("/endpoint:" + nick + ":")) {
                pieces.forEach(p -> actual.addAll(ssrcs(p)));
            }
        });
        report.check(bridge + " has " + client + "'s SSRCs of " + seq.step(acceptStep).file() + " on its relay",
                expected.equals(actual), "accept: " + expected + ", relay endpoint: " + actual);
    }

    /** {@code bridge} got the relay transport that {@code other} answered to its relay create. */
    void remoteTransport(String bridge, String other) {
        String otherRelayId = other.replace("jvb", "jvb-");
        List<RecordedSequence.Step> answers = seq.where(s -> s.sender().equals(other)
                && s.what().equals("colibri2-relay-create-result"));
        if (answers.isEmpty()) {
            report.fail(bridge + " relay transport of " + other, "no recorded relay create answer of " + other);
            return;
        }
        String expected = transportFacts(answers.get(0).deliveredXml());
        String actual = ColibriPieces.of(call.bridges.get(bridge).colibriRequests())
                .getOrDefault("relay:" + otherRelayId + ":update", List.of()).stream()
                .filter(r -> Xml.child(r, "transport").isPresent()).map(RelayChecks::transportFacts)
                .findFirst().orElse("(no relay update with a transport)");
        report.check(bridge + " has " + other + "'s relay transport of " + answers.get(0).file(),
                expected.equals(actual), "answer of " + other + ": " + expected + "\n  given to " + bridge + ": " + actual);
    }

    /** Far end settled: each bridge has a relay transport and every remote participant's sources. */
    static boolean settled(ReplayedCall call, Map<String, String> bridgeOfClient) {
        for (ReplayBridge b : call.bridges.values()) {
            Map<String, List<Element>> pieces = ColibriPieces.of(b.colibriRequests());
            boolean transport = pieces.entrySet().stream().anyMatch(e -> e.getKey().startsWith("relay:")
                    && e.getKey().endsWith(":update") && !e.getKey().contains("/")
                    && e.getValue().stream().anyMatch(r -> Xml.child(r, "transport").isPresent()));
            if (!transport) {
                return false;
            }
            for (var c : bridgeOfClient.entrySet()) {
                if (c.getValue() == null || c.getValue().equals(b.name())) {
                    continue;
                }
                String nick = call.clients.get(c.getKey()).nick();
                boolean sources = pieces.entrySet().stream().anyMatch(e -> e.getKey().startsWith("relay:")
                        && e.getKey().contains("/endpoint:" + nick + ":")
                        && e.getValue().stream().anyMatch(p -> !ssrcs(p).isEmpty()));
                if (!sources) {
                    return false;
                }
            }
        }
        return true;
    }

    static TreeSet<String> ssrcs(Element root) {
        TreeSet<String> out = new TreeSet<>();
        collect(root, out, false);
        return out;
    }

    /** ufrag, pwd, fingerprint hash and value (not setup: the focus sets it per side), candidates. */
    static String transportFacts(Element root) {
        TreeSet<String> out = new TreeSet<>();
        collect(root, out, true);
        return out.toString();
    }

    private static void collect(Element e, TreeSet<String> out, boolean transport) {
        String n = e.getLocalName();
        if (!transport && "source".equals(n) && e.hasAttribute("ssrc")
                && !"ssrc-group".equals(e.getParentNode().getLocalName())) {
            out.add(e.getAttribute("ssrc"));
        } else if (transport && "transport".equals(n) && e.hasAttribute("ufrag")) {
            out.add("ufrag=" + e.getAttribute("ufrag"));
            out.add("pwd=" + e.getAttribute("pwd"));
        } else if (transport && "fingerprint".equals(n)) {
            out.add("fingerprint=" + e.getAttribute("hash") + "/" + e.getTextContent().trim());
        } else if (transport && "candidate".equals(n)) {
            out.add("candidate=" + e.getAttribute("type") + "/" + e.getAttribute("protocol") + "/" + e.getAttribute("ip")
                    + ":" + e.getAttribute("port"));
        }
        Xml.children(e).forEach(c -> collect(c, out, transport));
    }
}
