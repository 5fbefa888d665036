package io.focus.app.config;

import static io.focus.app.testing.TestFiles.VALID;
import static io.focus.app.testing.TestFiles.write;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.focus.selection.FilteringBridgeSelector;
import io.prometheus.client.CollectorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #14: what the focus does not read or does not do is one warning at start-up, never silence. */
class ParityWarningsTest {
    @TempDir Path dir;

    private LoadedConfig load(String hocon) throws ConfigError {
        return ConfigLoader.standard().load(write(dir, "jicofo.conf", VALID + hocon));
    }

    private List<String> warnings(String hocon) throws ConfigError {
        return withoutTestJvmProperties(load(hocon).warnings());
    }

    /**
     * The test JVM runs with -Dfocus.shared.dir and -Dfocus.checkout.dir (see the pom); system properties are
     * configuration overrides, so those two are (rightly) warned about as keys nobody reads.
     */
    static List<String> withoutTestJvmProperties(List<String> warnings) {
        return warnings.stream().filter(w -> !w.startsWith("focus.shared (system properties)")
                && !w.startsWith("focus.checkout (system properties)")).toList();
    }

    @Test
    void aValidConfigurationHasNoWarnings() throws Exception {
        assertEquals(List.of(), warnings(""));
    }

    @Test
    void aMisspelledSectionIsOneWarningWithTheKeyItsFileAndASuggestion() throws Exception {
        List<String> w = warnings("""
                jicofo.bridge.helth-checks {
                  interval = 5 seconds
                  enabled = true
                }
                """);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("jicofo.bridge.helth-checks ("), w.get(0));
        assertTrue(w.get(0).contains("jicofo.conf"), w.get(0));
        assertTrue(w.get(0).endsWith("is not a setting of the focus and is ignored; did you mean "
                + "jicofo.bridge.health-checks?"), w.get(0));
    }

    @Test
    void misspelledAndMisplacedLeavesGetSuggestions() throws Exception {
        List<String> w = warnings("""
                jicofo.bridge.stres-threshold = 0.7
                jicofo.health-checks.interval = 5 seconds
                focus.frobnicate = 1
                """);
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("jicofo.bridge.stres-threshold")
                && s.endsWith("did you mean jicofo.bridge.stress-threshold?")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("jicofo.health-checks")
                && s.endsWith("did you mean jicofo.bridge.health-checks?")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("focus.frobnicate") && s.endsWith("is ignored")), w.toString());
    }

    @Test
    void aValueWhereTheFocusReadsKeysUnderItIsNamed() throws Exception {
        List<String> w = warnings("jicofo.rest.prometheus = false\n");
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("jicofo.rest.prometheus") && w.get(0).contains("jicofo.rest.prometheus.enabled"),
                w.get(0));
    }

    @Test
    void everyKeyOfTheShippedSampleIsRead() throws Exception {
        Path sample = Path.of(System.getProperty("focus.checkout.dir", ".."), "etc", "jicofo.conf.sample");
        String text = Files.readString(sample) + """
                jicofo.bridge.brewery-jid = "JvbBrewery@internal.auth.meet.test"
                jicofo.xmpp.client { xmpp-domain = "meet.test", password = "pw" }
                """;
        LoadedConfig l = ConfigLoader.standard().load(write(dir, "sample.conf", text));
        assertEquals(List.of(), withoutTestJvmProperties(l.warnings()));
    }

    @Test
    void unknownLegacyPropertiesGetASuggestion() throws Exception {
        write(dir, "sip-communicator.properties", """
                org.jitsi.jicofo.BRIDGE_MUK=JvbBrewery@internal.auth.legacy.test
                org.jitsi.jicofo.SOMETHING_ELSE=1
                """);
        List<String> w = warnings("");
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.contains("legacy property org.jitsi.jicofo.BRIDGE_MUK (" + dir.resolve("sip-communicator.properties")
                + ") is not used by the focus and is ignored; did you mean org.jitsi.jicofo.BRIDGE_MUC?"), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("legacy property org.jitsi.jicofo.SOMETHING_ELSE")
                && s.endsWith("is ignored")), w.toString());
    }

    @Test
    void jibriSettingsAreOneWarningSayingWhatHappensToRequests() throws Exception {
        List<String> w = warnings("""
                jicofo.jibri { brewery-jid = "JibriBrewery@internal.auth.meet.test", num-retries = 3 }
                jicofo.jibri-sip.brewery-jid = "SipBrewery@internal.auth.meet.test"
                """);
        assertEquals(2, w.size(), w.toString());
        String jibri = w.get(0);
        assertTrue(jibri.startsWith("jicofo.jibri is configured ("), jibri);
        assertTrue(jibri.contains("Jibri (recording, live streaming, SIP calls through Jibri) is not supported"), jibri);
        assertTrue(jibri.contains("answered feature-not-implemented"), jibri);
        assertTrue(w.get(1).startsWith("jicofo.jibri-sip is configured ("), w.get(1));
    }

    @Test
    void legacyJibriAndJigasiBreweriesAreWarnedTheSameWay() throws Exception {
        write(dir, "sip-communicator.properties", """
                org.jitsi.jicofo.jibri.BREWERY=JibriBrewery@internal.auth.meet.test
                org.jitsi.jicofo.jigasi.BREWERY=JigasiBrewery@internal.auth.meet.test
                """);
        List<String> w = warnings("");
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("jicofo.jibri is configured (") && w.get(0).contains("(legacy)"), w.get(0));
        assertTrue(w.get(1).startsWith("jicofo.jigasi is configured (") && w.get(1).contains("Rayo <dial"), w.get(1));
        assertTrue(w.get(1).contains("dial-out or transcription request"), w.get(1));
    }

    @Test
    void jicofoSettingsForWhatTheFocusDoesNotDoSayWhy() throws Exception {
        List<String> w = warnings("""
                jicofo.xmpp.trusted-domains = [ "recorder.meet.test" ]
                jicofo.bridge.topology-strategy = SingleMeshTopologyStrategy
                """);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("jicofo.bridge.topology-strategy (")
                && s.contains("does not implement and is ignored: the focus always links")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("jicofo.xmpp.trusted-domains (")), w.toString());
    }

    @Test
    void visitorSelectionStrategyFallsBackToTheDefaultWithAWarning() throws Exception {
        LoadedConfig l = load("jicofo.bridge.selection-strategy = VisitorSelectionStrategy\n");
        assertEquals(List.of("jicofo.bridge.selection-strategy = VisitorSelectionStrategy: the focus has no visitors, "
                + "so it selects bridges for every participant with SingleBridgeSelectionStrategy (the default; "
                + "jicofo.bridge.participant-selection-strategy is not set)"), withoutTestJvmProperties(l.warnings()));
        assertEquals("least-stress", strategyOf(l));
    }

    @Test
    void visitorSelectionStrategyUsesTheParticipantStrategyWhenSet() throws Exception {
        LoadedConfig l = load("""
                jicofo.bridge.selection-strategy = org.jitsi.jicofo.bridge.VisitorSelectionStrategy
                jicofo.bridge.participant-selection-strategy = RegionBasedBridgeSelectionStrategy
                jicofo.bridge.visitor-selection-strategy = SingleBridgeSelectionStrategy
                """);
        assertEquals(List.of("jicofo.bridge.selection-strategy = org.jitsi.jicofo.bridge.VisitorSelectionStrategy: the "
                + "focus has no visitors, so it selects bridges for every participant with "
                + "RegionBasedBridgeSelectionStrategy (jicofo.bridge.participant-selection-strategy); "
                + "jicofo.bridge.visitor-selection-strategy = SingleBridgeSelectionStrategy is not used"), withoutTestJvmProperties(l.warnings()));
        assertEquals("region", strategyOf(l));
    }

    @Test
    void aBadParticipantStrategyNamesItsKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> load("""
                jicofo.bridge.selection-strategy = VisitorSelectionStrategy
                jicofo.bridge.participant-selection-strategy = NoSuchStrategy
                """));
        assertTrue(e.getMessage().startsWith("jicofo.bridge.participant-selection-strategy = 'NoSuchStrategy'"),
                e.getMessage());
        ConfigError loop = assertThrows(ConfigError.class, () -> load("""
                jicofo.bridge.selection-strategy = VisitorSelectionStrategy
                jicofo.bridge.participant-selection-strategy = VisitorSelectionStrategy
                """));
        assertTrue(loop.getMessage().startsWith("jicofo.bridge.participant-selection-strategy"), loop.getMessage());
    }

    private static String strategyOf(LoadedConfig l) {
        return FilteringBridgeSelector.create(l.config(), new CollectorRegistry(), Clock.systemUTC()).strategyName();
    }

    @Test
    void theKnownKeysIncludeEveryReferenceDefault() {
        KnownKeys k = KnownKeys.of(ConfigFactory.parseString("jicofo.a.b = 1\nfocus.c { d = 2 }\nother.e = 3"));
        assertTrue(k.leaf("jicofo.a.b") && k.leaf("focus.c.d") && k.object("jicofo.a") && k.object("focus.c"));
        assertFalse(k.leaf("other.e"));
        assertTrue(k.leaf("jicofo.bridge.brewery-jid"), "keys read without a default are known too");
    }
}
