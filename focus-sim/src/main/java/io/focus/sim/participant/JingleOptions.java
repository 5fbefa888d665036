package io.focus.sim.participant;

/**
 * How a simulated participant behaves on Jingle. The defaults are what the recorded lib-jitsi-meet clients did
 * ({@code fixtures/real-call/} a-044, a-047, a-050).
 *
 * @param jsonSources  advertise {@code http://jitsi.org/json-encoded-sources} in the participant's disco#info
 *                     answers (the captured presence had no caps, so Jicofo asked the occupant by disco#info; Smack's
 *                     entity caps, when it adds them, hash the same feature list), asking the focus for JSON-encoded
 *                     sources. On by default: the recorded clients advertised it (a-020) and Jicofo sent them JSON
 *                     sources (a-037, a-053). Off is an older client, which gets XML {@code <source>}s. The
 *                     participant reads both forms whatever this says.
 * @param autoAccept   answer {@code session-initiate} with {@code session-accept} at once (default); when false the
 *                     offer is acked and held until {@link SimParticipant#accept()}
 * @param neverAnswer  reply to no Jingle IQ at all, not even with an ack (to test the focus's offer timeout); the
 *                     offers are still recorded
 * @param simulcast    three video layers (SIM group + an FID group per layer) instead of one video SSRC + RTX
 * @param signalOwner  put {@code <ssrc-info owner='room@conference/endpoint'>} into the participant's own sources.
 *                     Off by default: the recorded clients did not (the focus must know the sender itself)
 * @param candidates   put one host ICE candidate into the participant's transport. Off by default: the recorded
 *                     clients sent no candidates at all (and no transport-info); the bridge learns the address from
 *                     connectivity checks
 */
public record JingleOptions(boolean jsonSources, boolean autoAccept, boolean neverAnswer, boolean simulcast,
                            boolean signalOwner, boolean candidates) {
    public static final String JSON_SOURCES_FEATURE = "http://jitsi.org/json-encoded-sources";

    /** Like the recorded clients: JSON sources asked for, auto-accept, one video layer, no owner, no candidates. */
    public static JingleOptions defaults() {
        return new JingleOptions(true, true, false, false, false, false);
    }

    public JingleOptions withJsonSources(boolean v) { return new JingleOptions(v, autoAccept, neverAnswer, simulcast, signalOwner, candidates); }
    public JingleOptions withAutoAccept(boolean v) { return new JingleOptions(jsonSources, v, neverAnswer, simulcast, signalOwner, candidates); }
    public JingleOptions withNeverAnswer(boolean v) { return new JingleOptions(jsonSources, autoAccept, v, simulcast, signalOwner, candidates); }
    public JingleOptions withSimulcast(boolean v) { return new JingleOptions(jsonSources, autoAccept, neverAnswer, v, signalOwner, candidates); }
    public JingleOptions withSignalOwner(boolean v) { return new JingleOptions(jsonSources, autoAccept, neverAnswer, simulcast, v, candidates); }
    public JingleOptions withCandidates(boolean v) { return new JingleOptions(jsonSources, autoAccept, neverAnswer, simulcast, signalOwner, v); }
}
