package io.focus.core.xmpp.connection;

import com.github.benmanes.caffeine.cache.Ticker;
import io.focus.core.xmpp.StanzaHygiene;
import java.util.Objects;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;

/**
 * Lets a received stanza through to the focus, or refuses it by {@link StanzaLimits} (what a refusal does, the reply to
 * an IQ request and the counting, is {@link StanzaHygiene}'s):
 * <ul>
 *   <li>Rate: IQ requests and messages take a token of their sender's (full JID) bucket. Presences and IQ results and
 *       errors never do: a presence dropped would leave the focus with a wrong view of a room, and a reply dropped
 *       would fail the focus's own request; neither is work a sender can make the focus do.</li>
 *   <li>Size: any stanza over {@code max-stanza-bytes}, except a presence of type unavailable: it carries nothing
 *       the focus reads, and dropping it would keep a participant that has left.</li>
 *   <li>Never limited: stanzas from the focus's own server and its components (a domain JID, or no {@code from}) and
 *       from the focus's own account.</li>
 *   <li>Bridges (occupants of the brewery) are exempt from the rate: Prosody stamps the {@code from} of an occupant,
 *       so only a member of the brewery can send as one; the bridges are the operator's and the focus trusts them
 *       with its calls anyway; and what they send the focus (stats presence, replies to its Colibri2 requests and
 *       health checks) is not limited, so a limit could only ever cut off a healthy bridge.</li>
 * </ul>
 * Called on the connection's reader thread, once per stanza, before any collector or listener sees it.
 */
final class StanzaGate {
    private final StanzaLimits limits;
    private final StanzaHygiene hygiene;
    private final SenderRateLimiter rates;
    private final BareJid self;

    /**
     * @param self the bare JID of the focus's own account
     */
    StanzaGate(StanzaLimits limits, StanzaHygiene hygiene, BareJid self, Ticker ticker) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.hygiene = Objects.requireNonNull(hygiene, "hygiene");
        this.self = self;
        this.rates = limits.rateLimited()
                ? new SenderRateLimiter(limits.perSecondPerSender(), limits.senderBurst(), ticker) : null;
    }

    /**
     * Whether {@code stanza} may go on to the focus; if not, the refusal has been handled.
     *
     * @param bytes its size as XML (0 when unknown)
     */
    boolean admit(XMPPConnection connection, Stanza stanza, long bytes) {
        Jid from = stanza.getFrom();
        if (from == null || from.isDomainBareJid() || from.asBareJid().equals(self)) {
            return true;
        }
        if (rates != null && takesToken(stanza) && !limits.trustedRooms().contains(from.asBareJid())
                && !rates.tryAcquire(from)) {
            hygiene.onRateLimited(connection, stanza, limits.perSecondPerSender());
            return false;
        }
        if (bytes > limits.maxStanzaBytes()
                && !(stanza instanceof Presence p && p.getType() == Presence.Type.unavailable)) {
            hygiene.onTooLarge(connection, stanza, bytes, limits.maxStanzaBytes());
            return false;
        }
        return true;
    }

    private static boolean takesToken(Stanza stanza) {
        return stanza instanceof Message || (stanza instanceof IQ iq && iq.isRequestIQ());
    }

    /** Senders with a rate bucket now (for tests). */
    long trackedSenders() {
        return rates == null ? 0 : rates.tracked();
    }
}
