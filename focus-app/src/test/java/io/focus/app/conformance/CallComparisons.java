package io.focus.app.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focus.sim.xml.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.w3c.dom.Element;

/** The comparisons by role shared by the sequences: MUC service requests, Colibri2 pieces, Jingle, sources. */
final class CallComparisons {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JITMEET = "http://jitsi.org/jitmeet";
    private static final String TRACE = "jitsi:opentelemetry";

    private final ReplayedCall call;
    private final RecordedSequence seq;
    private final StanzaNormaliser norm;
    final ConformanceReport report;

    CallComparisons(ReplayedCall call, RecordedSequence seq, ConformanceReport report) {
        this(call, seq, report, seq);
    }

    /** Comparisons with {@code seq}, whose clients' recorded JIDs are those of the joins in {@code setup}. */
    CallComparisons(ReplayedCall call, RecordedSequence seq, ConformanceReport report, RecordedSequence setup) {
        this.call = call;
        this.seq = seq;
        this.norm = call.normaliser(setup);
        this.report = report;
    }

    Element normalised(Element e) {
        return StanzaNormaliser.without(norm.normalise(e), "traceparent", TRACE);
    }

    /** An IQ the focus sent to the MUC service (room configuration, affiliation) vs the recorded one of that role. */
    void mucRequest(String role, int step, Predicate<Element> which) {
        mucRequest(role, step, which, 0);
    }

    /** As {@link #mucRequest(String, int, Predicate)} with the focus's {@code nth} (from 0) stanza that matches. */
    void mucRequest(String role, int step, Predicate<Element> which, int nth) {
        RecordedSequence.Step rec = seq.step(step);
        Element ours = call.sentToMuc.stream().filter(which).skip(nth).findFirst().orElse(null);
        report.compare(role, rec.file(), normalised(rec.wireXml()), ours == null ? null : normalised(ours));
    }

    static Predicate<Element> query(String ns, Predicate<Element> q) {
        return iq -> "iq".equals(iq.getLocalName()) && Xml.child(iq, "query", ns).filter(q).isPresent();
    }

    /** Colibri2 pieces of {@code bridge}: every recorded piece against the focus's piece of the same key and index. */
    void colibri(String bridge, Map<String, String> endpointNames) {
        colibri(bridge, bridge, endpointNames);
    }

    /** As {@link #colibri(String, Map)}, with Jicofo's requests to {@code bridge} against ours to {@code ours}. */
    void colibri(String bridge, String ours, Map<String, String> endpointNames) {
        colibri(bridge, ours, endpointNames, call.bridges.get(ours).colibriRequests());
    }

    /** As {@link #colibri(String, String, Map)} against the given requests of the focus (e.g. those after a step). */
    void colibri(String bridge, String ours, Map<String, String> endpointNames, List<Element> oursRequests) {
        Map<String, List<Element>> expected = ColibriPieces.of(ColibriPieces.recorded(seq, bridge));
        Map<String, List<Element>> actual = ColibriPieces.of(oursRequests);
        report.allowed(AllowedDifference.COLIBRI_GROUPING, bridge);
        report.allowed(AllowedDifference.TRACEPARENT, bridge);
        for (String key : new TreeSet<>(union(expected.keySet(), actual.keySet()))) {
            List<Element> e = expected.getOrDefault(key, List.of());
            List<Element> a = actual.getOrDefault(key, List.of());
            String role = bridge + (ours.equals(bridge) ? "" : " (focus: " + ours + ")") + " Colibri2 "
                    + named(key, endpointNames);
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                report.compare(role + " #" + (i + 1), seq.name() + "/" + bridge, normalised(e.get(i)), normalised(a.get(i)));
            }
            report.check(role + " count", e.size() == a.size(), "Jicofo sent " + e.size() + ", the focus sent "
                    + a.size() + (a.size() > e.size() ? ": " + ConformanceReport.text(a.get(e.size())) : ""));
        }
    }

    /** The Jingle IQs of {@code action} to each client vs the recorded ones (the sources compared separately). */
    void jingle(String action, Map<String, List<Integer>> recordedSteps) {
        jingle(action, recordedSteps, 0);
    }

    /** As {@link #jingle(String, Map)}, the recorded ones against the focus's from its {@code firstOurs} (from 0) on. */
    void jingle(String action, Map<String, List<Integer>> recordedSteps, int firstOurs) {
        recordedSteps.forEach((client, steps) -> {
            List<Element> ours = call.clients.get(client).jingle(action);
            for (int i = 0; i < steps.size(); i++) {
                RecordedSequence.Step rec = seq.step(steps.get(i));
                int j = firstOurs + i;
                report.compare(action + " to " + client + " #" + (j + 1), rec.file(), withoutSources(rec.deliveredXml()),
                        j < ours.size() ? withoutSources(ours.get(j)) : null);
            }
        });
        report.allowed(AllowedDifference.SOURCES_IN_OFFER_OR_ADD, action);
    }

    /** Each source-add/remove the focus sent has the form of the recorded {@code step} (sources aside). */
    void sourceStanzaForm(String action, int step) {
        Element expected = withoutSources(seq.step(step).deliveredXml());
        call.clients.forEach((name, c) -> {
            List<Element> ours = c.jingle(action);
            for (int i = 0; i < ours.size(); i++) {
                report.compare(action + " to " + name + " #" + (i + 1) + " (form)", seq.step(step).file(), expected,
                        withoutSources(ours.get(i)));
            }
        });
        report.allowed(AllowedDifference.SOURCE_ADD_BATCHING, action);
    }

    /** The sources each client ends up with (offer + adds - removes): the focus's vs Jicofo's. */
    void sourceViews(int upToStep) {
        for (var e : call.clients.entrySet()) {
            String client = e.getKey();
            List<Element> recorded = seq.where(s -> s.sender().equals("focus") && s.receiver().equals(client)
                    && s.step() <= upToStep && (s.what().equals("session-initiate") || s.what().startsWith("source-")))
                    .stream().map(RecordedSequence.Step::deliveredXml).toList();
            Map<String, String> expected = view(recorded);
            Map<String, String> actual = view(e.getValue().received());
            report.check("sources known to " + client + " = Jicofo's " + expected.keySet(), expected.equals(actual),
                    "Jicofo: " + expected + "\n  focus:  " + actual);
        }
    }

    /**
     * The media check: the Colibri2 endpoint update for each client carries exactly the ICE ufrag/pwd, the DTLS
     * fingerprint and the SSRCs of that client's session-accept (the one it sent, replayed from the recording).
     */
    /** Each disco#info the focus sent to a participant vs Jicofo's (a-019: the caps node of the client's presence). */
    void discoInfo(int step) {
        Element expected = normalised(seq.step(step).deliveredXml());
        call.clients.forEach((name, c) -> {
            List<Element> ours = c.received().stream().filter(s -> "iq".equals(s.getLocalName())
                    && Xml.child(s, "query", "http://jabber.org/protocol/disco#info").isPresent()).toList();
            report.check("disco#info to " + name + " sent before its offer", !ours.isEmpty(),
                    "the focus asked " + name + " nothing; Jicofo asked (" + seq.step(step).file() + ")");
            ours.forEach(d -> report.compare("disco#info to " + name, seq.step(step).file(), expected, normalised(d)));
        });
    }

    void transportReachesBridge(String bridge, String client, int acceptStep) {
        Element accept = ReplayClient.jingleOf(seq.step(acceptStep).wireXml());
        String nick = call.clients.get(client).nick();
        Optional<Element> update = ColibriPieces.of(call.bridges.get(bridge).colibriRequests())
                .getOrDefault("endpoint:" + nick + ":update", List.of()).stream()
                .filter(ep -> Xml.child(ep, "transport").isPresent()).findFirst();
        String role = "transport+sources of " + client + "'s session-accept (" + seq.step(acceptStep).file()
                + ") in its Colibri2 endpoint update to " + bridge;
        if (update.isEmpty()) {
            report.fail(role, "no endpoint update with a transport for " + nick + " reached " + bridge);
            return;
        }
        String expected = mediaFacts(accept);
        String actual = mediaFacts(update.get());
        report.check(role, expected.equals(actual), "accept: " + expected + "\n  update: " + actual);
    }

    /** ufrag, pwd, fingerprints (hash, setup, value) and SSRCs in an element tree. */
    static String mediaFacts(Element root) {
        TreeSet<String> facts = new TreeSet<>();
        collect(root, facts);
        return facts.toString();
    }

    private static void collect(Element e, TreeSet<String> facts) {
        switch (e.getLocalName()) {
            case "transport" -> {
                if (e.hasAttribute("ufrag")) {
                    facts.add("ufrag=" + e.getAttribute("ufrag"));
                    facts.add("pwd=" + e.getAttribute("pwd"));
                }
            }
            case "fingerprint" -> facts.add("fingerprint=" + e.getAttribute("hash") + "/" + e.getAttribute("setup")
                    + "/" + e.getTextContent().trim());
            case "source" -> {
                if (e.hasAttribute("ssrc") && !"ssrc-group".equals(e.getParentNode().getLocalName())) {
                    facts.add("ssrc=" + e.getAttribute("ssrc"));
                }
            }
            default -> { }
        }
        Xml.children(e).forEach(c -> collect(c, facts));
    }

    private Element withoutSources(Element iq) {
        Element n = normalised(iq);
        Element jingle = ReplayClient.jingleOf(n);
        if (jingle != null) {
            Xml.child(jingle, "json-message", JITMEET).ifPresent(j -> j.setTextContent("(sources)"));
        }
        return n;
    }

    /** Owner → its sources (canonical JSON), folded over session-initiate / source-add / source-remove. */
    static Map<String, String> view(List<Element> stanzas) {
        Map<String, String> v = new TreeMap<>();
        for (Element s : stanzas) {
            Element j = ReplayClient.jingleOf(s);
            if (j == null || !"set".equals(s.getAttribute("type"))) {
                continue;
            }
            String action = j.getAttribute("action");
            if (action.equals("session-terminate")) {
                v.clear();
                continue;
            }
            if (!action.equals("session-initiate") && !action.startsWith("source-")) {
                continue;
            }
            if (action.equals("session-initiate")) {
                v.clear();
            }
            Optional<Element> json = Xml.child(j, "json-message", JITMEET);
            if (json.isEmpty()) {
                v.put("(XML sources, not JSON)", action);
                continue;
            }
            try {
                JsonNode sources = JSON.readTree(json.get().getTextContent()).path("sources");
                sources.fields().forEachRemaining(f -> {
                    if (action.equals("source-remove")) {
                        v.remove(f.getKey());
                    } else {
                        v.put(f.getKey(), StanzaNormaliser.canonicalJson(f.getValue().toString()));
                    }
                });
            } catch (Exception ex) {
                v.put("(unreadable JSON)", json.get().getTextContent());
            }
        }
        return v;
    }

    private static String named(String key, Map<String, String> names) {
        String out = key;
        for (var n : names.entrySet()) {
            out = out.replace(n.getKey(), n.getValue());
        }
        return out;
    }

    private static <T> List<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        List<T> out = new ArrayList<>(a);
        b.stream().filter(x -> !a.contains(x)).forEach(out::add);
        return out;
    }
}
