package io.focus.conference;

import io.focus.core.loop.EventLoop;

import io.focus.core.bridge.Bridges;
import io.focus.core.selection.BridgeSelector;
import java.time.Clock;
import java.util.function.Function;

/**
 * What every conference shares; built by {@link ConferenceManager}. {@code feedback} already updates
 * {@code ledger}; select on {@code ledger.snapshotFor(bridges.snapshot())} (both on the loop only). {@code refusals}:
 * what bridges refused (SCTP), shared by all conferences (loop only). {@code expiries}: every expire a conference
 * sends goes through it, and the creates claim what it owes ({@link OwedExpiries}; loop only). {@code journal}: every
 * allocation is written down there before it is sent ({@link AllocationJournal}).
 */
record ConferenceContext(ConferenceSettings settings, Bridges bridges, BridgeSelector selector,
                         ColibriBackend backend, ParticipantSignaller signaller, BridgeFeedback feedback,
                         EventLoop loop, Clock clock, ConferenceMetrics metrics,
                         Function<String, String> pinnedVersion, PlacementLedger ledger,
                         RefusedRequests refusals, OwedExpiries expiries, AllocationJournal journal) {
    /** The same context on another loop (a conference's own, see {@link Conference#handle}). */
    ConferenceContext withLoop(EventLoop loop) {
        return new ConferenceContext(settings, bridges, selector, backend, signaller, feedback, loop, clock, metrics,
                pinnedVersion, ledger, refusals, expiries, journal);
    }
}
