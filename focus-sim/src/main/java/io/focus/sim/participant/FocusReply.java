package io.focus.sim.participant;

import java.util.Map;

/**
 * The focus's answer to a conference request, read from its XML.
 *
 * @param type           {@code result}, {@code error}, or {@code timeout} when nothing came back
 * @param attributes     the {@code <conference>} attributes (room, focusjid, ready, ...); empty on error/timeout
 * @param properties     the {@code <property name value>} children
 * @param errorCondition the RFC 6120 condition of an error reply, else null
 * @param xml            the reply as text (null on timeout)
 */
public record FocusReply(String type, Map<String, String> attributes, Map<String, String> properties,
                         String errorCondition, String xml) {
    public boolean isResult() { return "result".equals(type); }
    public boolean isError() { return "error".equals(type); }
    public boolean isTimeout() { return "timeout".equals(type); }
    public boolean ready() { return "true".equals(attributes.get("ready")); }
    public String focusJid() { return attributes.get("focusjid"); }
}
