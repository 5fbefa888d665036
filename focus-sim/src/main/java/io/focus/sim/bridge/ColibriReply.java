package io.focus.sim.bridge;

import java.util.Map;

/** What the simulated bridge answers to one {@code conference-modify}. */
public sealed interface ColibriReply {
    /** A result: the inner XML of {@code <conference-modified xmlns='jitsi:colibri2'>}. */
    record Result(String innerXml) implements ColibriReply { }

    /**
     * An error: an RFC 6120 condition (e.g. {@code item-not-found}), its text, an optional colibri2 reason
     * ({@code <error xmlns='jitsi:colibri2' reason=.../>}), and the request's {@code conference-modify} attributes
     * echoed back as the real JVB does.
     */
    record Error(String condition, String text, String colibriReason, Map<String, String> echo) implements ColibriReply { }
}
