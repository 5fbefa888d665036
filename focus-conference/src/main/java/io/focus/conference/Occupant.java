package io.focus.conference;

/**
 * A room occupant as the conference sees it.
 *
 * @param nick the MUC nick, used as the endpoint id
 * @param occupantJid {@code room@conference.example.com/nick}
 * @param realJid the occupant's real JID if the room shows it, else null
 * @param region {@code <jitsi_participant_region>} from its presence, or null
 * @param statsId {@code <stats-id>} from its presence, or null
 * @param capsNode the entity capabilities node of its presence, {@code node#ver} of its
 *     {@code <c xmlns="http://jabber.org/protocol/caps">} (what Jicofo asks disco#info about, a-019), or null
 */
public record Occupant(String nick, String occupantJid, String realJid, String region, String statsId,
                       String capsNode) {
    /** An occupant whose presence has no entity capabilities. */
    public Occupant(String nick, String occupantJid, String realJid, String region, String statsId) {
        this(nick, occupantJid, realJid, region, statsId, null);
    }
}
