package io.focus.selection;

import static io.focus.selection.Sel.b;
import static io.focus.selection.Sel.conferences;
import static io.focus.selection.Sel.draining;
import static io.focus.selection.Sel.failed;
import static io.focus.selection.Sel.graceful;
import static io.focus.selection.Sel.settings;
import static io.focus.selection.Sel.suspect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focus.core.selection.ConferenceBridgeProperties;
import io.focus.core.selection.Reason;
import io.focus.core.selection.Reason.Filter;
import io.focus.core.selection.Reason.Relaxation;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlawTest {
    private static final SelectionLimits LIMITS = new SelectionLimits(settings(
            "focus.selection.max-conferences-per-bridge = 3\njicofo.bridge.max-bridge-participants = 10"));

    @Test
    void aBridgeHasTheFlawsOfItsStateAndOfTheLimitsForTheConference() {
        assertEquals(0, Flaw.of(b("ok", 0.1), null, LIMITS));
        // non-operational is no flaw: the selector's never-relaxed filters remove such a bridge before any rung
        assertEquals(0, Flaw.of(failed(b("failed", 0.1)), null, LIMITS));
        assertEquals(Flaw.OVERLOADED.bit(), Flaw.of(b("hot", 0.85), null, LIMITS));
        assertEquals(Flaw.GRACEFUL.bit(), Flaw.of(graceful(b("graceful", 0.1)), null, LIMITS));
        assertEquals(Flaw.DRAINING.bit(), Flaw.of(draining(b("drain", 0.1)), null, LIMITS));
        assertEquals(Flaw.SUSPECT.bit(), Flaw.of(suspect(b("suspect", 0.1)), null, LIMITS));
        assertEquals(Flaw.OVERLOADED.bit() | Flaw.DRAINING.bit(), Flaw.of(draining(b("both", 0.9)), null, LIMITS));
        // the conferences cap keeps a conference off a bridge it does not use, not off one it uses
        assertEquals(Flaw.CAPS.bit(), Flaw.of(conferences(b("full", 0.1), 3), null, LIMITS));
        assertEquals(0, Flaw.of(conferences(b("full", 0.1), 3), ConferenceBridgeProperties.of(2), LIMITS));
        assertEquals(Flaw.CAPS.bit(), Flaw.of(b("mine", 0.1), ConferenceBridgeProperties.of(10), LIMITS));
    }

    @Test
    void masksCompareAsTheRelaxationOrder() {
        List<Integer> ascending = List.of(0, Flaw.OVERLOADED.bit(), Flaw.CAPS.bit(),
                Flaw.OVERLOADED.bit() | Flaw.CAPS.bit(), Flaw.GRACEFUL.bit(), Flaw.DRAINING.bit(),
                Flaw.OVERLOADED.bit() | Flaw.DRAINING.bit(), Flaw.FAILING_ICE.bit(), Flaw.SUSPECT.bit());
        assertEquals(ascending, ascending.stream().sorted().toList());
    }

    @Test
    void aLeftOutBridgeIsCountedUnderItsFirstFilterInFilterOrder() {
        assertEquals(Filter.OVERLOADED, Flaw.firstFilter(Flaw.OVERLOADED.bit() | Flaw.SUSPECT.bit()));
        assertEquals(Filter.OVERLOADED, Flaw.firstFilter(Flaw.OVERLOADED.bit() | Flaw.CAPS.bit()));
        // draining comes before graceful among the filters, though graceful is relaxed first
        assertEquals(Filter.DRAINING, Flaw.firstFilter(Flaw.GRACEFUL.bit() | Flaw.DRAINING.bit()));
        assertEquals(Filter.GRACEFUL, Flaw.firstFilter(Flaw.GRACEFUL.bit()));
        assertEquals(Filter.SUSPECT, Flaw.firstFilter(Flaw.SUSPECT.bit()));
    }

    /** A non-operational bridge is never relaxed: no flaw stands for it, so it is on no rung of the ladder. */
    @Test
    void noFlawStandsForANonOperationalBridge() {
        for (Flaw f : Flaw.values()) {
            assertNotEquals(Filter.NOT_OPERATIONAL, f.filter, f.name());
        }
        assertTrue(Flaw.values().length <= 7, "RelaxationLadder keeps a flaw mask in a byte");
    }

    @Test
    void gracefulAndDrainingAreRecordedAsOneRelaxation() {
        Reason.Builder reason = Reason.builder();
        Flaw.recordRelaxations(Flaw.GRACEFUL.bit() | Flaw.CAPS.bit(), reason);
        Reason r = reason.build("x");
        assertTrue(r.relaxed(Relaxation.DRAINING));
        assertTrue(r.relaxed(Relaxation.CAPS));
        assertEquals(2, java.util.Arrays.stream(Relaxation.values()).filter(r::relaxed).count());
    }
}
