package io.focus.conference.signalling;

import java.util.LinkedHashMap;

/** {@link JingleSignaller}'s state of one conference. Control thread only. */
final class SignalledConference {
    final String room;
    /** Accepted sources of the participants, by endpoint id. */
    final SourceBook book;
    final LinkedHashMap<String, SignalledPeer> peers = new LinkedHashMap<>();
    boolean ended;
    /** A round of source updates is queued on the control thread. */
    boolean syncQueued;

    SignalledConference(String room, boolean stripSimulcast) {
        this.room = room;
        this.book = new SourceBook(stripSimulcast);
    }
}
