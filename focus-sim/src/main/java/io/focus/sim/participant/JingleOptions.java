package io.focus.sim.participant;

/**
 * How a simulated participant behaves on Jingle.
 *
 * @param jsonSources  advertise {@code http://jitsi.org/json-encoded-sources} in the participant's disco#info
 *                     answers (the captured presence had no caps, so Jicofo asked the occupant by disco#info; Smack's
 *                     entity caps, when it adds them, hash the same feature list), asking the focus for JSON-encoded
 *                     sources. The participant reads both forms whatever this says.
 * @param autoAccept   answer {@code session-initiate} with {@code session-accept} at once (default); when false the
 *                     offer is acked and held until {@link SimParticipant#accept()}
 * @param neverAnswer  reply to no Jingle IQ at all, not even with an ack (to test the focus's offer timeout); the
 *                     offers are still recorded
 * @param simulcast    three video layers (SIM group + an FID group per layer) instead of one video SSRC + RTX
 * @param signalOwner  put {@code <ssrc-info owner='room@conference/endpoint'>} into the participant's own sources,
 *                     as lib-jitsi-meet does; the captured simulated participant did not
 */
public record JingleOptions(boolean jsonSources, boolean autoAccept, boolean neverAnswer, boolean simulcast,
                            boolean signalOwner) {
    public static final String JSON_SOURCES_FEATURE = "http://jitsi.org/json-encoded-sources";

    /** XML sources, auto-accept, one video layer, owner signalled. */
    public static JingleOptions defaults() {
        return new JingleOptions(false, true, false, false, true);
    }

    public JingleOptions withJsonSources(boolean v) { return new JingleOptions(v, autoAccept, neverAnswer, simulcast, signalOwner); }
    public JingleOptions withAutoAccept(boolean v) { return new JingleOptions(jsonSources, v, neverAnswer, simulcast, signalOwner); }
    public JingleOptions withNeverAnswer(boolean v) { return new JingleOptions(jsonSources, autoAccept, v, simulcast, signalOwner); }
    public JingleOptions withSimulcast(boolean v) { return new JingleOptions(jsonSources, autoAccept, neverAnswer, v, signalOwner); }
    public JingleOptions withSignalOwner(boolean v) { return new JingleOptions(jsonSources, autoAccept, neverAnswer, simulcast, v); }
}
