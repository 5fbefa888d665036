package io.focus.conference;

/**
 * The conference as a bridge sees it.
 *
 * @param meetingId the id the bridge keys the conference by (random per focus conference)
 * @param roomJid the room's bare JID, sent as the conference {@code name}
 * @param rtcstatsEnabled whether the bridge should send rtcstats for it
 */
public record ConferenceSpec(String meetingId, String roomJid, boolean rtcstatsEnabled) {
}
