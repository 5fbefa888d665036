package io.focus.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectionSettingsTest {
    @Test
    void defaultsAreJicofos() {
        SelectionSettings s = SelectionSettings.defaults();
        assertEquals("SingleBridgeSelectionStrategy", s.strategyName());
        assertEquals(0.8, s.stressThreshold());
        assertEquals(80, s.maxBridgeParticipants());
        assertEquals(0, s.maxParticipantsPerInterval());
        assertEquals(Duration.ofMinutes(1), s.maxParticipantsInterval());
        assertEquals(0.01, s.averageParticipantStress());
        assertEquals(Duration.ofSeconds(20), s.participantRampupInterval());
        assertNull(s.localRegion());
        assertFalse(s.octoEnabled());
        assertFalse(s.allowMixedVersions());
        assertEquals(0, s.maxParticipantsPerBridge());
        assertEquals(0, s.maxConferencesPerBridge());
        assertEquals(Set.of(), s.regionGroup(null));
        assertEquals(Set.of("x"), s.regionGroup("x"));
    }

    @Test
    void readsEveryKey() {
        SelectionSettings s = Sel.settings("""
                jicofo.bridge { selection-strategy = region, stress-threshold = 0.5, max-bridge-participants = -1,
                  max-bridge-participants-per-interval = 30, max-bridge-participants-interval = 30 seconds,
                  region-groups = [[us-east, us-west], [eu-west]] }
                jicofo.local-region = us-east
                jicofo.octo { enabled = true, allow-mixed-versions = true }
                focus.selection { max-participants-per-bridge = 500, max-conferences-per-bridge = 40 }
                """);
        assertEquals("region", s.strategyName());
        assertEquals(0.5, s.stressThreshold());
        assertEquals(0, s.maxBridgeParticipants());
        assertEquals(30, s.maxParticipantsPerInterval());
        assertEquals(Duration.ofSeconds(30), s.maxParticipantsInterval());
        assertEquals(Set.of("us-east", "us-west"), s.regionGroup("us-west"));
        assertEquals(Set.of("eu-west"), s.regionGroup("eu-west"));
        assertEquals("us-east", s.localRegion());
        assertTrue(s.octoEnabled());
        assertTrue(s.allowMixedVersions());
        assertEquals(500, s.maxParticipantsPerBridge());
        assertEquals(40, s.maxConferencesPerBridge());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
            Arguments.of("jicofo.bridge.stress-threshold = 0", "jicofo.bridge.stress-threshold", "greater than 0"),
            Arguments.of("jicofo.bridge.stress-threshold = lots", "jicofo.bridge.stress-threshold", "number"),
            Arguments.of("jicofo.bridge.max-bridge-participants = -5", "jicofo.bridge.max-bridge-participants", "-1 for no limit"),
            Arguments.of("jicofo.bridge.max-bridge-participants = 2.5", "jicofo.bridge.max-bridge-participants", "positive integer"),
            Arguments.of("jicofo.bridge.max-bridge-participants-per-interval = many", "jicofo.bridge.max-bridge-participants-per-interval", "positive integer"),
            Arguments.of("jicofo.bridge.max-bridge-participants-interval = 0s", "jicofo.bridge.max-bridge-participants-interval", "positive duration"),
            Arguments.of("jicofo.bridge.participant-rampup-interval = soon", "jicofo.bridge.participant-rampup-interval", "positive duration"),
            Arguments.of("jicofo.bridge.average-participant-stress = -0.1", "jicofo.bridge.average-participant-stress", "at least 0"),
            Arguments.of("jicofo.bridge.region-groups = [a, b]", "jicofo.bridge.region-groups", "list of lists"),
            Arguments.of("jicofo.bridge.region-groups = [[a, b], [b, c]]", "jicofo.bridge.region-groups", "\"b\" is in two groups"),
            Arguments.of("jicofo.octo.enabled = maybe", "jicofo.octo.enabled", "true or false"),
            Arguments.of("jicofo.bridge.selection-strategy = \"\"", "jicofo.bridge.selection-strategy", "strategy name"),
            Arguments.of("focus.selection.max-conferences-per-bridge = -2", "focus.selection.max-conferences-per-bridge", "-1 for no limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueNamesTheKey(String hocon, String key, String expected) {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class, () -> Sel.settings(hocon));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
