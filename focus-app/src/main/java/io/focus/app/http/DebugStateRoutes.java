package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.admin.ConferenceViews;
import io.focus.app.config.ConfigHolder;
import io.focus.core.bridge.BridgeState;
import io.focus.core.bridge.Bridges;
import io.focus.conference.ConferenceSnapshot;
import io.focus.conference.ConferenceView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jicofo's state dumps, behind the admin token (they show participants and their JIDs), with
 * {@code jicofo.rest.debug.enabled}:
 * <ul>
 *   <li>{@code GET /debug[?full=true]}: {@code focus_manager} (room → participants, or with {@code full} each
 *       conference's state) and {@code bridge_selector.bridge} (bridge JID → its state, as {@code /bridges});</li>
 *   <li>{@code GET /debug/conference/{jid}}: one conference ({@link DebugJson}); an unknown room is a 404 with
 *       {@code {"error": ...}} (Jicofo answers {@code {}}).</li>
 * </ul>
 */
public final class DebugStateRoutes implements Routes {
    private final ConferenceViews conferences;
    private final Bridges bridges;
    private final ConfigHolder config;
    private final RestSettings settings;

    @Inject
    public DebugStateRoutes(ConferenceViews conferences, Bridges bridges, ConfigHolder config, RestSettings settings) {
        this.conferences = conferences;
        this.bridges = bridges;
        this.config = config;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        if (!settings.debug()) {
            return;
        }
        r.adminGet("/debug", req -> Reply.ok(overview("true".equalsIgnoreCase(req.param("full")))));
        r.adminGet("/debug/conference/{jid}", req -> {
            String jid = req.pathParam("jid");
            ConferenceView c = conferences.snapshot().get(jid);
            if (c == null) {
                return Reply.json(404, Map.of("error", "Conference not found: " + jid));
            }
            return Reply.ok(DebugJson.conference(c));
        });
    }

    Map<String, Object> overview(boolean full) {
        ConferenceSnapshot s = conferences.snapshot();
        Map<String, Object> focus = new LinkedHashMap<>();
        for (ConferenceView c : s.conferences()) {
            focus.put(c.roomJid(), full ? DebugJson.conference(c) : c.participants().size());
        }
        double threshold = BridgeRoutes.stressThreshold(config);
        Map<String, Object> bridgeStates = new LinkedHashMap<>();
        for (BridgeState b : bridges.snapshot().bridges()) {
            bridgeStates.put(b.id(), BridgeJson.of(b, threshold));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("focus_manager", focus);
        m.put("bridge_selector", Map.of("bridge", bridgeStates));
        return m;
    }
}
