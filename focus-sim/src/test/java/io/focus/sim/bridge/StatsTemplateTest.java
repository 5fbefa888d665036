package io.focus.sim.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import io.focus.sim.Fixtures;
import io.focus.sim.xml.Xml;

class StatsTemplateTest {

    private static List<String> names(Element stats) {
        return Xml.children(stats, "stat").stream().map(e -> e.getAttribute("name")).toList();
    }

    @Test
    void templateHasTheCapturedShapeNamesAndOrder() {
        Element captured = Xml.child(Fixtures.stanza("jvb-stats-presence.xml"), "stats").orElseThrow();
        Element ours = Xml.parse(StatsTemplate.xml(StatsTemplate.defaults()));
        assertEquals(Xml.shape(captured), Xml.shape(ours));
        assertEquals(names(captured), names(ours));
        assertEquals(82, names(ours).size());
        // same values as captured for the idle template
        for (Element s : Xml.children(captured, "stat")) {
            assertEquals(s.getAttribute("value"), StatsTemplate.defaults().get(s.getAttribute("name")), s.getAttribute("name"));
        }
    }

    @Test
    void gracefulAndShuttingDownPresencesHaveTheSameStatNames() {
        List<String> ours = names(Xml.parse(StatsTemplate.xml(StatsTemplate.defaults())));
        for (String f : List.of("jvb-stats-presence-graceful.xml", "jvb-stats-presence-shutting-down.xml",
                "jvb-stats-presence-eu-west.xml")) {
            assertEquals(ours, names(Xml.child(Fixtures.stanza(f), "stats").orElseThrow()), f);
        }
    }

    @Test
    void valuesAreEscapedAndNullsLeftOut() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("region", "a'b<c");
        m.put("drain", null);
        Element e = Xml.parse(StatsTemplate.xml(m));
        assertEquals("a'b<c", Xml.children(e, "stat").get(0).getAttribute("value"));
        assertEquals(1, Xml.children(e, "stat").size());
        assertFalse(StatsTemplate.xml(m).contains("drain"));
    }
}
