package io.focus.core.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the brewery reads the status text of a bridge's unavailable presence (no MUC status codes). */
class BreweryLeaveTextTest {
    @ParameterizedTest(name = "''{0}'' → shutdown={1}, own connection lost={2}")
    @CsvSource(delimiter = '|', value = {
            "Disconnected: Received SIGTERM          | true  | true",
            "Disconnected: Received SIGINT           | true  | true",
            "Server is shutting down                 | true  | false",
            "Disconnected: closed                    | false | true",
            "Disconnected: Connection reset by peer  | false | true",
            "  disconnected: timeout                 | false | true",
            "gone fishing                            | false | false",
    })
    void statusTexts(String text, boolean shutdown, boolean ownLoss) {
        assertEquals(shutdown, BreweryWatcher.looksLikeServerShutdown(null, text));
        assertEquals(ownLoss, BreweryWatcher.looksLikeOwnConnectionLoss(text));
    }
}
