package io.focus.sim.participant;

/**
 * What came back for a Jingle IQ the participant sent.
 *
 * @param type           {@code result}, {@code error}, {@code timeout}, or {@code not-sent} (no session, not connected)
 * @param errorCondition the RFC 6120 condition of an error, else null
 * @param detail         the error text or why it was not sent, else null
 */
public record JingleReply(String type, String errorCondition, String detail) {
    public boolean isResult() { return "result".equals(type); }
    public boolean isError() { return "error".equals(type); }
}
