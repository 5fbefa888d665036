package io.focus.app.spi;

import java.util.Map;

/**
 * The HTTP form of the focus's conference IQ ({@code POST /conference-request/v1}), field names as Jicofo's JSON.
 * Used for both the request and the response.
 */
public record ConferenceRequest(String room, Boolean ready, String focusJid, String sessionId, String machineUid,
                                String identity, String vnode, Map<String, String> properties) {
    public ConferenceRequest {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
