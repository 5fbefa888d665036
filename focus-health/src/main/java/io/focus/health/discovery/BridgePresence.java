package io.focus.health.discovery;

import io.focus.core.colibri.stats.ColibriStatsExtension;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.parts.Resourcepart;

/** What a bridge's presence (or pubsub item) says: its colibri stats, and the id the focus knows it by. */
final class BridgePresence {
    private BridgePresence() {}

    /** The occupant JID as the focus addresses the bridge: room part lower-cased (as Prosody does), nick as is. */
    static String occupantId(Jid from) {
        String bare = from.asBareJid().toString().toLowerCase(Locale.ROOT);
        Resourcepart r = from.getResourceOrNull();
        return r == null ? bare : bare + "/" + r;
    }

    /** The stats of a presence, or null when it carries none. */
    static Map<String, String> statsOf(Stanza p) {
        return statsOf(p.getExtensionElement(ColibriStatsExtension.ELEMENT, ColibriStatsExtension.NAMESPACE));
    }

    /** The stats of a colibri stats element (parsed by our provider, or generic when none is registered). */
    static Map<String, String> statsOf(ExtensionElement ext) {
        if (ext == null) {
            return null;
        }
        if (ext instanceof ColibriStatsExtension stats) {
            return stats.stats();
        }
        if (ext instanceof StandardExtensionElement generic) {
            // providers not registered on this JVM: read the generic element
            Map<String, String> m = new LinkedHashMap<>();
            for (StandardExtensionElement stat : generic.getElements("stat")) {
                String name = stat.getAttributeValue("name");
                String value = stat.getAttributeValue("value");
                if (name != null && !name.isEmpty() && value != null) {
                    m.put(name, value);
                }
            }
            return m;
        }
        return null;
    }
}
