package io.focus.bench.call;

import io.focus.sim.bridge.SimBridge;
import io.focus.sim.participant.IceTransport;
import io.focus.sim.xml.Xml;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Element;

/**
 * {@link BridgeSideView} from what SimBridge exposes on main: the endpoint ids in {@code model()} and the
 * {@code conference-modify} requests it received ({@code requests()}), parsed incrementally. For each local endpoint
 * the last transport and the last {@code <sources>} the focus sent are kept ({@code create} and {@code expire} start
 * afresh). Only requests the bridge answered can have changed its model, so the model's endpoint list is checked too.
 * A request the bridge refused with an error is still counted (the request log does not say how it was answered).
 */
public final class RequestLogBridgeView implements BridgeSideView {
    /** What one bridge was told about one of its endpoints. */
    record Seen(String ufrag, String pwd, String fingerprint, Set<Long> ssrcs) {}

    private static final class Log {
        int parsed;
        final Map<String, Seen> endpoints = new HashMap<>();
    }

    private final Map<SimBridge, Log> logs = new ConcurrentHashMap<>();

    @Override
    public boolean endpointComplete(SimBridge bridge, String endpointId, IceTransport transport, Set<Long> ssrcs) {
        if (transport == null || !bridge.model().endpoints().contains(endpointId)) {
            return false;
        }
        Seen s;
        Log log = logs.computeIfAbsent(bridge, b -> new Log());
        synchronized (log) {
            List<String> requests = bridge.requests();
            for (int i = log.parsed; i < requests.size(); i++) {
                apply(log.endpoints, requests.get(i));
            }
            log.parsed = requests.size();
            s = log.endpoints.get(endpointId);
        }
        return s != null && Objects.equals(s.ufrag(), transport.ufrag()) && Objects.equals(s.pwd(), transport.pwd())
                && s.fingerprint() != null && s.fingerprint().equalsIgnoreCase(transport.fingerprint())
                && ssrcs.equals(s.ssrcs());
    }

    @Override
    public void forget(SimBridge bridge) {
        logs.remove(bridge);
    }

    /** Applies one logged request: the {@code conference-modify} element (or an IQ holding it), as XML text. */
    static void apply(Map<String, Seen> endpoints, String requestXml) {
        Element root = Xml.parse(requestXml);
        Optional<Element> modify = "conference-modify".equals(root.getLocalName()) ? Optional.of(root)
                : Xml.child(root, "conference-modify");
        if (modify.isEmpty()) {
            return;
        }
        for (Element e : Xml.children(modify.get(), "endpoint")) {
            String id = Xml.attr(e, "id");
            if (id == null) {
                continue;
            }
            if (Xml.boolAttr(e, "expire")) {
                endpoints.remove(id);
                continue;
            }
            Seen old = Xml.boolAttr(e, "create") ? null : endpoints.get(id);
            String ufrag = old == null ? null : old.ufrag();
            String pwd = old == null ? null : old.pwd();
            String fingerprint = old == null ? null : old.fingerprint();
            Set<Long> ssrcs = old == null ? Set.of() : old.ssrcs();
            Optional<Element> ice = Xml.child(e, "transport").flatMap(t -> Xml.child(t, "transport"));
            if (ice.isPresent()) {
                ufrag = Xml.attr(ice.get(), "ufrag");
                pwd = Xml.attr(ice.get(), "pwd");
                fingerprint = Xml.child(ice.get(), "fingerprint").map(f -> f.getTextContent().trim()).orElse(null);
            }
            Optional<Element> sources = Xml.child(e, "sources");
            if (sources.isPresent()) {
                Set<Long> n = new HashSet<>();
                for (Element ms : Xml.children(sources.get(), "media-source")) {
                    for (Element src : Xml.children(ms, "source")) {
                        String ssrc = Xml.attr(src, "ssrc");
                        if (ssrc != null) {
                            n.add(Long.parseLong(ssrc));
                        }
                    }
                }
                ssrcs = Set.copyOf(n);
            }
            endpoints.put(id, new Seen(ufrag, pwd, fingerprint, ssrcs));
        }
    }
}
