package io.focus.app.admin;

import io.focus.conference.ConferenceSnapshot;

/**
 * Every conference's latest immutable view ({@code ConferenceView}, {@code ParticipantView}), for {@code /debug}.
 * Implemented by the conference wiring ({@code FocusConferences}); safe from any thread.
 */
public interface ConferenceViews {
    ConferenceSnapshot snapshot();
}
