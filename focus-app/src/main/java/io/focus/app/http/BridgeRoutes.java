package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.config.ConfigHolder;
import io.focus.app.spi.ConferenceStats;
import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge admin API: {@code GET /bridges}, {@code GET /bridges/{nick}}, {@code POST /bridges/{nick}/drain} and
 * {@code /undrain} (the focus-side drain: no new participants, nobody moved), and {@code GET /conferences}
 * (where each participant is).
 */
public final class BridgeRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(BridgeRoutes.class);

    private final Bridges bridges;
    private final ConfigHolder config;
    private final ConferenceStats conferences;

    @Inject
    public BridgeRoutes(Bridges bridges, ConfigHolder config, ConferenceStats conferences) {
        this.bridges = bridges;
        this.config = config;
        this.conferences = conferences;
    }

    @Override
    public void register(Router r) {
        r.get("/bridges", req -> {
            BridgeSnapshot s = bridges.snapshot();
            double t = stressThreshold();
            List<Map<String, Object>> list = s.bridges().stream().map(b -> BridgeJson.of(b, t)).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", s.sequence());
            m.put("taken-at", s.takenAt().toString());
            m.put("bridges", list);
            return Response.ok(m);
        });
        r.get("/bridges/{nick}", req -> {
            BridgeState b = find(req.pathParam("nick"));
            return Response.ok(BridgeJson.of(b, stressThreshold()));
        });
        r.post("/bridges/{nick}/drain", req -> drain(req, true));
        r.post("/bridges/{nick}/undrain", req -> drain(req, false));
        r.get("/conferences", req -> Response.ok(Map.of("conferences", conferences.conferences())));
    }

    private Response drain(Request req, boolean drained) {
        BridgeState b = find(req.pathParam("nick"));
        if (!bridges.setDrainedByFocus(b.id(), drained)) {
            throw Response.fail(404, "Bridge not found");
        }
        log.info("{} bridge {} ({}) by operator request from {}", drained ? "Draining" : "Undraining", b.nick(),
                b.id(), req.remote());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("nick", b.nick());
        m.put("drained-by-focus", drained);
        return Response.ok(m);
    }

    private BridgeState find(String idOrNick) {
        BridgeState b = bridges.snapshot().find(idOrNick);
        if (b == null) {
            throw Response.fail(404, "Bridge not found");
        }
        return b;
    }

    private double stressThreshold() {
        var c = config.current();
        return c.hasPath("jicofo.bridge.stress-threshold") ? c.getDouble("jicofo.bridge.stress-threshold") : 0.8;
    }
}
