package io.focus.health.discovery;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Locale;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Settings of bridge discovery.
 *
 * @param breweryJid {@code jicofo.bridge.brewery-jid}, lower-cased (Prosody lower-cases room names); null when unset
 *     (then the brewery is not joined)
 * @param reconnectGracePeriod {@code focus.brewery.reconnect-grace-period}: bridges back in the room within this
 *     period after the focus lost its connection (or the room was shut down under it) are the same bridges
 * @param mode {@code focus.discovery.mode}: {@code muc}, {@code pubsub} or {@code both}
 * @param pubsubService {@code focus.pubsub.service} (legacy {@code org.jitsi.focus.pubsub.ADDRESS}); null when unset
 * @param pubsubNode {@code focus.pubsub.node} (legacy {@code org.jitsi.jicofo.STATS_PUBSUB_NODE})
 * @param pubsubStatsTimeout {@code focus.pubsub.stats-timeout}: a pubsub-discovered bridge whose stats stop arriving
 *     for this long is removed
 * @param leaveConfirmDelay {@code focus.brewery.leave-confirm-delay}: how long a leave whose status text says the
 *     server disconnected the bridge (for a reason not recognised as a shutdown) waits before it is final; if the
 *     focus's own connection drops meanwhile (Prosody stopping), the leave becomes a grace-period miss
 * @param plainLeaveDelay {@code focus.brewery.plain-leave-delay}: the same for a leave without status text (a bridge
 *     leaving or crashing; Prosody 0.12 sends none for either); 0 by default: removed at once
 */
public record BrewerySettings(String breweryJid, Duration reconnectGracePeriod, Mode mode, String pubsubService,
                              String pubsubNode, Duration pubsubStatsTimeout, Duration leaveConfirmDelay,
                              Duration plainLeaveDelay) {
    /** Without a plain-leave delay (plain leaves are final at once). */
    public BrewerySettings(String breweryJid, Duration reconnectGracePeriod, Mode mode, String pubsubService,
                           String pubsubNode, Duration pubsubStatsTimeout, Duration leaveConfirmDelay) {
        this(breweryJid, reconnectGracePeriod, mode, pubsubService, pubsubNode, pubsubStatsTimeout, leaveConfirmDelay,
                Duration.ZERO);
    }

    public enum Mode { MUC, PUBSUB, BOTH;
        public boolean muc() { return this != PUBSUB; }
        public boolean pubsub() { return this != MUC; }
    }

    public BrewerySettings {
        if (breweryJid != null) {
            breweryJid = breweryJid.trim().toLowerCase(Locale.ROOT);
            try {
                JidCreate.entityBareFrom(breweryJid);
            } catch (XmppStringprepException | IllegalArgumentException e) {
                throw new ConfigException.Generic("Bad configuration: jicofo.bridge.brewery-jid is not a room JID: "
                        + breweryJid);
            }
        }
        if (reconnectGracePeriod == null || reconnectGracePeriod.isNegative()) {
            throw new ConfigException.Generic("Bad configuration: focus.brewery.reconnect-grace-period must be >= 0");
        }
        if (mode == null) {
            mode = Mode.MUC;
        }
        if (mode.muc() && breweryJid == null) {
            // as Jicofo: no brewery configured means no MUC discovery, logged by the watcher
        }
        if (mode.pubsub()) {
            if (pubsubService == null || pubsubService.isBlank()) {
                throw new ConfigException.Generic("Bad configuration: focus.pubsub.service must be set when "
                        + "focus.discovery.mode is " + mode.name().toLowerCase(Locale.ROOT));
            }
            try {
                JidCreate.bareFrom(pubsubService.trim());
            } catch (XmppStringprepException | IllegalArgumentException e) {
                throw new ConfigException.Generic("Bad configuration: focus.pubsub.service is not a JID: " + pubsubService);
            }
            if (pubsubNode == null || pubsubNode.isBlank()) {
                throw new ConfigException.Generic("Bad configuration: focus.pubsub.node must be set");
            }
        }
        if (leaveConfirmDelay == null || leaveConfirmDelay.isNegative()) {
            throw new ConfigException.Generic("Bad configuration: focus.brewery.leave-confirm-delay must be >= 0");
        }
        if (plainLeaveDelay == null || plainLeaveDelay.isNegative()) {
            throw new ConfigException.Generic("Bad configuration: focus.brewery.plain-leave-delay must be >= 0");
        }
        if (pubsubStatsTimeout == null || pubsubStatsTimeout.isNegative() || pubsubStatsTimeout.isZero()) {
            throw new ConfigException.Generic("Bad configuration: focus.pubsub.stats-timeout must be positive");
        }
    }

    public static BrewerySettings fromConfig(Config c) {
        String modeText = c.getString("focus.discovery.mode");
        Mode mode;
        try {
            mode = Mode.valueOf(modeText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic("Bad configuration: focus.discovery.mode must be muc, pubsub or both, got '"
                    + modeText + "'");
        }
        return new BrewerySettings(
                c.hasPath("jicofo.bridge.brewery-jid") ? c.getString("jicofo.bridge.brewery-jid") : null,
                c.getDuration("focus.brewery.reconnect-grace-period"),
                mode,
                c.hasPath("focus.pubsub.service") ? c.getString("focus.pubsub.service") : null,
                c.getString("focus.pubsub.node"),
                c.getDuration("focus.pubsub.stats-timeout"),
                c.getDuration("focus.brewery.leave-confirm-delay"),
                c.getDuration("focus.brewery.plain-leave-delay"));
    }

    public EntityBareJid breweryRoom() {
        try {
            return breweryJid == null ? null : JidCreate.entityBareFrom(breweryJid);
        } catch (XmppStringprepException e) {
            throw new IllegalStateException(e);
        }
    }
}
