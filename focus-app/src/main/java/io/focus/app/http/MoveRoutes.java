package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.spi.EndpointMover;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jicofo's move-endpoints API, as Jicofo serves it (GET, same parameters, same response and status codes), so
 * operators' scripts keep working. These GETs change state: when an admin token is configured they need it.
 */
public final class MoveRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(MoveRoutes.class);

    private final Bridges bridges;
    private final EndpointMover mover;
    private final RestSettings settings;

    @Inject
    public MoveRoutes(Bridges bridges, EndpointMover mover, RestSettings settings) {
        this.bridges = bridges;
        this.mover = mover;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        if (!settings.moveEndpoints()) {
            return;
        }
        r.mutatingGet("/move-endpoints/move-endpoint", req -> {
            String conference = required(req, "conference");
            String endpoint = required(req, "endpoint");
            String bridge = req.param("bridge");
            String bridgeId = bridge == null || bridge.isBlank() ? null : bridge(bridge);
            return run("move-endpoint", req, () -> mover.moveEndpoint(conference, endpoint, bridgeId));
        });
        r.mutatingGet("/move-endpoints/move-endpoints", req -> {
            String bridgeId = bridge(required(req, "bridge"));
            String conference = blankToNull(req.param("conference"));
            int n = intParam(req, "numEndpoints", 1);
            if (n < 1) {
                throw Reply.fail(400, "Invalid numEndpoints: " + n);
            }
            return run("move-endpoints", req, () -> mover.moveEndpoints(bridgeId, conference, n));
        });
        r.mutatingGet("/move-endpoints/move-fraction", req -> {
            String bridgeId = bridge(required(req, "bridge"));
            double fraction = doubleParam(req, "fraction", 0.1);
            if (!(fraction >= 0 && fraction <= 1)) {
                throw Reply.fail(400, "Invalid fraction: " + req.param("fraction"));
            }
            return run("move-fraction", req, () -> mover.moveFraction(bridgeId, fraction));
        });
    }

    private interface Move {
        EndpointMover.MoveResult run() throws EndpointMover.NotFoundException;
    }

    private Reply run(String what, Call req, Move move) {
        try {
            EndpointMover.MoveResult res = move.run();
            log.info("{} {}: moved {} endpoints in {} conferences", what, req.query(), res.movedEndpoints(),
                    res.conferences());
            return Reply.ok(res);
        } catch (EndpointMover.NotFoundException e) {
            throw Reply.fail(404, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Reply.fail(400, e.getMessage());
        }
    }

    /** A nick or a full id, resolved against the current snapshot; 404 "Bridge not found". */
    private String bridge(String idOrNick) {
        BridgeState b = bridges.snapshot().find(idOrNick.strip());
        if (b == null) {
            throw Reply.fail(404, "Bridge not found");
        }
        return b.id();
    }

    private static String required(Call req, String name) {
        String v = req.param(name);
        if (v == null || v.isBlank()) {
            throw Reply.fail(400, "Missing parameter: " + name);
        }
        return v.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static int intParam(Call req, String name, int dflt) {
        String v = req.param(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw Reply.fail(400, "Invalid " + name + ": " + v);
        }
    }

    private static double doubleParam(Call req, String name, double dflt) {
        String v = req.param(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw Reply.fail(400, "Invalid " + name + ": " + v);
        }
    }
}
