package io.focus.sim.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.focus.sim.BreweryObserver;
import io.focus.sim.prosody.ProsodyExtension;

/**
 * The focus registers JVM-global Smack providers for conference-modify and healthcheck; the simulator runs in the
 * same JVM (or without the focus's providers, when the focus runs as its own process) and must work either way.
 */
class ProviderIndependenceTest {
    @RegisterExtension
    static ProsodyExtension prosody = new ProsodyExtension();

    /** Stands in for a focus-side IQ class: keeps attributes and content, of its own class. */
    static final class ForeignIQ extends IQ {
        final Map<String, String> attrs;
        final String inner;

        ForeignIQ(String element, String ns, Map<String, String> attrs, String inner) {
            super(element, ns);
            this.attrs = attrs;
            this.inner = inner;
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            attrs.forEach(xml::attribute);
            if (inner.isEmpty()) {
                xml.setEmptyElement();
            } else {
                xml.rightAngleBracket().append(inner);
            }
            return xml;
        }
    }

    static final AtomicInteger PARSED = new AtomicInteger();

    static IQProvider<ForeignIQ> provider(String element, String ns) {
        return new IQProvider<>() {
            @Override
            public ForeignIQ parse(XmlPullParser parser, int initialDepth, XmlEnvironment env) throws org.jivesoftware.smack.xml.XmlPullParserException, java.io.IOException {
                Map<String, String> a = new LinkedHashMap<>();
                for (int i = 0; i < parser.getAttributeCount(); i++) {
                    a.put(parser.getAttributeName(i), parser.getAttributeValue(i));
                }
                // the parser stands on our start tag: take the whole element, keep its children's XML
                org.w3c.dom.Element whole = io.focus.sim.xml.Xml.parse(PacketParserUtils.parseElement(parser, true).toString());
                StringBuilder inner = new StringBuilder();
                io.focus.sim.xml.Xml.children(whole).forEach(c -> inner.append(io.focus.sim.xml.Xml.toString(c)));
                PARSED.incrementAndGet();
                return new ForeignIQ(element, ns, a, inner.toString());
            }
        };
    }

    @Test
    void worksWhetherOrNotSomeoneElseRegisteredProviders() throws Exception {
        // first without, then with foreign providers: the same behaviour
        for (boolean foreign : new boolean[] {false, true}) {
            if (foreign) {
                ProviderManager.addIQProvider("conference-modify", ColibriModel.NS, provider("conference-modify", ColibriModel.NS));
                ProviderManager.addIQProvider("healthcheck", SimBridge.HEALTH_NS, provider("healthcheck", SimBridge.HEALTH_NS));
            }
            int parsedBefore = PARSED.get();
            try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus");
                 SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), foreign ? "jvb2" : "jvb1"))) {
                await().until(() -> focus.stats.containsKey(jvb.nick()));
                assertEquals("result", focus.request(jvb.occupantJid(), IQ.Type.get, "healthcheck", SimBridge.HEALTH_NS,
                        Map.of(), "", Duration.ofSeconds(5)).getAttribute("type"));
                var created = focus.request(jvb.occupantJid(), IQ.Type.set, "conference-modify", ColibriModel.NS,
                        Map.of("meeting-id", "m1", "create", "true"),
                        "<endpoint id='a' create='true'><transport ice-controlling='true'/></endpoint><endpoint id='b' create='true'><transport ice-controlling='true'/></endpoint>",
                        Duration.ofSeconds(5));
                assertEquals("result", created.getAttribute("type"));
                assertEquals(Set.of("a", "b"), jvb.model().conference("m1").orElseThrow().endpoints());
                if (foreign) {
                    // the health check went through the foreign provider; conference-modify is read as raw text
                    // before any provider sees it (see nestedTransportNamespacesSurviveWithoutAnyProvider)
                    assertTrue(PARSED.get() - parsedBefore >= 1, "the foreign healthcheck provider was really used");
                } else {
                    assertEquals(parsedBefore, PARSED.get());
                }
            } finally {
                if (foreign) {
                    ProviderManager.removeIQProvider("conference-modify", ColibriModel.NS);
                    ProviderManager.removeIQProvider("healthcheck", SimBridge.HEALTH_NS);
                }
            }
        }
    }

    /**
     * With no provider for conference-modify in this JVM (the focus in its own process, as the soak bench and the
     * demo run it), the ICE-UDP transport and DTLS fingerprint nested in an endpoint's {@code <transport>} keep their
     * namespaces, so the bridge takes the participant's transport: Smack's own fallback (UnparsedIQ) drops them.
     */
    @Test
    void nestedTransportNamespacesSurviveWithoutAnyProvider() throws Exception {
        try (BreweryObserver focus = new BreweryObserver(prosody.server(), "focus");
             SimBridge jvb = SimBridge.start(SimBridgeOptions.forServer(prosody.server(), "jvb3"))) {
            await().until(() -> focus.stats.containsKey(jvb.nick()));
            assertEquals("result", focus.request(jvb.occupantJid(), IQ.Type.set, "conference-modify", ColibriModel.NS,
                    Map.of("meeting-id", "m3", "create", "true"), "<endpoint id='a' create='true'><transport "
                            + "ice-controlling='true'/></endpoint>", Duration.ofSeconds(5)).getAttribute("type"));
            String transport = "<transport><transport xmlns='" + ColibriModel.ICE_NS + "' ufrag='uf1' pwd='pwd1'>"
                    + "<rtcp-mux/><fingerprint xmlns='" + ColibriModel.DTLS_NS + "' hash='sha-256' setup='active'>"
                    + "AA:BB</fingerprint></transport></transport>";
            assertEquals("result", focus.request(jvb.occupantJid(), IQ.Type.set, "conference-modify", ColibriModel.NS,
                    Map.of("meeting-id", "m3"), "<endpoint id='a'>" + transport + "</endpoint>",
                    Duration.ofSeconds(5)).getAttribute("type"));
            BridgeEndpoint a = jvb.endpoint("m3", "a").orElseThrow();
            assertEquals("uf1", a.ufrag());
            assertEquals("pwd1", a.pwd());
            assertEquals("AA:BB", a.fingerprint());
            assertTrue(a.connected());
        }
    }
}
