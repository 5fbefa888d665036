package io.focus.conference;

/**
 * The answer to a conference request.
 *
 * @param roomJid the room, normalised to lower case
 * @param ready the focus is in the room
 * @param meetingId the conference's meeting id
 */
public record ConferenceRequestResult(String roomJid, boolean ready, String meetingId) {
}
