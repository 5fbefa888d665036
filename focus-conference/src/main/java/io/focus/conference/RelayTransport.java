package io.focus.conference;

import io.focus.core.colibri.Colibri2Transport;

/**
 * The transport one bridge returned for a relay, to be forwarded to the bridge at the other end.
 *
 * @param transport the relay's {@code <transport>} as received (DTLS setup {@code actpass}); the backend rewrites the
 *     setup when it forwards it
 */
public record RelayTransport(Colibri2Transport transport) {
}
