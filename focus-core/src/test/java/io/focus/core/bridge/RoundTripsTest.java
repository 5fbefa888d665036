package io.focus.core.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoundTripsTest {
    final RoundTrips trips = new RoundTrips();

    @Test
    void anAnswerToARequestWrittenAfterOvertakesOneWrittenBefore() {
        long b1Answer = trips.sending();
        long b1Sent = trips.sent();
        long b2Answer = trips.sending();
        long b2Sent = trips.sent();
        trips.answered("b2", b2Answer);
        assertEquals(Optional.of("b2"), trips.overtaken("b1", b1Sent), "b2's request went out after b1's");
        trips.answered("b1", b1Answer);
        assertEquals(Optional.empty(), trips.overtaken("b2", b2Sent), "b1's request went out before b2's");
    }

    @Test
    void anAnswerToARequestWrittenBeforeOvertakesNothing() {
        long b2Answer = trips.sending();
        trips.sent();
        trips.sending();
        long b1Sent = trips.sent();
        trips.answered("b2", b2Answer); // answered after b1's request went out, but written before it
        assertEquals(Optional.empty(), trips.overtaken("b1", b1Sent));
    }

    /**
     * The two numbers of a request bracket its write: a request written while another one was being written (on
     * another thread) does not count as written after it.
     */
    @Test
    void writesThatOverlapDoNotOvertakeEachOther() {
        long b1Answer = trips.sending();
        long b2Answer = trips.sending();  // b2 is written meanwhile, possibly before b1
        long b1Sent = trips.sent();
        long b2Sent = trips.sent();
        trips.answered("b1", b1Answer);
        trips.answered("b2", b2Answer);
        assertEquals(Optional.empty(), trips.overtaken("b1", b1Sent));
        assertEquals(Optional.empty(), trips.overtaken("b2", b2Sent));
    }

    @Test
    void aBridgesOwnAnswerNeverCountsForIt() {
        long sent = trips.sent();
        trips.answered("b1", trips.sending());
        assertEquals(Optional.empty(), trips.overtaken("b1", sent));
        assertEquals(Optional.of("b1"), trips.overtaken("b2", sent));
    }

    @Test
    void theHighestAnswerIsKept() {
        long early = trips.sending();
        long sent = trips.sent();
        long late = trips.sending();
        trips.answered("b2", late);
        trips.answered("b2", early); // a slow reply to an older request
        assertEquals(Optional.of("b2"), trips.overtaken("b1", sent));
    }

    @Test
    void aForgottenBridgesAnswersNoLongerCount() {
        long sent = trips.sent();
        trips.answered("b2", trips.sending());
        trips.forget("b2");
        assertEquals(Optional.empty(), trips.overtaken("b1", sent));
    }
}
