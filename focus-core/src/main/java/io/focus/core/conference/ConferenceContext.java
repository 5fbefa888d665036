package io.focus.core.conference;

import io.focus.core.bridge.Bridges;
import io.focus.core.selection.BridgeSelector;
import java.time.Clock;
import java.util.function.Function;

/** What every conference shares; built by {@link ConferenceManager}. */
record ConferenceContext(ConferenceSettings settings, Bridges bridges, BridgeSelector selector,
                         ColibriBackend backend, ParticipantSignaller signaller, BridgeFeedback feedback,
                         EventLoop loop, Clock clock, ConferenceMetrics metrics,
                         Function<String, String> pinnedVersion) {
}
