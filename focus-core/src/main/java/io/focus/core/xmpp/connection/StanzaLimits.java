package io.focus.core.xmpp.connection;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Locale;
import java.util.Set;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * What one sender may send the focus ({@code focus.xmpp.max-stanza-bytes},
 * {@code focus.xmpp.max-stanzas-per-second-per-sender}, {@code focus.xmpp.sender-burst}); enforced by
 * {@link StanzaGate}. Validated at construction: a bad value stops start-up naming its key.
 *
 * @param maxStanzaBytes      a stanza larger than this (as XML, UTF-8) is refused
 * @param perSecondPerSender  IQ requests and messages one sender (full JID) may send per second on average; 0: no limit
 * @param senderBurst         how many of those it may send at once after a quiet spell
 * @param trustedRooms        rooms whose occupants are exempt from the rate limit: the brewery
 *                            ({@code jicofo.bridge.brewery-jid}), whose occupants are the bridges
 */
public record StanzaLimits(long maxStanzaBytes, double perSecondPerSender, int senderBurst, Set<BareJid> trustedRooms) {
    /**
     * Below this, real calls break: a real client's session-accept is ~6 KB (real-call fixtures), more with simulcast
     * and screen sharing.
     */
    public static final long MIN_STANZA_BYTES = 16 * 1024;

    public StanzaLimits {
        if (maxStanzaBytes < MIN_STANZA_BYTES) {
            throw new ConfigException.Generic("Bad configuration: focus.xmpp.max-stanza-bytes must be at least "
                    + MIN_STANZA_BYTES + " bytes (a real client's session-accept is ~6 KB), got " + maxStanzaBytes);
        }
        if (!Double.isFinite(perSecondPerSender) || perSecondPerSender < 0) {
            throw new ConfigException.Generic("Bad configuration: focus.xmpp.max-stanzas-per-second-per-sender must be"
                    + " a number >= 0 (0: no limit), got " + perSecondPerSender);
        }
        if (senderBurst < 1) {
            throw new ConfigException.Generic("Bad configuration: focus.xmpp.sender-burst must be at least 1, got "
                    + senderBurst);
        }
        trustedRooms = Set.copyOf(trustedRooms);
    }

    /** No limits (tests and tools that build a connection by hand). */
    public static StanzaLimits none() {
        return new StanzaLimits(Long.MAX_VALUE, 0, 1, Set.of());
    }

    /** From {@code focus.xmpp.*} (defaults in focus-core's reference.conf) and {@code jicofo.bridge.brewery-jid}. */
    public static StanzaLimits fromConfig(Config c) {
        String brewery = "jicofo.bridge.brewery-jid";
        Set<BareJid> rooms = Set.of();
        if (c.hasPath(brewery)) {
            String jid = c.getString(brewery).trim().toLowerCase(Locale.ROOT); // as Prosody has room names
            try {
                rooms = Set.of(JidCreate.entityBareFrom(jid));
            } catch (XmppStringprepException | IllegalArgumentException e) {
                throw new ConfigException.Generic("Bad configuration: " + brewery + " is not a room JID: " + jid, e);
            }
        }
        return new StanzaLimits(c.getBytes("focus.xmpp.max-stanza-bytes"),
                c.getDouble("focus.xmpp.max-stanzas-per-second-per-sender"), c.getInt("focus.xmpp.sender-burst"), rooms);
    }

    /** Whether a per-sender rate applies at all. */
    public boolean rateLimited() { return perSecondPerSender > 0; }
}
