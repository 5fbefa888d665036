package io.focus.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.focus.core.selection.BridgeSelectionStrategy;
import io.focus.core.selection.Decision;
import io.prometheus.client.CollectorRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrategyLookupTest {
    static Stream<Arguments> names() {
        return Stream.of(
            Arguments.of("least-stress", "least-stress"),
            Arguments.of("SingleBridgeSelectionStrategy", "least-stress"),
            Arguments.of("org.jitsi.jicofo.bridge.SingleBridgeSelectionStrategy", "least-stress"),
            Arguments.of("region", "region"),
            Arguments.of("RegionBasedBridgeSelectionStrategy", "region"),
            Arguments.of("org.jitsi.jicofo.bridge.RegionBasedBridgeSelectionStrategy", "region"),
            Arguments.of("SplitBridgeSelectionStrategy", "split"),
            Arguments.of("IntraRegionBridgeSelectionStrategy", "intra-region"),
            Arguments.of("intra-region", "intra-region"),
            Arguments.of("fewest-conferences", "fewest-conferences"),
            Arguments.of("Round-Robin", "round-robin"),
            Arguments.of("power-of-two", "power-of-two"),
            Arguments.of("io.focus.selection.strategy.SplitStrategy$Provider", "split"),
            Arguments.of("io.focus.selection.strategy.FewestConferencesStrategy", "fewest-conferences"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void findsByEveryKindOfName(String configured, String expected) {
        BridgeSelectionStrategy s = StrategyLookup.standard()
                .create(ConfigFactory.parseString("jicofo.bridge.selection-strategy = \"" + configured + "\""));
        assertEquals(expected, s.name());
    }

    @Test
    void jicofosVisitorStrategyStandsForTheParticipantStrategyElseTheDefault() {
        assertEquals("least-stress", StrategyLookup.standard().create(ConfigFactory.parseString(
                "jicofo.bridge.selection-strategy = VisitorSelectionStrategy")).name());
        assertEquals("region", StrategyLookup.standard().create(ConfigFactory.parseString("""
                jicofo.bridge.selection-strategy = org.jitsi.jicofo.bridge.VisitorSelectionStrategy
                jicofo.bridge.participant-selection-strategy = RegionBasedBridgeSelectionStrategy
                """)).name());
        var e = assertThrows(ConfigException.BadValue.class, () -> StrategyLookup.standard().create(
                ConfigFactory.parseString("""
                        jicofo.bridge.selection-strategy = VisitorSelectionStrategy
                        jicofo.bridge.participant-selection-strategy = Nonsense
                        """)));
        assertTrue(e.getMessage().contains(VisitorFallback.PARTICIPANT_STRATEGY), e.getMessage());
        // the participant strategy means nothing without the visitor strategy (as in Jicofo)
        assertEquals("round-robin", StrategyLookup.standard().create(ConfigFactory.parseString("""
                jicofo.bridge.selection-strategy = round-robin
                jicofo.bridge.participant-selection-strategy = RegionBasedBridgeSelectionStrategy
                """)).name());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        var e = assertThrows(ConfigException.BadValue.class, () -> StrategyLookup.standard()
                .create(ConfigFactory.parseString("jicofo.bridge.selection-strategy = Nonsense")));
        assertTrue(e.getMessage().contains("jicofo.bridge.selection-strategy"), e.getMessage());
        assertTrue(e.getMessage().contains("least-stress") && e.getMessage().contains("power-of-two")
                && e.getMessage().contains("singlebridgeselectionstrategy"), e.getMessage());
    }

    @Test
    void aClassThatIsNoStrategyIsABadValue() {
        var e = assertThrows(ConfigException.BadValue.class, () -> StrategyLookup.standard()
                .create(ConfigFactory.parseString("jicofo.bridge.selection-strategy = java.lang.String")));
        assertTrue(e.getMessage().contains("neither a StrategyProvider nor a BridgeSelectionStrategy"), e.getMessage());
    }

    /** A third party's jar: a provider compiled now, with its own services file, on a class loader of its own. */
    @Test
    void findsAPluginJarThroughServiceLoader(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/com/example/LastBridgeProvider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package com.example;
                import com.typesafe.config.Config;
                import io.focus.core.selection.*;
                public final class LastBridgeProvider implements StrategyProvider {
                    public String name() { return "last-bridge"; }
                    public java.util.Set<String> aliases() { return java.util.Set.of("ExampleLastBridgeStrategy"); }
                    public BridgeSelectionStrategy create(Config config) {
                        return new BridgeSelectionStrategy() {
                            public String name() { return "last-bridge"; }
                            public Decision select(java.util.List<io.focus.core.bridge.BridgeState> c,
                                                   SelectionRequest r, ConferenceLimits l) {
                                return c.isEmpty() ? Decision.none(Reason.of("last-bridge: nothing"))
                                        : Decision.of(c.get(c.size() - 1), Reason.of("last-bridge: the last one"));
                            }
                        };
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "the plug-in compiles");
        Path services = classes.resolve("META-INF/services/io.focus.core.selection.StrategyProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.LastBridgeProvider\n");

        try (URLClassLoader plugin = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            StrategyLookup lookup = StrategyLookup.using(plugin);
            assertTrue(lookup.knownNames().containsAll(List.of("last-bridge", "least-stress")), lookup.knownNames().toString());
            var config = ConfigFactory.parseString("jicofo.bridge.selection-strategy = ExampleLastBridgeStrategy");
            BridgeSelectionStrategy s = lookup.create(config);
            assertEquals("last-bridge", s.name());
            assertSame(plugin, s.getClass().getClassLoader());
            // and it composes with the filters: the draining last bridge is filtered out
            FilteringBridgeSelector selector = new FilteringBridgeSelector(SelectionSettings.from(config), s,
                    new SelectionMetrics(new CollectorRegistry()), Sel.clock());
            Decision d = selector.select(Sel.c("plug-in").bridges(Sel.b("jvb1", 0.5), Sel.b("jvb2", 0.1),
                    Sel.draining(Sel.b("jvb3", 0.0))).request());
            assertEquals("jvb2", d.bridge().nick());
            assertTrue(d.reason().toString().startsWith("last-bridge: the last one"), d.reason().toString());
            // the standard lookup does not see it
            assertThrows(ConfigException.BadValue.class, () -> StrategyLookup.standard().create(config));
        }
    }
}
