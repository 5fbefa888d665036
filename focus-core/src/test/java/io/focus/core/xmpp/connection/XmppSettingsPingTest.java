package io.focus.core.xmpp.connection;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class XmppSettingsPingTest {
    private static Config config(String extra) {
        return ConfigFactory.parseString("jicofo.xmpp.client { domain = \"auth.meet.test\", password = pw }\n" + extra)
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsPingEveryTenSecondsWithAFiveSecondTimeout() {
        XmppSettings s = XmppSettings.fromConfig(config(""), XmppSettings.CLIENT);
        assertEquals(Duration.ofSeconds(10), s.pingInterval());
        assertEquals(Duration.ofSeconds(5), s.pingTimeout());
    }

    @Test
    void readsOurKeysAndZeroTurnsPingsOff() {
        XmppSettings s = XmppSettings.fromConfig(config("focus.xmpp { ping-interval = 0, ping-timeout = 2s }"),
                XmppSettings.CLIENT);
        assertEquals(Duration.ZERO, s.pingInterval());
        assertEquals(Duration.ofSeconds(2), s.pingTimeout());
    }

    @Test
    void aNegativeIntervalOrAZeroTimeoutStopsStartUpNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> XmppSettings.fromConfig(
                config("focus.xmpp.ping-interval = -1s"), XmppSettings.CLIENT));
        assertTrue(e.getMessage().contains("focus.xmpp.ping-interval"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> XmppSettings.fromConfig(
                config("focus.xmpp.ping-timeout = 0s"), XmppSettings.CLIENT));
        assertTrue(e.getMessage().contains("focus.xmpp.ping-timeout"), e.getMessage());
    }
}
