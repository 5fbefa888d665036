package io.focus.app.http;

import com.google.inject.Inject;
import io.focus.app.spi.ConferenceRequest;
import io.focus.app.spi.ConferenceRequestHandler;
import java.util.Map;

/**
 * {@code POST /conference-request/v1}: the HTTP form of the conference IQ. The {@code Authorization: Bearer}
 * header carries the client's JWT (passed to the handler), so this call does not use the admin token. Errors as
 * Jicofo: not-authorized ⇒ 403, not-acceptable ⇒ 400 "invalid-session", others ⇒ 400. {@code OPTIONS} (a
 * browser's preflight) is answered 200 with no body, as Jicofo does (Jicofo sends no {@code Access-Control-*}
 * headers, so neither do we; clients reach it through the web server, same-origin).
 */
public final class ConferenceRequestRoutes implements Routes {
    private final ConferenceRequestHandler handler;
    private final RestSettings settings;

    @Inject
    public ConferenceRequestRoutes(ConferenceRequestHandler handler, RestSettings settings) {
        this.handler = handler;
        this.settings = settings;
    }

    @Override
    public void register(RouteTable r) {
        if (!settings.conferenceRequest()) {
            return;
        }
        r.options("/conference-request/v1", req -> Reply.empty(200, Map.of("Allow", "OPTIONS, POST")));
        r.publicPost("/conference-request/v1", req -> {
            ConferenceRequest in = req.json(ConferenceRequest.class);
            if (in.room() == null || in.room().isBlank()) {
                throw Reply.fail(400, "bad-request: room is required");
            }
            try {
                return Reply.ok(handler.handle(in, req.bearerToken()));
            } catch (ConferenceRequestHandler.RequestException e) {
                return switch (e.condition()) {
                    case NOT_AUTHORIZED -> Reply.text(403, "not-authorized");
                    case NOT_ACCEPTABLE -> Reply.text(400, "invalid-session");
                    case SERVICE_UNAVAILABLE -> Reply.text(503, "service-unavailable: " + e.getMessage());
                    default -> Reply.text(400, e.condition().name().toLowerCase().replace('_', '-')
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                };
            }
        });
    }
}
