package io.focus.app.http;

import io.focus.conference.ConferenceView;
import io.focus.conference.ParticipantView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One conference's debug state as JSON, from its immutable view, with Jicofo's conference debug keys where it has
 * them ({@code name}, {@code meeting_id}, {@code participants} keyed by endpoint id).
 *
 * <p>A participant's {@code session} is derived from its view: {@code none} while it has no place (waiting, being
 * placed, no bridge), {@code offered} once placed until it accepts, {@code accepted} once its transport reached the
 * focus; {@code sources} counts the SSRCs it signalled for its current place.
 */
final class DebugJson {
    private DebugJson() {}

    static Map<String, Object> conference(ConferenceView c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.roomJid());
        m.put("meeting_id", c.meetingId());
        m.put("created", c.createdAt().toString());
        m.put("room_joined", c.roomJoined());
        m.put("ended", c.ended());
        m.put("bridge_not_available", c.bridgeNotAvailable());
        Map<String, Object> participants = new LinkedHashMap<>();
        for (ParticipantView p : c.participants()) {
            participants.put(p.id(), participant(p));
        }
        m.put("participants", participants);
        Map<String, Object> bridges = new LinkedHashMap<>();
        for (ConferenceView.BridgeUse b : c.bridges()) {
            bridges.put(b.bridgeId(), bridge(b));
        }
        m.put("bridges", bridges);
        return m;
    }

    static Map<String, Object> participant(ParticipantView p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("occupant_jid", p.occupantJid());
        m.put("region", p.region());
        m.put("stats_id", p.statsId());
        m.put("state", p.state().name());
        m.put("since", p.since() == null ? null : p.since().toString());
        m.put("bridge", p.bridgeNick());
        m.put("bridge_id", p.bridgeId());
        m.put("bridge_session_id", p.allocation() == null ? null : p.allocation().bridgeSessionId());
        m.put("session", session(p));
        m.put("sources", p.sourceCount());
        m.put("moving", p.moving());
        if (p.moving()) {
            m.put("moved_from", p.movedFrom());
            m.put("move_reason", p.moveReason());
        }
        m.put("failures", p.failures());
        m.put("excluded_bridges", p.excludedBridges());
        return m;
    }

    static String session(ParticipantView p) {
        if (!p.placed()) {
            return "none";
        }
        return p.mediaSignalled() ? "accepted" : "offered";
    }

    static Map<String, Object> bridge(ConferenceView.BridgeUse b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nick", b.nick());
        m.put("relay_id", b.relayId());
        m.put("session_id", b.sessionId());
        m.put("created", b.created());
        m.put("participants", b.participants());
        m.put("relays", b.relays());
        m.put("relay_endpoints", b.relayEndpoints());
        m.put("failed_relays", b.failedRelays());
        return m;
    }
}
