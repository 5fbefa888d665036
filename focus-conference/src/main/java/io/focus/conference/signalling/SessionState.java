package io.focus.conference.signalling;

/** Where a participant's Jingle session stands. */
enum SessionState {
    /** No Jingle session (never offered, terminated, or moving with RestartJingle). */
    NONE,
    /** session-initiate sent, not accepted yet. */
    OFFERED,
    /** Accepted. */
    ACTIVE,
    /** transport-replace sent on an active session (ReplaceTransport move), not accepted yet. */
    REPLACING
}
