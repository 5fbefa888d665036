package io.focus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySuggestionTest {
    static final List<String> KNOWN = List.of("jicofo.bridge", "jicofo.bridge.health-checks",
            "jicofo.bridge.health-checks.interval", "jicofo.bridge.health-checks.enabled", "jicofo.bridge.stress-threshold",
            "jicofo.sctp.enabled", "jicofo.health", "jicofo.health.enabled");

    @Test
    void aTypoGetsTheNearestKey() {
        assertEquals(Optional.of("jicofo.bridge.health-checks"),
                KeySuggestion.closest("jicofo.bridge.helth-checks", KNOWN, '.'));
        assertEquals(Optional.of("jicofo.bridge.stress-threshold"),
                KeySuggestion.closest("jicofo.bridge.stres-treshold", KNOWN, '.'));
        assertEquals(Optional.of("jicofo.bridge.health-checks.interval"),
                KeySuggestion.closest("jicofo.bridge.health-checks.intervall", KNOWN, '.'));
    }

    @Test
    void aKeyInTheWrongPlaceGetsTheOnlyKeyWithItsName() {
        assertEquals(Optional.of("jicofo.bridge.health-checks"),
                KeySuggestion.closest("jicofo.health-checks", KNOWN, '.'));
        // "enabled" is the name of several keys: no telling which one was meant
        assertEquals(Optional.empty(), KeySuggestion.closest("jicofo.octo.foo.enabled", KNOWN, '.'));
    }

    @Test
    void farFromEverythingGetsNoSuggestion() {
        assertEquals(Optional.empty(), KeySuggestion.closest("jicofo.xmpp.trusted-domains", KNOWN, '.'));
        assertEquals("", KeySuggestion.didYouMean("focus.frobnicate", KNOWN, '.'));
        assertEquals("; did you mean jicofo.bridge.health-checks?",
                KeySuggestion.didYouMean("jicofo.bridge.helth-checks", KNOWN, '.'));
    }

    @Test
    void legacyKeysToo() {
        List<String> legacy = List.of("org.jitsi.jicofo.BRIDGE_MUC", "org.jitsi.jicofo.jibri.BREWERY",
                "org.jitsi.jicofo.HEALTH_CHECK_INTERVAL");
        assertEquals(Optional.of("org.jitsi.jicofo.BRIDGE_MUC"),
                KeySuggestion.closest("org.jitsi.jicofo.BRIDGE_MUK", legacy, '.'));
        assertEquals(Optional.of("org.jitsi.jicofo.HEALTH_CHECK_INTERVAL"),
                KeySuggestion.closest("org.jitsi.jicofo.HEALTHCHECK_INTERVAL", legacy, '.'));
        assertEquals(Optional.empty(), KeySuggestion.closest("org.jitsi.jicofo.jibri.SIP_BREWERY", legacy, '.'));
    }
}
