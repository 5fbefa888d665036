package io.focus.conference;

import io.focus.core.testing.ManualLoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.focus.core.bridge.BridgeSnapshot;
import io.focus.core.bridge.BridgeState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementLedgerTest {
    static final String JVB1 = FakeBridges.id("jvb1");
    static final String JVB2 = FakeBridges.id("jvb2");
    final ManualLoop.FakeClock clock = new ManualLoop.FakeClock();
    final PlacementLedger ledger = new PlacementLedger(clock, Duration.ofSeconds(5));
    final List<String> registry = new ArrayList<>();
    final BridgeFeedback feedback = ledger.wrap(new NoFeedback() {
        @Override public void endpointAdded(String id) { registry.add("+" + BridgeState.nickOf(id)); }
        @Override public void endpointRemoved(String id) { registry.add("-" + BridgeState.nickOf(id)); }
    });

    static BridgeSnapshot snapshot(long seq, int jvb1Endpoints, int jvb1Recent) {
        return new BridgeSnapshot(seq, Instant.EPOCH, List.of(
                BridgeState.builder(JVB1).reportedStress(0.1).endpoints(jvb1Endpoints)
                        .recentlyAddedEndpoints(jvb1Recent).build(),
                BridgeState.builder(JVB2).reportedStress(0.2).build()));
    }

    void advance(long seconds) { clock.now = clock.now.plusSeconds(seconds); }

    @Test
    void placementsTheSnapshotDoesNotShowYetCountAsEndpointsAndRampUp() {
        BridgeSnapshot base = snapshot(7, 0, 0);
        assertSame(base, ledger.snapshotFor(base), "nothing pending: the registry's own snapshot");
        feedback.endpointAdded(JVB1);
        feedback.endpointAdded(JVB1);
        feedback.endpointAdded(JVB1);
        assertEquals(List.of("+jvb1", "+jvb1", "+jvb1"), registry, "the registry still hears of every placement");

        BridgeSnapshot derived = ledger.snapshotFor(base);
        assertNotSame(base, derived);
        assertEquals(7, derived.sequence());
        assertEquals(base.takenAt(), derived.takenAt());
        assertEquals(3, derived.get(JVB1).endpoints());
        assertEquals(3, derived.get(JVB1).recentlyAddedEndpoints());
        assertEquals(0.1 + 3 * 0.01, derived.get(JVB1).correctedStress(), 1e-9);
        assertSame(base.get(JVB2), derived.get(JVB2), "bridges with nothing pending are unchanged");
        assertSame(derived, ledger.snapshotFor(base), "cached while neither the snapshot nor the ledger changes");

        // The registry caught up with two of them.
        BridgeSnapshot later = snapshot(8, 2, 2);
        assertEquals(1, ledger.pending(JVB1, 2));
        BridgeSnapshot d2 = ledger.snapshotFor(later);
        assertEquals(3, d2.get(JVB1).endpoints());
        assertEquals(3, d2.get(JVB1).recentlyAddedEndpoints());
        // ... and with all of them: no correction, the registry's snapshot itself.
        BridgeSnapshot caughtUp = snapshot(9, 3, 3);
        assertSame(caughtUp, ledger.snapshotFor(caughtUp));
    }

    @Test
    void removalsCancelPendingAddsAndTheCountNeverGoesNegative() {
        feedback.endpointAdded(JVB1);
        feedback.endpointRemoved(JVB1);
        feedback.endpointRemoved(JVB1);
        feedback.endpointRemoved(JVB2);
        assertEquals(List.of("+jvb1", "-jvb1", "-jvb1", "-jvb2"), registry);
        assertEquals(0, ledger.pending(JVB1, 0));
        assertEquals(0, ledger.pending(JVB2, 0));
        BridgeSnapshot base = snapshot(1, 0, 0);
        assertSame(base, ledger.snapshotFor(base));
        // The registry knows more endpoints than this ledger (it counted before a bridge re-joined): not negative.
        feedback.endpointAdded(JVB1);
        assertEquals(0, ledger.pending(JVB1, 10));
        BridgeSnapshot busy = snapshot(2, 10, 0);
        assertSame(busy, ledger.snapshotFor(busy));
        assertEquals(1, ledger.pending(JVB1, 0), "the removals before did not go below zero");
    }

    @Test
    void pendingDecaysWithTheWindowEvenIfTheRegistryNeverCatchesUp() {
        BridgeSnapshot stale = snapshot(1, 0, 0);
        feedback.endpointAdded(JVB1);
        advance(3);
        feedback.endpointAdded(JVB1);
        feedback.endpointAdded(JVB1);
        assertEquals(3, ledger.snapshotFor(stale).get(JVB1).endpoints());
        advance(2);  // the first add is 5 s old: still inside the window
        assertEquals(3, ledger.pending(JVB1, 0));
        advance(1);  // now it is out
        assertEquals(2, ledger.pending(JVB1, 0));
        assertEquals(2, ledger.snapshotFor(stale).get(JVB1).endpoints(), "the cached copy expired with the add");
        advance(5);
        assertEquals(0, ledger.pending(JVB1, 0));
        assertSame(stale, ledger.snapshotFor(stale));
    }

    @Test
    void aForgottenBridgeStartsFromZero() {
        feedback.endpointAdded(JVB1);
        feedback.endpointAdded(JVB1);
        ledger.forget(JVB1);
        assertEquals(0, ledger.pending(JVB1, 0));
        feedback.endpointAdded(JVB1);
        assertEquals(1, ledger.pending(JVB1, 0));
    }
}
