package io.focus.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConferenceSettingsTest {
    static ConferenceSettings of(String hocon) {
        return ConferenceSettings.fromConfig(ConfigFactory.parseString(hocon));
    }

    @Test
    void relaySctpDefaultsToParticipantSctp() {
        assertTrue(of("").octoSctp());
        assertFalse(of("jicofo.sctp.enabled = false").octoSctp());
        assertTrue(of("jicofo.sctp.enabled = false\njicofo.octo.sctp-datachannels = true").octoSctp());
        assertFalse(of("jicofo.octo.sctp-datachannels = false").octoSctp());
        assertTrue(of("jicofo.octo.sctp-datachannels = false").sctp());
    }

    @Test
    void relayRetriesBackOffUpToTheMaximum() {
        ConferenceSettings s = of("focus.octo.relay-retry-backoff = 1s\nfocus.conference.max-retry-backoff = 5s");
        assertEquals(3, s.relayMaxAttempts());
        assertEquals(Duration.ofSeconds(1), s.relayBackoff(1));
        assertEquals(Duration.ofSeconds(2), s.relayBackoff(2));
        assertEquals(Duration.ofSeconds(4), s.relayBackoff(3));
        assertEquals(Duration.ofSeconds(5), s.relayBackoff(4));
        assertThrows(ConfigException.class, () -> of("focus.octo.relay-max-attempts = 0"));
    }
}
