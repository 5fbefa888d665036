package io.focus.sim.bridge;

import java.util.Map;

/** What the simulated bridge answers to one {@code conference-modify}. */
public sealed interface ColibriReply {
    /** A result: the inner XML of {@code <conference-modified xmlns='jitsi:colibri2'>}. */
    record Result(String innerXml) implements ColibriReply { }

    /**
     * An error: an RFC 6120 condition (e.g. {@code item-not-found}), its text, an optional colibri2 reason
     * ({@code <error xmlns='jitsi:colibri2' reason=.../>}), the request's {@code conference-modify} attributes
     * echoed back as the real JVB does, and optional extra XML the real JVB puts inside {@code <error>} after the
     * reason (e.g. {@code <endpoint xmlns='jitsi:colibri2' id=.../>} for an unknown endpoint), or null.
     */
    record Error(String condition, String text, String colibriReason, Map<String, String> echo, String extraXml)
            implements ColibriReply {
        /** An error without extra XML. */
        public Error(String condition, String text, String colibriReason, Map<String, String> echo) {
            this(condition, text, colibriReason, echo, null);
        }
    }
}
