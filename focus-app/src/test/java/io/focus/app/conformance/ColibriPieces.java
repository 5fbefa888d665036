package io.focus.app.conformance;

import io.focus.sim.xml.Xml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The Colibri2 requests to one bridge cut into pieces that do not depend on how they were grouped into IQs
 * ({@link AllowedDifference#COLIBRI_GROUPING}): the conference attributes of a create or expire, each endpoint
 * element (create/update/expire), each relay element without its endpoints, and each endpoint inside a relay.
 */
final class ColibriPieces {
    private ColibriPieces() { }

    /** Key to the pieces in request order; keys like {@code endpoint:<id>:update}, {@code relay:jvb-2/endpoint:<id>:create}. */
    static Map<String, List<Element>> of(List<Element> iqs) {
        Map<String, List<Element>> out = new LinkedHashMap<>();
        for (Element iq : iqs) {
            Element modify = Xml.child(iq, "conference-modify").orElseThrow();
            Element conf = copy(modify);
            for (Element c : Xml.children(conf)) {
                if (ReplayBridge.isPart(c)) {
                    conf.removeChild(c);
                }
            }
            if (Xml.boolAttr(modify, "create")) {
                add(out, "conference:create", conf);
            } else if (Xml.boolAttr(modify, "expire")) {
                add(out, "conference:expire", conf);
            }
            for (Element part : Xml.children(modify)) {
                if ("endpoint".equals(part.getLocalName())) {
                    add(out, ReplayBridge.key(part), copy(part));
                } else if ("relay".equals(part.getLocalName())) {
                    Element relay = copy(part);
                    for (Element eps : Xml.children(relay, "endpoints")) {
                        relay.removeChild(eps);
                    }
                    if (!Xml.children(relay).isEmpty() || Xml.boolAttr(part, "create") || Xml.boolAttr(part, "expire")) {
                        add(out, ReplayBridge.key(part), relay);
                    }
                    for (Element eps : Xml.children(part, "endpoints")) {
                        for (Element ep : Xml.children(eps, "endpoint")) {
                            add(out, "relay:" + part.getAttribute("id") + "/" + ReplayBridge.key(ep), copy(ep));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The recorded requests of the focus to {@code bridge} in {@code seq}. */
    static List<Element> recorded(RecordedSequence seq, String bridge) {
        List<Element> out = new ArrayList<>();
        seq.where(s -> s.sender().equals("focus") && s.receiver().equals(bridge) && s.what().startsWith("colibri2"))
                .forEach(s -> out.add(s.deliveredXml()));
        return out;
    }

    private static void add(Map<String, List<Element>> out, String key, Element e) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
    }

    private static Element copy(Element e) {
        return Xml.parse(Xml.toString(e));
    }
}
