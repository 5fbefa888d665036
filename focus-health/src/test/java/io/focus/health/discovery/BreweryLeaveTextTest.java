package io.focus.health.discovery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.Test;
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
            "Kicked: recipient unavailable           | false | true",
    })
    void statusTexts(String text, boolean shutdown, boolean ownLoss) {
        assertEquals(shutdown, LeaveClassifier.looksLikeServerShutdown(null, text));
        assertEquals(ownLoss, LeaveClassifier.looksLikeOwnConnectionLoss(text));
    }

    /** real-call d-007: the hibernated session of a SIGKILLed bridge ends; status 333 there is not the server. */
    @Test
    void aHibernatedBridgesEndIsItsOwnNotTheServers() {
        MUCUser x = new MUCUser();
        x.addStatusCode(MUCUser.Status.REMOVED_FOR_TECHNICAL_REASONS_333);
        assertFalse(LeaveClassifier.looksLikeServerShutdown(x, "Kicked: recipient unavailable"));
        assertTrue(LeaveClassifier.looksLikeOwnConnectionLoss("Kicked: recipient unavailable"));
        // 333 without that text stays the server's doing (wait for the bridge to come back)
        assertTrue(LeaveClassifier.looksLikeServerShutdown(x, null));
        assertTrue(LeaveClassifier.looksLikeServerShutdown(x, "Server restarting"));
    }
}
