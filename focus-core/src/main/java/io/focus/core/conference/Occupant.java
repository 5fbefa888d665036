package io.focus.core.conference;

/**
 * A room occupant as the conference sees it.
 *
 * @param nick the MUC nick, used as the endpoint id
 * @param occupantJid {@code room@conference.example.com/nick}
 * @param realJid the occupant's real JID if the room shows it, else null
 * @param region {@code <jitsi_participant_region>} from its presence, or null
 * @param statsId {@code <stats-id>} from its presence, or null
 */
public record Occupant(String nick, String occupantJid, String realJid, String region, String statsId) {
}
