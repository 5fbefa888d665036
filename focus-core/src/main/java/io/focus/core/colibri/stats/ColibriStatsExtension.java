package io.focus.core.colibri.stats;

import io.focus.core.bridge.BridgeStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * {@code <stats xmlns="http://jitsi.org/protocol/colibri"><stat name=".." value=".."/>...</stats>}: what a bridge
 * puts in its brewery presence (and publishes as pubsub items in the legacy setup).
 */
public final class ColibriStatsExtension implements ExtensionElement {
    public static final String ELEMENT = "stats";
    public static final String NAMESPACE = "http://jitsi.org/protocol/colibri";

    private final Map<String, String> stats;
    private final int malformedChildren;

    public ColibriStatsExtension(Map<String, String> stats) {
        this(stats, 0);
    }

    ColibriStatsExtension(Map<String, String> stats, int malformedChildren) {
        this.stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
        this.malformedChildren = malformedChildren;
    }

    public Map<String, String> stats() { return stats; }

    /** {@code <stat>} children that lacked a name or value and were skipped by the parser. */
    public int malformedChildren() { return malformedChildren; }

    public BridgeStats toBridgeStats() { return new BridgeStats(stats); }

    @Override public String getElementName() { return ELEMENT; }
    @Override public String getNamespace() { return NAMESPACE; }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosingNamespace) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosingNamespace);
        if (stats.isEmpty()) {
            return xml.closeEmptyElement();
        }
        xml.rightAngleBracket();
        for (Map.Entry<String, String> e : stats.entrySet()) {
            xml.halfOpenElement("stat").attribute("name", e.getKey()).attribute("value", e.getValue()).closeEmptyElement();
        }
        return xml.closeElement(this);
    }
}
