package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.admin.PinRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Jicofo's version pins: {@code GET /pin}, {@code POST /pin}, {@code POST /pin/remove}. */
public final class PinRoutes implements Routes {
    /** {@code POST /pin} body. */
    public record PinRequest(String conferenceId, String jvbVersion, Integer durationMinutes) {}

    /** {@code POST /pin/remove} body. */
    public record UnpinRequest(String conferenceId) {}

    private final PinRegistry pins;
    private final RestSettings settings;

    @Inject
    public PinRoutes(PinRegistry pins, RestSettings settings) {
        this.pins = pins;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        if (!settings.pin()) {
            return;
        }
        r.get("/pin", req -> {
            List<Map<String, Object>> out = pins.list().stream()
                    .map(p -> Map.<String, Object>of("conferenceId", p.conferenceId(), "jvbVersion", p.jvbVersion(),
                            "expiresAt", p.expiresAt().toString()))
                    .toList();
            return Reply.ok(out);
        });
        r.post("/pin", req -> {
            PinRequest p = req.json(PinRequest.class);
            if (p.conferenceId() == null || p.conferenceId().isBlank()) {
                throw Reply.fail(400, "Missing conferenceId");
            }
            if (p.jvbVersion() == null || p.jvbVersion().isBlank()) {
                throw Reply.fail(400, "Missing jvbVersion");
            }
            if (p.durationMinutes() == null || p.durationMinutes() <= 0) {
                throw Reply.fail(400, "durationMinutes must be a positive number of minutes");
            }
            PinRegistry.Pin pin = pins.pin(p.conferenceId(), p.jvbVersion(), Duration.ofMinutes(p.durationMinutes()));
            return Reply.ok(Map.of("conferenceId", pin.conferenceId(), "jvbVersion", pin.jvbVersion(),
                    "expiresAt", pin.expiresAt().toString()));
        });
        r.post("/pin/remove", req -> {
            UnpinRequest u = req.json(UnpinRequest.class);
            if (u.conferenceId() == null || u.conferenceId().isBlank()) {
                throw Reply.fail(400, "Missing conferenceId");
            }
            boolean removed = pins.unpin(u.conferenceId());
            return Reply.ok(Map.of("conferenceId", u.conferenceId(), "removed", removed));
        });
    }
}
