package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

class StanzaLimitsTest {
    static Config config(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsFromTheReferenceAndTheBreweryIsTrusted() throws Exception {
        StanzaLimits l = StanzaLimits.fromConfig(config("jicofo.bridge.brewery-jid = \"JvbBrewery@internal.auth.meet.test\""));
        assertEquals(64 * 1024, l.maxStanzaBytes());
        assertEquals(20.0, l.perSecondPerSender());
        assertEquals(100, l.senderBurst());
        assertEquals(Set.of(JidCreate.entityBareFrom("jvbbrewery@internal.auth.meet.test")), l.trustedRooms());
        assertTrue(l.rateLimited());
    }

    @Test
    void sizesMayBeWrittenWithUnitsAndZeroTurnsTheRateOff() {
        StanzaLimits l = StanzaLimits.fromConfig(config(
                "focus.xmpp { max-stanza-bytes = 128k, max-stanzas-per-second-per-sender = 0 }"));
        assertEquals(128 * 1024, l.maxStanzaBytes());
        assertTrue(!l.rateLimited());
    }

    @Test
    void badValuesNameTheirKey() {
        for (String[] bad : new String[][] {
                {"focus.xmpp.max-stanza-bytes = 1000", "focus.xmpp.max-stanza-bytes"},
                {"focus.xmpp.max-stanza-bytes = lots", "max-stanza-bytes"},
                {"focus.xmpp.max-stanzas-per-second-per-sender = -1", "focus.xmpp.max-stanzas-per-second-per-sender"},
                {"focus.xmpp.sender-burst = 0", "focus.xmpp.sender-burst"},
                {"jicofo.bridge.brewery-jid = \"internal.auth.meet.test\"", "jicofo.bridge.brewery-jid"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> StanzaLimits.fromConfig(config(bad[0])), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
