package io.focus.health;

import io.focus.core.bridge.RoundTrips;

/**
 * A check or probe the doctor wrote to a bridge, as its silence is judged ({@link OwnLinkGuard#judge}).
 *
 * @param what what it was ("health check", "probe", "scaled probe"), for the evidence
 * @param seq its number in the focus's send order, taken right after it was written ({@link RoundTrips#sent()})
 * @param epoch the focus's own link's epoch when it went out
 */
record Request(String what, long seq, long epoch) {}
