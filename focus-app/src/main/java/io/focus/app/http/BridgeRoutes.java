package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.config.ConfigHolder;
import io.focus.app.config.DrainSettings;
import io.focus.app.spi.ConferenceStats;
import io.focus.app.spi.EndpointMover;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
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
 * {@code /undrain}, and {@code GET /conferences} (where each participant is).
 *
 * <p>Drain: no new participants on the bridge. With {@code ?move=true} its participants are also moved off
 * gradually, {@code rate} endpoints every {@code interval} (e.g. {@code ?move=true&rate=5&interval=10s}; defaults
 * {@code focus.drain.{move,rate,interval}}), until none are left; undrain stops the moves.
 */
public final class BridgeRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(BridgeRoutes.class);

    private final Bridges bridges;
    private final ConfigHolder config;
    private final ConferenceStats conferences;
    private final EndpointMover mover;
    private final DrainSettings drain;

    @Inject
    public BridgeRoutes(Bridges bridges, ConfigHolder config, ConferenceStats conferences, EndpointMover mover,
                        DrainSettings drain) {
        this.bridges = bridges;
        this.config = config;
        this.conferences = conferences;
        this.mover = mover;
        this.drain = drain;
    }

    @Override
    public void register(RouteTable r) {
        r.get("/bridges", req -> {
            BridgeSnapshot s = bridges.snapshot();
            double t = stressThreshold();
            List<Map<String, Object>> list = s.bridges().stream().map(b -> BridgeJson.of(b, t)).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", s.sequence());
            m.put("taken-at", s.takenAt().toString());
            m.put("bridges", list);
            return Reply.ok(m);
        });
        r.get("/bridges/{nick}", req -> {
            BridgeState b = find(req.pathParam("nick"));
            return Reply.ok(BridgeJson.of(b, stressThreshold()));
        });
        r.post("/bridges/{nick}/drain", req -> drain(req, true));
        r.post("/bridges/{nick}/undrain", req -> drain(req, false));
        r.get("/conferences", req -> Reply.ok(Map.of("conferences", conferences.conferences())));
    }

    private Reply drain(Call req, boolean drained) {
        BridgeState b = find(req.pathParam("nick"));
        boolean move = drained && bool(req.param("move"), drain.move());
        int rate = move ? positiveInt(req.param("rate"), drain.rate()) : 0;
        Duration interval = move ? duration(req.param("interval"), drain.interval()) : null;
        try {
            mover.drain(b.id(), drained, rate, interval);
        } catch (EndpointMover.NotFoundException e) {
            throw Reply.fail(404, "Bridge not found");
        }
        log.info("{} bridge {} ({}) by operator request from {}{}", drained ? "Draining" : "Undraining", b.nick(),
                b.id(), req.remote(), move ? ", moving " + rate + " endpoint(s) off every " + interval : "");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("nick", b.nick());
        m.put("drained-by-focus", drained);
        m.put("moving", move);
        if (move) {
            m.put("rate", rate);
            m.put("interval-ms", interval.toMillis());
        }
        return Reply.ok(m);
    }

    private static boolean bool(String v, boolean dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw Reply.fail(400, "move must be true or false, got '" + v + "'");
        };
    }

    private static int positiveInt(String v, int dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw Reply.fail(400, "rate must be a positive number of endpoints per step, got '" + v + "'");
    }

    private static Duration duration(String v, Duration dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            Duration d = ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(v.trim())).getDuration("d");
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (ConfigException ignored) {
            // below
        }
        throw Reply.fail(400, "interval must be a positive duration such as 5s or 500ms, got '" + v + "'");
    }

    private BridgeState find(String idOrNick) {
        BridgeState b = bridges.snapshot().find(idOrNick);
        if (b == null) {
            throw Reply.fail(404, "Bridge not found");
        }
        return b;
    }

    private double stressThreshold() {
        return stressThreshold(config);
    }

    /** {@code jicofo.bridge.stress-threshold} of the running configuration (for a bridge's {@code overloaded}). */
    static double stressThreshold(ConfigHolder config) {
        var c = config.current();
        return c.getDouble("jicofo.bridge.stress-threshold"); // default in focus-selection's reference.conf
    }
}
