package io.focus.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Defaults that {@link NoSilentDefaultsTest} must flag (the first group) and must not (the second). */
interface SilentDefaultsFixture {
    // silent: each does nothing with its arguments and calls nothing that does something
    default CompletableFuture<Void> update(String endpoint) { return CompletableFuture.completedFuture(null); }
    default void ping(int times) {}
    default boolean ready() { return false; }
    default int count() { return 0; }
    default Integer boxedCount() { return 7; }
    default String label() { return "none"; }
    default Object nothing() { return null; }
    default Optional<String> owner() { return Optional.empty(); }
    default List<String> ids() { return List.of(); }
    default Set<String> names() { return Set.of(); }
    default List<String> fresh() { return new ArrayList<>(); }
    default TimeUnit mode() { return TimeUnit.SECONDS; }

    // real: each delegates, computes from another method, uses its argument or refuses loudly
    CompletableFuture<Void> send(String endpoint);
    default CompletableFuture<Void> updateAll(List<String> endpoints) {
        return CompletableFuture.allOf(endpoints.stream().map(this::send).toArray(CompletableFuture[]::new));
    }
    default String describe() { return ready() ? "ready" : "not ready"; }
    default int twice(int x) { return 2 * x; }
    default void refuse() { throw new UnsupportedOperationException("refused"); }
    default boolean isEmpty() { return count() == 0; }

    /** A listener may ignore events: not flagged. */
    interface EventListener {
        default void joined(String who) {}
        default void left(String who) {}
    }
}
