package io.focus.sim.participant;

import java.util.List;
import java.util.Map;

/**
 * An ICE-UDP transport ({@code urn:xmpp:jingle:transports:ice-udp:1}) as read from, or written into, a Jingle
 * content: ufrag/pwd, the DTLS fingerprint, candidates and the colibri web-socket URL (bridge side only).
 */
public record IceTransport(String ufrag, String pwd, String fingerprint, String hash, String setup,
                           List<Candidate> candidates, String webSocketUrl, boolean rtcpMux) {
    public IceTransport {
        candidates = List.copyOf(candidates);
    }

    /** One {@code <candidate>}: its attributes as sent. */
    public record Candidate(Map<String, String> attributes) {
        public Candidate {
            attributes = Map.copyOf(attributes);
        }
        public String type() { return attributes.get("type"); }
        public String ip() { return attributes.get("ip"); }
        public int port() { return Integer.parseInt(attributes.getOrDefault("port", "0")); }
        public String protocol() { return attributes.get("protocol"); }
    }
}
