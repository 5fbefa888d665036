package io.focus.core.bridge;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order in which the focus writes its requests to bridges, and which of them the bridges answered: one per focus,
 * shared by everything that sends bridges requests on the service connection (the Colibri2 requests'
 * {@code ColibriDeadlineWatch}, the health doctor's checks and probes). The focus's requests leave on one stream in
 * the order they are written, and its server routes them in that order; so a request to another bridge written after
 * this bridge's probe and already answered proves the focus's link and its server carried a later request and its
 * reply while this bridge stayed silent: its silence is its own ({@link #overtaken}).
 *
 * <p>Every request takes two numbers from one counter: {@link #sending()} just before it is written (the number its
 * answer is recorded with, {@link #answered}) and {@link #sent()} right after (the number its silence is judged from).
 * So an answer recorded with a number above a request's {@link #sent()} number belongs to a request written after
 * it, whichever threads wrote the two. Thread-safe and lock-free; no clock.
 */
public final class RoundTrips {
    private final AtomicLong order = new AtomicLong();
    /** Per bridge, the highest {@link #sending()} number of a request it answered. */
    private final Map<String, Long> answered = new ConcurrentHashMap<>();

    /** A request is about to be written (call just before): the number to record its answer with. */
    public long sending() { return order.incrementAndGet(); }

    /** A request was written just now (call right after): the number to judge its silence from. */
    public long sent() { return order.incrementAndGet(); }

    /**
     * The bridge answered the request numbered {@code seq} ({@link #sending()}): a result, or an error the bridge
     * itself wrote. Not for an error the server wrote because it cannot reach the bridge (a bounce), nor a timeout.
     */
    public void answered(String bridgeId, long seq) {
        answered.merge(Objects.requireNonNull(bridgeId, "bridgeId"), seq, Math::max);
    }

    /**
     * Some other bridge that answered a request written after the request of {@code bridgeId} numbered {@code seq}
     * ({@link #sent()}); empty when none did. The bridge's own answers never count for it.
     */
    public Optional<String> overtaken(String bridgeId, long seq) {
        for (Map.Entry<String, Long> e : answered.entrySet()) {
            if (e.getValue() > seq && !e.getKey().equals(bridgeId)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** The bridge left: its answers are forgotten (they would only grow the map). */
    public void forget(String bridgeId) {
        answered.remove(bridgeId);
    }
}
