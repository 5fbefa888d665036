package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.admin.SelectionLog;
import io.focus.core.selection.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /debug/selections[?limit=N]}: the last selection decisions with their reasons, newest first (admin token: they name participants). */
public final class DebugRoutes implements Routes {
    private final SelectionLog selections;
    private final RestSettings settings;

    @Inject
    public DebugRoutes(SelectionLog selections, RestSettings settings) {
        this.selections = selections;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        if (!settings.debug()) {
            return;
        }
        r.adminGet("/debug/selections", req -> {
            int limit = selections.capacity();
            String l = req.param("limit");
            if (l != null && !l.isBlank()) {
                try {
                    limit = Integer.parseInt(l.strip());
                } catch (NumberFormatException e) {
                    throw Reply.fail(400, "Invalid limit: " + l);
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (SelectionLog.Entry e : selections.recent(limit)) {
                out.add(entry(e));
            }
            return Reply.ok(Map.of("selections", out));
        });
    }

    static Map<String, Object> entry(SelectionLog.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        m.put("conference", e.conference());
        m.put("participant-region", e.participantRegion());
        m.put("visitor", e.visitor());
        m.put("bridge", e.bridgeNick());
        m.put("bridge-id", e.bridgeId());
        Reason r = e.reason();
        if (r != null) {
            m.put("rule", r.rule());
            m.put("candidates", r.candidates());
            Map<String, Integer> removed = new LinkedHashMap<>();
            r.removedCounts().forEach((f, n) -> removed.put(f.name().toLowerCase().replace('_', '-'), n));
            m.put("removed", removed);
            List<String> relaxed = new ArrayList<>();
            for (Reason.Relaxation x : Reason.Relaxation.values()) {
                if (r.relaxed(x)) {
                    relaxed.add(x.name().toLowerCase().replace('_', '-'));
                }
            }
            m.put("relaxed", relaxed);
            m.put("over-cap", r.overCap());
            m.put("reason", r.toString());
        }
        return m;
    }
}
