package io.focus.core.conference;

import org.jivesoftware.smack.packet.ExtensionElement;

/**
 * The transport one bridge returned for a relay, to be forwarded to the bridge at the other end.
 *
 * @param transport the relay's {@code <transport>} as received (DTLS setup {@code actpass}); the backend rewrites the
 *     setup when it forwards it
 */
public record RelayTransport(ExtensionElement transport) {
}
