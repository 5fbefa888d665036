package io.focus.core.xmpp;

import java.util.EnumSet;
import java.util.Set;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;

/**
 * Tells an error reply the server wrote for an addressee it cannot reach (a bounce) from one the addressee wrote. The
 * one classifier for it: health checks ({@code SmackHealthCheckSender}) and Colibri2 requests
 * ({@code ColibriDeadlineWatch}, {@code XmppColibriBackend}) both use it.
 *
 * <p>What Prosody 0.12 writes for a bridge it cannot reach:
 * <ul>
 *   <li>the brewery MUC, for an occupant that left: {@code item-not-found} "Recipient not in room", {@code by} the
 *       room, no application-specific condition (real-call d-009);</li>
 *   <li>stream management, for the stanzas queued to a session whose hibernation ended (a killed bridge):
 *       {@code recipient-unavailable} ({@code mod_smacks});</li>
 *   <li>a component whose connection is down: {@code remote-server-timeout} "Component unavailable" with
 *       {@code <not-connected xmlns='xmpp:prosody.im/protocol/component'/>} ({@code mod_component}; other versions
 *       use {@code service-unavailable} with the same element);</li>
 *   <li>{@code remote-server-not-found} for a domain it cannot reach.</li>
 * </ul>
 * A real JVB's Colibri2 errors are different: its {@code item-not-found} always carries a
 * {@code <error xmlns='jitsi:colibri2' reason='conference_not_found'/>} or {@code unknown_endpoint}
 * (real-jitsi {@code colibri2-error-conference-not-found}, real-call e-008/e-010/e-012), and it never answers with
 * the three unreachable conditions. So: {@code recipient-unavailable}, {@code remote-server-timeout},
 * {@code remote-server-not-found}, Prosody's {@code not-connected}, and {@code item-not-found} without a
 * {@code jitsi:colibri2} error element are bounces; anything else is the addressee's answer. (A health check is never
 * answered {@code item-not-found} by a bridge, so there too it is the server's.)
 */
public final class ServerBounce {
    private ServerBounce() {}

    /** Prosody's application-specific condition of a bounce for a component that is not connected. */
    public static final String PROSODY_COMPONENT_NS = "xmpp:prosody.im/protocol/component";
    public static final String NOT_CONNECTED = "not-connected";
    /** The bridge's own application-specific condition ({@code io.focus.core.colibri.Colibri2Error}). */
    private static final String COLIBRI2_ERROR = "error";
    private static final String COLIBRI2_NS = "jitsi:colibri2";

    private static final Set<StanzaError.Condition> UNREACHABLE = EnumSet.of(
            StanzaError.Condition.recipient_unavailable, StanzaError.Condition.remote_server_timeout,
            StanzaError.Condition.remote_server_not_found);

    /** True when the error was written by the server because it cannot reach the addressee. */
    public static boolean isBounce(StanzaError error) {
        if (error == null) {
            return false;
        }
        if (error.getExtension(NOT_CONNECTED, PROSODY_COMPONENT_NS) != null) {
            return true;
        }
        StanzaError.Condition c = error.getCondition();
        if (UNREACHABLE.contains(c)) {
            return true;
        }
        return c == StanzaError.Condition.item_not_found && error.getExtension(COLIBRI2_ERROR, COLIBRI2_NS) == null;
    }

    /** {@link #isBounce(StanzaError)} of an error reply; false for anything else. */
    public static boolean isBounce(Throwable e) {
        return e instanceof XMPPException.XMPPErrorException xe && isBounce(xe.getStanzaError());
    }
}
